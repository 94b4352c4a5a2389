"""Era dates, fiscal years (年度) and number formats as city documents print them."""

import datetime as dt

import pytest
from django.template import Context, Template

from core import japanese
from core.templatetags import japanese as filters


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2019, 4, 30), "平成31年4月30日"),
        (dt.date(2019, 5, 1), "令和元年5月1日"),
        (dt.date(2022, 11, 24), "令和4年11月24日"),
        (dt.date(1989, 1, 7), "昭和64年1月7日"),
        (dt.date(1989, 1, 8), "平成元年1月8日"),
    ],
)
def test_wareki_switches_era_on_the_first_day_of_the_new_era(day, expected):
    assert japanese.wareki(day) == expected


def test_wareki_abbr_pads_the_era_year_to_two_digits():
    assert japanese.wareki_abbr(dt.date(2022, 2, 25)) == "R04.2.25"


def test_fiscal_year_starts_on_the_first_of_april():
    assert japanese.fiscal_year_of(dt.date(2023, 3, 31)) == 2022
    assert japanese.fiscal_year_of(dt.date(2023, 4, 1)) == 2023
    assert japanese.fiscal_year_bounds(2022) == (dt.date(2022, 4, 1), dt.date(2023, 3, 31))


@pytest.mark.parametrize(
    ("fiscal_year", "expected"),
    [(2022, "令和4年度"), (2019, "令和元年度"), (2018, "平成30年度"), (1988, "昭和63年度")],
)
def test_fiscal_year_label_uses_the_era_of_the_year_it_starts_in(fiscal_year, expected):
    assert japanese.fiscal_year_label(fiscal_year) == expected


def test_fiscal_year_abbr_is_era_letter_and_year():
    assert japanese.fiscal_year_abbr(2022) == "R4"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(187197, "187,197"), (-7, "△7"), (0, "0"), (2.5, "3"), (-2.5, "△3"), (-0.4, "0")],
)
def test_number_uses_separators_triangle_for_negatives_and_rounds_half_up(value, expected):
    assert japanese.number(value) == expected


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [(8061 / 13796, "58.4%"), (0.669, "66.9%"), (0.0125, "1.3%"), (0.00125, "0.1%")],
)
def test_percent_has_one_decimal_rounded_half_up(ratio, expected):
    assert japanese.percent(ratio) == expected


def test_western_year_alongside_is_printed_when_the_setting_is_on(settings):
    settings.SEIYO_WESTERN_YEAR_ALONGSIDE = True
    assert japanese.wareki(dt.date(2022, 11, 1)) == "令和4年(2022年)11月1日"
    assert japanese.fiscal_year_label(2022) == "令和4年度(2022年度)"


def test_template_filters_are_builtins_and_render_japanese_forms():
    template = Template("{{ d|wareki }} {{ n|jpnum }} {{ r|jppct }} {{ fy|nendo }} {{ d|nendo }}")
    context = Context({"d": dt.date(2022, 11, 24), "n": -187197, "r": 0.669, "fy": 2019})
    assert template.render(context) == "令和4年11月24日 △187,197 66.9% 令和元年度 令和4年度"


def test_aware_datetimes_are_shown_as_tokyo_dates():
    just_after_midnight_in_tokyo = dt.datetime(2022, 10, 31, 15, 30, tzinfo=dt.UTC)
    assert filters.wareki(just_after_midnight_in_tokyo) == "令和4年11月1日"
    assert filters.wareki_datetime(just_after_midnight_in_tokyo) == "令和4年11月1日 00:30"
    new_fiscal_year_in_tokyo = dt.datetime(2023, 3, 31, 15, 0, tzinfo=dt.UTC)
    assert filters.nendo(new_fiscal_year_in_tokyo) == "令和5年度"


def test_meiji_years_are_counted_from_1868():
    assert japanese.wareki(dt.date(1873, 1, 1)) == "明治6年1月1日"
    assert japanese.wareki(dt.date(1912, 7, 29)) == "明治45年7月29日"
    assert japanese.wareki(dt.date(1912, 7, 30)) == "大正元年7月30日"


# --- Periods as the papers print them (section 7: R03.11, R04.01〜R04.12, 1〜2年, それ以降) ---


@pytest.mark.parametrize(
    ("start", "precision", "end", "expected"),
    [
        (dt.date(2022, 11, 1), japanese.DAY, None, "令和4年11月1日"),
        (dt.date(2021, 11, 1), japanese.MONTH, None, "令和3年11月"),  # R03.11
        (dt.date(2021, 12, 1), japanese.MONTH, None, "令和3年12月"),  # R03.12
        (dt.date(2019, 5, 1), japanese.MONTH, None, "令和元年5月"),
        (dt.date(2022, 4, 1), japanese.FISCAL_HALF, None, "令和4年度上期"),
        (dt.date(2022, 10, 1), japanese.FISCAL_HALF, None, "令和4年度下期"),
        (dt.date(2023, 1, 1), japanese.FISCAL_HALF, None, "令和4年度下期"),
        (dt.date(2022, 4, 1), japanese.FISCAL_YEAR, None, "令和4年度"),
        (dt.date(2019, 4, 1), japanese.FISCAL_YEAR, None, "令和元年度"),
        # R04.01〜R04.12: one era year, the second month without repeating it.
        (dt.date(2022, 1, 1), japanese.SPAN, dt.date(2022, 12, 31), "令和4年1月〜12月"),
        (dt.date(2022, 11, 1), japanese.SPAN, dt.date(2022, 12, 31), "令和4年11月〜12月"),
        (dt.date(2022, 1, 1), japanese.SPAN, dt.date(2023, 3, 31), "令和4年1月〜令和5年3月"),
        (dt.date(2022, 4, 1), japanese.SPAN, dt.date(2023, 3, 31), "令和4年度"),
        (dt.date(2022, 3, 1), japanese.SPAN, dt.date(2022, 3, 31), "令和4年3月"),
        (dt.date(2022, 10, 1), japanese.SPAN, dt.date(2022, 10, 21), "令和4年10月1日〜21日"),
        (dt.date(2019, 4, 1), japanese.SPAN, dt.date(2019, 5, 31), "平成31年4月〜令和元年5月"),
        (dt.date(2025, 1, 1), japanese.OPEN, None, "令和7年1月以降"),
        (dt.date(2025, 1, 15), japanese.OPEN, None, "令和7年1月15日以降"),
    ],
)
def test_period_label_prints_a_date_at_its_precision(start, precision, end, expected):
    assert japanese.period_label(start, precision, end) == expected


def test_periods_counted_from_the_previous_one_print_as_the_papers_do():
    after = dt.date(2022, 12, 31)  # the end of R04.01〜R04.12
    # 「1〜2年」: the two years after it; 「それ以降」: open from then.
    assert (
        japanese.period_label(
            dt.date(2023, 1, 1), japanese.SPAN, dt.date(2024, 12, 31), after=after
        )
        == "1〜2年"
    )
    assert japanese.period_label(
        dt.date(2025, 1, 1), japanese.OPEN, after=dt.date(2024, 12, 31)
    ) == ("それ以降")
    assert (
        japanese.period_label(
            dt.date(2024, 1, 1), japanese.SPAN, dt.date(2025, 12, 31), after=after
        )
        == "令和6年1月〜令和7年12月"  # not starting right after: printed with its dates
    )
    assert japanese.period_label(
        dt.date(2023, 1, 1), japanese.OPEN, after=dt.date(2022, 6, 30)
    ) == ("令和5年1月以降")


@pytest.mark.parametrize(
    ("start", "precision", "end", "first", "last"),
    [
        (dt.date(2022, 11, 1), japanese.DAY, None, dt.date(2022, 11, 1), dt.date(2022, 11, 1)),
        (dt.date(2021, 11, 15), japanese.MONTH, None, dt.date(2021, 11, 1), dt.date(2021, 11, 30)),
        (dt.date(2024, 2, 1), japanese.MONTH, None, dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        (
            dt.date(2022, 12, 1),
            japanese.FISCAL_HALF,
            None,
            dt.date(2022, 10, 1),
            dt.date(2023, 3, 31),
        ),
        (
            dt.date(2022, 6, 1),
            japanese.FISCAL_HALF,
            None,
            dt.date(2022, 4, 1),
            dt.date(2022, 9, 30),
        ),
        (
            dt.date(2023, 2, 1),
            japanese.FISCAL_YEAR,
            None,
            dt.date(2022, 4, 1),
            dt.date(2023, 3, 31),
        ),
        (
            dt.date(2022, 1, 1),
            japanese.SPAN,
            dt.date(2022, 12, 31),
            dt.date(2022, 1, 1),
            dt.date(2022, 12, 31),
        ),
        (dt.date(2025, 1, 1), japanese.OPEN, None, dt.date(2025, 1, 1), None),
    ],
)
def test_a_period_starts_and_ends_where_its_precision_says(start, precision, end, first, last):
    assert japanese.period_start(start, precision) == first
    assert japanese.period_end(start, precision, end) == last
