"""A figure prints the same everywhere and carries its definition, period and source."""

from datetime import date

from django.template.loader import render_to_string

from core.figures import Figure, FigureSource


def figure(**overrides) -> Figure:
    values = {
        "key": "counter.rate",
        "label": "受付率",
        "value": 8061 / 13796,
        "unit": "%",
        "definition": "総合受付件数のうち総合窓口で処理した件数の割合。",
        "source": FigureSource.COUNTED,
        "period_start": date(2022, 5, 9),
        "period_end": date(2022, 10, 21),
        "numerator": 8061,
        "denominator": 13796,
        "numerator_label": "総合窓口での処理件数 ",
        "denominator_label": "総合受付件数 ",
    }
    return Figure(**{**values, **overrides})


def test_a_rate_prints_to_one_decimal_with_its_parts_and_period():
    rate = figure()
    assert rate.display == "58.4%"
    assert rate.ratio_label == "総合窓口での処理件数 8,061 ／ 総合受付件数 13,796"
    assert rate.period_label == "令和4年5月9日～令和4年10月21日"


def test_amounts_print_with_separators_unit_and_triangle_for_negatives():
    assert figure(value=187197, unit="千円").display == "187,197千円"
    assert figure(value=-7, unit="席").display == "△7席"
    assert figure(value=None, unit="件").display == "－"
    assert figure(value=118120, unit="円", period_start=None).period_label == "令和4年10月21日時点"


def test_a_published_rate_says_so():
    published = figure(value=0.669, numerator=None, denominator=None, source=FigureSource.PUBLISHED)
    assert published.display == "66.9%"
    assert published.ratio_label == ""
    assert str(published.source.label) == "公表値（内訳のデータなし）"


def test_the_sheet_row_has_one_value_per_column():
    row = figure().sheet_row("2022-11-01 会議資料（総合窓口）")
    assert len(row) == len(Figure.SHEET_HEADER)
    assert row[:3] == ("受付率", 8061 / 13796, "%")
    assert row[3:8] == ("期間", date(2022, 5, 9), date(2022, 10, 21), 8061, 13796)
    assert row[9:11] == ("データから集計", "2022-11-01 会議資料（総合窓口）")


def test_a_point_in_time_figure_starts_and_ends_on_its_day():
    """No empty period start: a figure as of a day is the period of that one day."""
    row = dict(zip(Figure.SHEET_HEADER, figure(period_start=None).sheet_row(), strict=True))
    assert row["時点・期間"] == "時点"
    assert row["期間開始"] == row["期間終了"] == date(2022, 10, 21)
    assert row["出典資料"] == ""


def test_definition_period_and_source_are_readable_without_hovering():
    html = render_to_string("includes/figure.html", {"figure": figure(label="<b>受付率</b>")})
    assert "<details" in html and "<summary>" in html
    assert "総合受付件数のうち" in html and "令和4年5月9日～令和4年10月21日" in html
    assert "データから集計" in html and "58.4%" in html
    assert "&lt;b&gt;受付率&lt;/b&gt;" in html and "<b>受付率</b>" not in html


def test_a_figure_says_how_fresh_its_data_is_and_when_it_is_stale():
    import datetime as dt

    from core.figures import Figure, FigureSource

    def figure(updated_on, as_of):
        return Figure(
            key="k", label="受付件数", value=1, unit="件", definition="d",
            source=FigureSource.COUNTED, period_end=as_of, updated_on=updated_on,
            stale_after_days=31,
        )  # fmt: skip

    assert not figure(dt.date(2022, 10, 1), dt.date(2022, 11, 1)).is_stale  # 31 days
    assert figure(dt.date(2022, 9, 30), dt.date(2022, 11, 1)).is_stale  # 32 days
    assert not figure(None, dt.date(2022, 11, 1)).is_stale  # nothing to say
    assert figure(dt.date(2022, 9, 30), dt.date(2022, 11, 1)).sheet_row()[-1] == dt.date(
        2022, 9, 30
    )
