"""The meeting workbook downloaded as city staff do, read back cell by cell."""

import io
from datetime import date
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from projects.models import BudgetLine, ScheduleItem


@pytest.fixture
def workbook(viewer_client, source_data):
    response = viewer_client.get("/workbook/?as_of=2022-11-01&meeting=1")
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def find(ws, value):
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == value:
                return cell
    raise AssertionError(f"{value!r} not in {ws.title}")


def _filename(response) -> str:
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    return unquote(disposition.split("filename*=UTF-8''", 1)[1])


def test_a_plain_date_names_the_file_by_the_date_per_rfc_5987(viewer_client, source_data):
    response = viewer_client.get("/workbook/?as_of=2022-11-01")
    assert _filename(response) == "西予市DX推進_令和4年11月1日時点.xlsx"


def test_a_meetings_papers_are_named_by_the_meeting(viewer_client, source_data):
    response = viewer_client.get("/workbook/?as_of=2022-11-01&meeting=1")
    assert _filename(response) == "会議資料_令和4年11月1日.xlsx"


def test_without_the_meeting_permission_a_meeting_gives_no_name_to_the_file(client, source_data):
    """The meeting's name is not on a file that holds none of its papers."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user("yotei")
    user.user_permissions.add(Permission.objects.get(codename="view_scheduleitem"))
    client.force_login(user)
    response = client.get("/workbook/?as_of=2022-11-01&meeting=1")
    assert _filename(response) == "西予市DX推進_令和4年11月1日時点.xlsx"
    assert "会議結果報告書" not in load_workbook(io.BytesIO(response.content)).sheetnames


def test_a_malformed_option_is_refused_with_a_message(viewer_client, source_data):
    response = viewer_client.get("/workbook/?as_of=2022-11-01&meeting=abc")
    assert response.status_code == 400
    assert "会議資料の指定が正しくありません" in response.content.decode()


def test_the_whole_workbook_takes_a_constant_number_of_queries(
    viewer_client, source_data, django_assert_max_num_queries
):
    """Each area's snapshot is read once per download, whatever the number of sheets."""
    from projects.models import BudgetLine, Category, ScheduleItem, Status

    with django_assert_max_num_queries(130) as at_meeting:
        viewer_client.get("/workbook/?as_of=2022-11-01&meeting=1")
    # Session, user, the user's and the groups' permissions (4); the meeting and its points
    # (2, for both papers); the schedule's seven tables as of the date, each once: which
    # history records, then the rows (7 + 7, the 計 reusing them: 1); the previous meeting and
    # what changed since, per history table (1 + 7, nothing to diff, sharing the history
    # reads); the newest change behind the figure (2); the seat plan (layout): its years,
    # floors, buildings and rows for the form, its rows for the data sheet (5); the cloud
    # PBX's contract, sites, chains and revisions (4) and its changes since (2); 電子決裁's
    # departments, counts, published rates, plan and targets and its changes since (13); the
    # counter's form sheet (14: its sites, services, published figures, requests and plans as
    # of the date, each which history records then the rows), its two data sheets (2) and its
    # two change sources (2); the commitments sheet (3); the figures sheet's counts of the
    # schedule: items per status and the statuses, the concerns and their items' names (4).
    assert len(at_meeting.captured_queries) <= 123, [
        q["sql"][:80] for q in at_meeting.captured_queries
    ]

    category, status = Category.objects.first(), Status.objects.first()

    def add_items(count: int) -> None:
        start = ScheduleItem.objects.count()
        for n in range(start, start + count):
            item = ScheduleItem.objects.create(category=category, status=status, name=f"項目{n}")
            BudgetLine.objects.create(item=item, amount=1)

    add_items(2)  # changed since the meeting: the changes sheets diff them
    with django_assert_max_num_queries(130) as few:  # 40 before the four areas
        viewer_client.get("/workbook/")
    add_items(200)
    with django_assert_max_num_queries(len(few.captured_queries)):
        viewer_client.get("/workbook/")


def test_sheets_come_in_the_registered_order(workbook):
    """The papers' order: the meeting's papers, what changed, then the areas by section."""
    assert workbook.sheetnames == [
        "会議結果報告書",
        "重要計画付議(報告)書",
        "前回までの指示事項の対応状況",
        "前回の会議からの変更",
        "前回の会議からの変更(データ)",
        "全体のスケジュール",
        "全体のスケジュール(データ)",
        "全体のスケジュール_計画(データ)",
        "全体のスケジュール_懸案(データ)",
        "総合窓口",
        "総合窓口(データ)",
        "キャッシュレス決済(データ)",
        "クラウドPBX",
        "クラウドPBX_施設(データ)",
        "クラウドPBX_予定変更(データ)",
        "電子決裁",
        "電子決裁_導入状況(データ)",
        "電子決裁_件数(データ)",
        "座席計画",
        "座席計画(データ)",
        "指標(データ)",
    ]


def test_the_schedule_form_prints_like_the_paper(workbook):
    ws = workbook["全体のスケジュール"]
    # The papers: 全体のスケジュール（2022.3.14の行政経営戦略会議資料より変更なし）, from data.
    assert ws["A1"].value == "全体のスケジュール（令和4年3月14日の会議資料より変更なし）"
    assert [ws.cell(2, c).value for c in range(2, 9)] == [
        "項目", "予算額", "状況", "令和3年度", "令和4年度", "令和5年度", "懸案など"
    ]  # fmt: skip
    total_label = find(ws, "計")
    total = ws.cell(total_label.row, 3)
    assert total.value == 187197 and total.data_type == "n"  # a number, not a formula
    assert total.number_format == "#,##0"
    # テレワーク環境 takes two rows, one per amount; its name is merged over them.
    telework = find(ws, "テレワーク環境")
    assert [ws.cell(telework.row + k, 3).value for k in (0, 1)] == [3802, 42004]
    assert f"B{telework.row}:B{telework.row + 1}" in {str(r) for r in ws.merged_cells.ranges}
    assert ws.cell(find(ws, "遠隔学習・講座").row, 3).value == "オンライン窓口を含む"
    assert ws.cell(find(ws, "書類整理").row, 3).value == "-"
    # Grouped by category: the category cell is merged over its items.
    front = find(ws, "窓口フロントスタッフ")
    assert f"A{front.row}:A{front.row + 2}" in {str(r) for r in ws.merged_cells.ranges}
    # A4 landscape, fitted to the page width, header row repeated, frozen under the header.
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.print_title_rows == "$2:$2" and ws.freeze_panes == "C3"
    # The paper has no footnote: the print area ends with the 計 row.
    assert ws.print_area.endswith(f"$H${total_label.row}")
    assert ws.cell(total_label.row + 1, 1).value is None
    # Wide enough that no category and no 「…を含む」 breaks mid-word (checked in the PDF too).
    assert ws.column_dimensions["A"].width >= 2 * len("窓口フロントスタッフ")
    assert ws.column_dimensions["C"].width >= 2 * len("オンライン窓口を含む")


def test_the_data_sheet_follows_the_machine_readable_rules(workbook):
    ws = workbook["全体のスケジュール(データ)"]
    assert ws.merged_cells.ranges == set()
    header = [cell.value for cell in ws[1]]
    assert header[:5] == ["項目ID", "区分", "項目", "状況", "予算額計（千円）"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 13  # one header row, then one row per item, no total row
    assert sum(row[4] or 0 for row in rows) == 187197
    assert all(isinstance(row[4], int) for row in rows if row[4] is not None)
    assert {row[-1].date() for row in rows} == {date(2022, 11, 1)}  # Western-year date cells
    assert ws.cell(2, len(header)).number_format == "yyyy-mm-dd"


def test_a_hostile_item_name_is_stored_as_text(viewer_client, source_data):
    item = ScheduleItem.objects.get(name="書類整理")
    item.name = '=HYPERLINK("http://evil.example","x")'
    item.save()
    response = viewer_client.get("/workbook/")
    workbook = load_workbook(io.BytesIO(response.content))
    for title in ("全体のスケジュール", "全体のスケジュール(データ)"):
        cell = find(workbook[title], '=HYPERLINK("http://evil.example","x")')
        assert cell.data_type == "s"


def test_the_workbook_shows_the_schedule_as_of_its_date(editor, source_data, viewer_client):
    line = BudgetLine.objects.get(item__name="キャッシュレス")
    line.amount = 9000
    line.save()
    old = load_workbook(io.BytesIO(viewer_client.get("/workbook/?as_of=2022-11-01").content))
    new = load_workbook(io.BytesIO(viewer_client.get("/workbook/").content))
    for workbook, total in ((old, 187197), (new, 187397)):
        ws = workbook["全体のスケジュール"]
        assert ws.cell(find(ws, "計").row, 3).value == total


def test_viewers_can_download_and_the_download_changes_nothing(viewer_client, source_data):
    before = ScheduleItem.history.count()
    assert viewer_client.get("/workbook/?as_of=2022-11-01").status_code == 200
    assert viewer_client.post("/workbook/?as_of=2022-11-01").status_code == 405
    assert ScheduleItem.history.count() == before
