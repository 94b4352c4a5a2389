"""The schedule's data sheets follow the Ministry of Internal Affairs' machine-readable rules.

Read back as a reader's program would: with openpyxl cell by cell, and with pandas into tidy
frames (one row per observation, one column per variable), whose figures are the papers'.
Figures from the 2022-11-01 papers (全体のスケジュール, unchanged since 2022-03-14).
"""

import datetime as dt
import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from projects.models import ScheduleItem

ITEMS = "全体のスケジュール(データ)"
PLANS = "全体のスケジュール_計画(データ)"
CONCERNS = "全体のスケジュール_懸案(データ)"
FIGURES = "指標(データ)"

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(viewer_client, source_data) -> bytes:
    """The meeting workbook as of the 2022-11-01 meeting, as the viewer downloads it."""
    response = viewer_client.get("/workbook/?as_of=2022-11-01")
    assert response.status_code == 200
    return response.content


def test_every_data_sheet_has_one_header_row_one_value_per_cell_and_no_merged_cells(content):
    book = load_workbook(io.BytesIO(content))
    data_sheets = [ws for ws in book.worksheets if ws.title.endswith("(データ)")]
    assert {ITEMS, PLANS, CONCERNS, FIGURES} <= {ws.title for ws in data_sheets}
    for ws in (book[ITEMS], book[PLANS], book[CONCERNS], book[FIGURES]):
        assert ws.merged_cells.ranges == set(), ws.title
        assert ws.freeze_panes == "A2"
        header = [cell.value for cell in ws[1]]
        assert all(isinstance(h, str) and h for h in header), ws.title
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                # One value per cell: no lines joined in a cell, no number typed as text.
                assert not (isinstance(cell.value, str) and "\n" in cell.value), cell.coordinate
                if isinstance(cell.value, str):
                    assert not cell.value.replace(",", "").lstrip("△▲-").isdigit()


def test_the_items_table_has_ids_as_plain_numbers_and_the_budget_lines_in_their_own_cells(
    content,
):
    ws = load_workbook(io.BytesIO(content))[ITEMS]
    header = [cell.value for cell in ws[1]]
    assert header == [
        "項目ID", "区分", "項目", "状況", "予算額計（千円）", "予算額1（千円）", "予算額2（千円）",
        "予算を含む項目", "基準日",
    ]  # fmt: skip
    rows = {row[2].value: row for row in ws.iter_rows(min_row=2)}
    telework = rows["テレワーク環境"]
    assert [c.value for c in telework[4:7]] == [45_806, 3_802, 42_004]
    assert telework[0].data_type == "n" and telework[0].number_format == "0"
    assert telework[4].number_format == '#,##0;"△"#,##0;0'
    assert telework[8].value == dt.datetime(2022, 11, 1) and telework[8].number_format == (
        "yyyy-mm-dd"
    )  # the Western date


def test_plans_and_concerns_are_long_tables_with_the_western_fiscal_year(content):
    book = load_workbook(io.BytesIO(content))
    plans = book[PLANS]
    assert [c.value for c in plans[1]] == ["項目ID", "項目", "年度", "年度の表記", "行番号", "計画"]
    rows = [[c.value for c in row] for row in plans.iter_rows(min_row=2)]
    # 連絡のデジタル化 plans two lines in 令和4年度 and the same two in 令和5年度.
    contact = [r for r in rows if r[1] == "連絡のデジタル化"]
    assert [r[2:] for r in contact] == [
        [2021, "2021年度（令和3年度）", 1, "システム構築"],
        [2022, "2022年度（令和4年度）", 1, "出欠、早退連絡アプリ運用"],
        [2022, "2022年度（令和4年度）", 2, "プリントのアプリ配信運用"],
        [2023, "2023年度（令和5年度）", 1, "出欠、早退連絡アプリ運用"],
        [2023, "2023年度（令和5年度）", 2, "プリントのアプリ配信運用"],
    ]
    year_cell = plans.cell(2, 3)
    assert year_cell.data_type == "n" and year_cell.number_format == '0"年度"'  # 2021年度
    assert len(rows) == 36  # every bullet of the three years' columns of the printed table

    concerns = book[CONCERNS]
    assert [c.value for c in concerns[1]] == ["項目ID", "項目", "行番号", "懸案"]
    concern_rows = [[c.value for c in row] for row in concerns.iter_rows(min_row=2)]
    assert len(concern_rows) == 12
    telework = ScheduleItem.objects.get(name="テレワーク環境").pk
    assert [r for r in concern_rows if r[0] == telework] == [
        [telework, "テレワーク環境", 1, "テレワークの運用ルール"],
        [telework, "テレワーク環境", 2, "更新の際の経費"],
    ]


def test_pandas_reads_the_sheets_into_tidy_frames_with_the_papers_figures(content):
    frames = pd.read_excel(io.BytesIO(content), sheet_name=[ITEMS, PLANS, CONCERNS])
    items, plans, concerns = frames[ITEMS], frames[PLANS], frames[CONCERNS]

    assert items["項目ID"].is_unique and pd.api.types.is_integer_dtype(items["項目ID"])
    assert items["予算額計（千円）"].sum() == 187_197  # the 計 row of the papers
    assert len(items) == 13
    assert items.groupby("状況").size().to_dict() == {
        "R4にかけて": 1, "R4継続": 2, "完了": 5, "完了予定": 4, "継続": 1,
    }  # fmt: skip

    assert pd.api.types.is_integer_dtype(plans["年度"])
    assert plans.groupby("年度").size().to_dict() == {2021: 16, 2022: 15, 2023: 5}
    # Tidy: the plans join the items by their ID, each line once.
    joined = plans.merge(items[["項目ID", "区分"]], on="項目ID", validate="many_to_one")
    assert len(joined) == len(plans) == 36
    assert set(plans["項目ID"]) <= set(items["項目ID"])
    assert not plans.duplicated(["項目ID", "年度", "行番号"]).any()

    per_item = concerns.groupby("項目")["懸案"].apply(list)
    assert per_item["レイアウト変更"] == ["継続した働き方改革", "効果の検証"]
    assert concerns["懸案"].eq("職員のICTリテラシー向上が必要").sum() == 3


def test_the_workbook_the_meeting_downloads_imports_without_a_change(
    content, editor_web, source_data
):
    """The round trip: what the export writes (all three tables) is what the import reads."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = editor_web.post(
        "/admin/projects/scheduleitem/import/",
        {"file": SimpleUploadedFile("会議資料.xlsx", content)},
    )
    assert response.status_code == 302
    preview = editor_web.get(response["Location"])
    result = preview.context["result"]
    assert result.errors == [] and result.changes == []
    assert not any("変更しません" in notice for notice in result.notices)
