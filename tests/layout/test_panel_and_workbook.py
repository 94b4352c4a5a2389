"""The seat plan on the dashboard, in the meeting workbook, and in 「前回の会議からの変更」."""

import datetime as dt
import io

import openpyxl
import pytest

from core.history import AsOf
from layout.models import SeatPlan
from layout.panels import LayoutPanel
from reports.workbook import WorkbookContext, build_workbook


def test_panel_shows_floors_short_and_the_flagged_rows(viewer_client, source_data):
    html = viewer_client.get("/?as_of=2022-11-01").content.decode()
    panel = html.split('id="panel-layout"', 1)[1].split("</section>", 1)[0]
    assert "1階：確保100席／必要106席（△6）" in panel
    assert "4階：確保53席／必要59席（△6）" in panel
    assert "過不足の印刷値が計算と違う行（2行）" in panel
    assert "4階 総務、財政、まち、政策：印刷値△7、計算値△6" in panel
    assert "教保 3階 教育総務、学校教育：印刷値2、計算値1" in panel
    assert 'id="chart-layout-panel-data"' in panel
    assert 'href="/layout/"' in panel


def test_panel_before_the_plan_existed(source_data):
    context = LayoutPanel().get_context(AsOf(dt.date(2022, 10, 1)))
    assert context["scope"].fiscal_year is None
    assert LayoutPanel().figures(AsOf(dt.date(2022, 10, 1))) == []


def test_panel_hidden_without_permission(client, source_data, django_user_model):
    client.force_login(django_user_model.objects.create_user("nobody", password="x"))
    assert 'id="panel-layout"' not in client.get("/").content.decode()


@pytest.fixture
def workbook(source_data):
    return build_workbook(WorkbookContext(AsOf(dt.date(2022, 11, 1))))


def test_form_sheet_prints_the_table_with_totals_and_flags(workbook):
    ws = workbook["座席計画"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert rows[0][:10] == [
        "階数", "フロア", "現職員数", "現会計年度", "R5職員数", "R5会計年度",
        "確保席数", "必要数", "過不足", "確認",
    ]  # fmt: skip
    by_label = {(r[0], r[1]): r for r in rows[1:] if r[0]}
    assert by_label[("1階", "計")][6:9] == [100, 106, -6]
    assert by_label[("4階", "計")][6:9] == [53, 59, -6]
    assert by_label[("本庁", "建物計")][6:9] == [343, 337, 6]
    assert by_label[("教保", "建物計")][6:9] == [40, 29, 11]
    assert by_label[("合計", None)][6:9] == [383, 366, 17]
    flagged = by_label[("4階", "総務、財政、まち、政策")]
    assert flagged[8] == -7  # printed as it came
    assert flagged[9] == "印刷値△7、計算値（確保席数－必要数）△6"
    assert by_label[("教保 3階", "教育総務、学校教育")][9] == "印刷値2、計算値（確保席数－必要数）1"
    notes = [r[9] for r in rows[1:] if r[9] and str(r[9]).startswith("印刷値")]
    assert len(notes) == 2
    row = next(i for i, r in enumerate(rows, start=2) if r[1] == "総務、財政、まち、政策")
    assert ws[f"I{row}"].fill.fgColor.rgb.endswith("FFF2CC")
    assert ws[f"I{row}"].number_format == '#,##0;"△"#,##0;0'
    assert ws.page_setup.orientation == "landscape"


def test_form_sheet_has_no_footnote_and_explains_its_columns_in_comments(workbook):
    ws = workbook["座席計画"]
    last = max(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value is not None)
    assert ws.cell(last, 1).value == "合計"  # the table ends the printed page, as on the paper
    assert ws.print_area.endswith(f"$A$1:$J${last}")  # no line printed under it
    assert "確保席数－必要数" in ws["I2"].comment.text
    assert "両方を示します" in ws["J2"].comment.text


def test_data_sheet(workbook):
    ws = workbook["座席計画(データ)"]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    # The plan's year as data sheets name years: the Western year, the era beside it.
    assert values[0][4:6] == ["2023年度（令和5年度）職員数", "2023年度（令和5年度）会計年度"]
    assert values[0][8:11] == ["過不足", "過不足（計算）", "必要数－人数"]
    assert len(values) == 11
    assert values[7] == ["4階", "総務、財政、まち、政策", 36, 0, 59, 1, 53, 59, -7, -6, -1]
    assert not ws.merged_cells.ranges


def test_workbook_download_has_both_sheets(viewer_client, source_data):
    response = viewer_client.get("/workbook/?as_of=2022-11-01")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert {"座席計画", "座席計画(データ)"} <= set(book.sheetnames)


def test_changes_since_the_meeting(viewer_client, source_data, editor):
    plan = SeatPlan.objects.get(section__name="情報推進")
    plan.seats_needed = 13
    plan._history_user = editor
    plan.save()
    html = viewer_client.get("/").content.decode()
    section = html.split("前回の会議", 1)[1]
    assert "座席計画" in section and "情報推進" in section
    assert "必要数" in section
