"""The editor downloads the schedule's data sheet, edits it in Excel and imports it in the admin.

As a city employee does it: the file is downloaded from the schedule page to disk, edited with
openpyxl (as in Excel), chosen in the admin's upload form, checked on the preview and applied.
"""

from pathlib import Path
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from projects import selectors
from projects.models import BudgetLine, FiscalYearPlan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BUDGET1 = "予算額1（千円）"
TOTAL = "予算額計（千円）"
R5_PLAN = "令和5年度"  # the plan's column in the preview: 2023年度（令和5年度）の計画
PLANS = "全体のスケジュール_計画(データ)"
CONCERNS = "全体のスケジュール_懸案(データ)"
CHANGELIST = "/admin/projects/scheduleitem/"


def download_data_sheet(page, live_server, folder: Path) -> Path:
    """From the schedule page, the data sheet's "Excel（.xlsx）" link, saved to disk."""
    page.goto(f"{live_server.url}/schedule/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Excel（.xlsx）", exact=True).click()
    download = download_info.value
    name = unquote(download.suggested_filename)
    assert name.startswith("全体のスケジュール_") and name.endswith(".xlsx")
    path = folder / name
    download.save_as(path)
    return path


def edit(source: Path, target: Path, edits: dict[tuple[str, str], object]) -> Path:
    """Edit cells by (item name, column name) as in Excel and save under another name."""
    book = load_workbook(source)
    ws = book.active
    header = next(ws.iter_rows(min_row=1, max_row=1))
    columns = {cell.value: cell.column for cell in header if cell.value}
    rows = {ws.cell(row, columns["項目"]).value: row for row in range(2, ws.max_row + 1)}
    for (name, column), value in edits.items():
        ws.cell(rows[name], columns[column]).value = value
    book.save(target)
    return target


def upload(page, live_server, path: Path) -> None:
    """From the admin's change list, the import link, the file chosen and uploaded."""
    page.goto(f"{live_server.url}{CHANGELIST}")
    page.get_by_role("link", name="Excel・CSVから取り込む").click()
    page.wait_for_url(f"**{CHANGELIST}import/")
    page.get_by_label("ファイル").set_input_files(path)
    page.get_by_role("button", name="アップロードして変更点を確認する").click()
    page.wait_for_url(f"**{CHANGELIST}import/*/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "全体のスケジュールの取込：変更点の確認"
    )


def test_editor_downloads_edits_and_imports_the_schedule(
    live_server, page, login, source_data, editor, tmp_path
):
    login("tanaka", "pw-editor-1")
    downloaded = download_data_sheet(page, live_server, tmp_path)
    edited = edit(
        downloaded,
        tmp_path / "全体のスケジュール_編集.xlsx",
        {
            ("キャッシュレス", BUDGET1): 9000,
            ("キャッシュレス", TOTAL): None,  # blanked: the total is computed from the lines
        },
    )
    # A plan is a line of the plans' long table: one added for 2023 (令和5年度).
    book = load_workbook(edited)
    items = book.active
    ids = {
        items.cell(row, 3).value: items.cell(row, 1).value for row in range(2, items.max_row + 1)
    }
    book[PLANS].append([ids["遠隔面談・相談"], "遠隔面談・相談", 2023, None, 1, "運用継続"])
    book.save(edited)

    upload(page, live_server, edited)
    assert page.locator("#import-errors").count() == 0
    assert page.locator("#import-error-summary").count() == 0
    changes = page.locator("#import-changes")
    assert changes.get_by_role("heading").inner_text() == "変更点：2件の変更"
    rows = changes.locator("tbody tr")
    assert rows.count() == 2
    budget, plan = (rows.nth(i).locator("td").all_inner_texts() for i in range(2))
    assert budget == ["変更", "キャッシュレス", "3行目", f"{BUDGET1}：8,800 → 9,000"]
    assert plan[:2] == ["変更", "遠隔面談・相談"]
    assert R5_PLAN in plan[3] and "→ 運用継続" in plan[3]
    assert BudgetLine.objects.get(item__name="キャッシュレス").amount == 8800  # not yet

    page.get_by_role("button", name="適用する").click()
    page.wait_for_url(f"**{CHANGELIST}")
    assert page.locator("ul.messagelist li.success").inner_text() == (
        "「全体のスケジュール_編集.xlsx」を取り込みました（2件の変更）。"
    )
    assert selectors.budget_total() == 187_397
    assert FiscalYearPlan.objects.get(item__name="遠隔面談・相談", year__start_year=2023).lines == [
        "運用継続"
    ]

    page.goto(f"{live_server.url}/schedule/")
    assert page.locator("table tfoot td.total").inner_text() == "187,397"

    page.get_by_role("link", name="キャッシュレス", exact=True).click()
    page.wait_for_url("**/schedule/items/*/")
    assert page.get_by_role("heading", level=1).inner_text() == "キャッシュレス"
    history = page.locator("section.history")
    newest = history.locator("tbody tr").first
    cells = newest.locator("td").all_inner_texts()
    assert cells[1] == "田中 花子" and cells[3] == "予算"
    assert "8,800 → 9,000" in cells[4]
    assert "Excel取込：全体のスケジュール_編集.xlsx" in cells[4]


def test_rows_missing_from_the_file_are_listed_and_kept_unless_deletion_is_chosen(
    live_server, page, login, source_data, editor, tmp_path
):
    """A file that lacks rows (cut, filtered, or rows removed by hand) deletes nothing."""
    from projects.models import ScheduleItem

    login("tanaka", "pw-editor-1")
    downloaded = download_data_sheet(page, live_server, tmp_path)
    book = load_workbook(downloaded)
    ws = book.active
    names = [ws.cell(row, 3).value for row in range(2, ws.max_row + 1)]
    ws.cell(2 + names.index("キャッシュレス"), 4).value = "完了"
    for row in sorted((2 + names.index(n) for n in ("書類整理", "電子決裁")), reverse=True):
        ws.delete_rows(row)  # the rows removed from the sheet, as in Excel
    for title in (PLANS, CONCERNS):  # and their lines from the long tables
        part = book[title]
        for row in range(part.max_row, 1, -1):
            if part.cell(row, 2).value in ("書類整理", "電子決裁"):
                part.delete_rows(row)
    edited = tmp_path / "行が足りない.xlsx"
    book.save(edited)

    upload(page, live_server, edited)
    missing = page.locator("#import-missing")
    assert missing.get_by_role("heading").inner_text() == "ファイルにない項目（2件）"
    assert sorted(missing.locator("li").all_inner_texts()) == ["書類整理", "電子決裁"]
    assert "削除しません（そのまま残ります）" in missing.inner_text()
    assert page.locator("#import-changes tbody tr").count() == 1  # only the status change

    page.get_by_role("button", name="適用する").click()
    page.wait_for_url(f"**{CHANGELIST}")
    assert ScheduleItem.objects.count() == 13
    assert ScheduleItem.objects.get(name="キャッシュレス").status.name == "完了"
    assert not ScheduleItem.history.filter(history_type="-").exists()


def test_a_bad_cell_is_shown_with_its_row_and_column_and_cannot_be_applied(
    live_server, page, login, source_data, editor, tmp_path
):
    login("tanaka", "pw-editor-1")
    downloaded = download_data_sheet(page, live_server, tmp_path)
    edited = edit(downloaded, tmp_path / "誤り.xlsx", {("遠隔学習・講座", BUDGET1): "abc"})

    upload(page, live_server, edited)
    summary = page.locator("#import-error-summary")
    assert "エラーが1件あります。適用はできません。" in summary.inner_text()
    assert f"場所：5行目「{BUDGET1}」" in summary.inner_text()
    errors = page.locator("#import-errors tbody tr")
    assert errors.count() == 1
    assert errors.first.locator("td").all_inner_texts() == [
        "5行目",
        f"「{BUDGET1}」",
        "「abc」は数値として読めません。数字で入力してください。",
    ]
    assert page.get_by_role("button", name="適用する").count() == 0
    assert page.locator("#import-changes").count() == 0
    assert selectors.budget_total() == 187_197
