"""The workbook's first two sheets: 会議結果報告書 and 重要計画付議(報告)書, laid out like the paper."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from core.history import AsOf
from core.spreadsheets import ERA_DATE_FORMAT
from meetings.models import MeetingResult
from meetings.sheets import AgendaPaperSheet, MeetingReportSheet
from reports.workbook import WorkbookContext, build_workbook

from .factories import make_meeting

REPORT = "会議結果報告書"
AGENDA = "重要計画付議(報告)書"


SOURCE_MEETING = 1  # pk of the 2022-11-01 meeting in fixtures/meeting_2022_11_01.json


def workbook(day=dt.date(2022, 11, 1), meeting_id=SOURCE_MEETING):
    """The workbook as a reader sees it: built, saved and loaded back (a meeting's papers
    unless ``meeting_id`` is None: then a plain date's)."""
    options = {"meeting": meeting_id} if meeting_id else {}
    built = build_workbook(WorkbookContext(as_of=AsOf(day), options=options))
    buffer = io.BytesIO()
    built.save(buffer)
    buffer.seek(0)
    return load_workbook(buffer)


def values(ws) -> list:
    return [cell.value for row in ws.iter_rows() for cell in row if cell.value is not None]


def boxes(ws) -> list[str]:
    """The values of the cells that hold a box of 会議結果, each box in its own cell."""
    return [v for v in values(ws) if isinstance(v, str) and v.startswith(("☑", "☐"))]


@pytest.mark.django_db
def test_the_two_forms_lead_the_workbook_in_order(source_data):
    titles = workbook().sheetnames

    assert titles.index(REPORT) == 0
    assert titles.index(AGENDA) == 1


@pytest.mark.django_db
def test_report_ticks_only_acknowledged_and_leaves_the_other_four_boxes_empty(source_data):
    found = boxes(workbook()[REPORT])

    assert [b for b in found if b.startswith("☑")] == ["☑ 報告を了承する"]
    assert found == [
        "☐ 案のとおり決定する",
        "☐ 一部修正の上、決定する",
        "☐ 継続して検討する",
        "☐ 案を否決する",
        "☑ 報告を了承する",
    ]


@pytest.mark.django_db
def test_report_shows_the_papers_dates_as_era_date_cells_and_its_rows(source_data):
    ws = workbook()[REPORT]
    found = values(ws)

    assert "会議結果報告書" in found
    assert dt.datetime(2022, 11, 1) in found  # 1 会議日時
    assert dt.datetime(2022, 11, 24) in found  # the report's date
    assert "議員全員協議会室" in found
    assert "新しい生活様式に対応した推進等 DX の推進" in found
    assert any(str(v).startswith("市長、副市長、教育長") for v in found)
    assert ["会議日時", "場所", "件名", "出席者", "会議結果", "会議内容"] == [
        v for v in found if v in {"会議日時", "場所", "件名", "出席者", "会議結果", "会議内容"}
    ]
    assert "備考：会議内容を簡潔に記載すること" in found
    # The dates are date cells that print in the era (令和4年11月1日), not text.
    for day in (dt.datetime(2022, 11, 1), dt.datetime(2022, 11, 24)):
        (cell,) = [c for row in ws.iter_rows() for c in row if c.value == day]
        assert cell.is_date and cell.number_format == ERA_DATE_FORMAT
    # The row numbers are numbers.
    assert [ws[f"A{row}"].value for row in range(5, 10)] == [1, 2, 3, 4, 5]
    assert ws["A5"].data_type == "n" and ws["A5"].number_format == "0"


@pytest.mark.django_db
def test_report_lists_each_point_with_its_reply_below(source_data):
    found = [v for v in values(workbook()[REPORT]) if isinstance(v, str) and v.startswith("●")]

    assert len(found) == 3
    assert found[0] == "●明浜支所、野村支所は先行して総合窓口の端末設定を行うこととする。"
    assert found[1] == (
        "●本庁の総合窓口の業務は、多岐にわたるため経験年数のある職員の配置が必要ではないか。\n"
        "→業務を覚えることは必要である。市長部局、教育部局関係なく総合窓口配置するように。"
    )
    assert found[2].startswith("●オフィス改革に伴い")
    assert "→" not in found[0] and "→" not in found[2]


@pytest.mark.django_db
def test_point_rows_are_tall_enough_for_their_wrapped_text(source_data):
    ws = workbook()[REPORT]
    (reply_cell,) = [
        c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "→" in c.value
    ]

    assert reply_cell.alignment.wrap_text
    # Two paragraphs of about 40 kanji each: at least two lines, about 16pt a line.
    assert ws.row_dimensions[reply_cell.row].height >= 2 * 16


@pytest.mark.django_db
@pytest.mark.parametrize("title", [REPORT, AGENDA])
def test_forms_print_on_a4_portrait_fitted_to_the_page_width(source_data, title):
    ws = workbook()[title]

    assert ws.page_setup.paperSize == 9  # A4
    assert ws.page_setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    assert ws.merged_cells.ranges
    assert ws.print_area
    assert ws.print_area.startswith(f"'{title}'!$A$1:$H$")


@pytest.mark.django_db
def test_report_rows_are_bordered(source_data):
    ws = workbook()[REPORT]
    (held_on,) = [c for row in ws.iter_rows() for c in row if c.value == dt.datetime(2022, 11, 1)]
    border = held_on.border

    assert all(side.style for side in (border.left, border.top, border.bottom))


@pytest.mark.django_db
def test_agenda_paper_shows_form_number_date_department_and_rows(source_data):
    found = values(workbook()[AGENDA])

    assert found[0] == "様式第2号(第4条関係)"
    assert "重要計画付議(報告)書" in found
    assert dt.datetime(2022, 10, 24) in found  # a date cell, printed 令和4年10月24日
    assert "部課名(政策企画部 政策推進課)" in found
    assert "新しい生活様式に対応した推進等 DX の推進" in found
    assert any(str(v).startswith("新生活様式対応行政サービス構築事業において") for v in found)
    assert "市組織全て" in found
    assert ["件名", "計画の概要", "関係法令等", "関係課", "その他"] == [
        v for v in found if v in {"件名", "計画の概要", "関係法令等", "関係課", "その他"}
    ]
    assert found[-1] == "備考：計画書を付議又は報告する場合に使用"


@pytest.mark.django_db
def test_formula_like_subject_is_stored_as_text(db):
    hostile = '=HYPERLINK("http://x","y")'
    meeting = make_meeting(dt.date(2022, 11, 1), subject=hostile, attendees="+1", place="@x")
    book = workbook(meeting_id=meeting.pk)

    for title in (REPORT, AGENDA):
        cells = [c for row in book[title].iter_rows() for c in row if c.value == hostile]
        assert cells, title
        assert all(c.data_type == "s" for c in cells)
    for value in ("+1", "@x"):
        (cell,) = [c for row in book[REPORT].iter_rows() for c in row if c.value == value]
        assert cell.data_type == "s"


@pytest.mark.django_db
def test_chosen_meeting_leads_the_workbook_whatever_the_date(source_data):
    other = make_meeting(
        dt.date(2023, 5, 10),
        subject="別の会議",
        result=MeetingResult.CONTINUE,
        points=(("別の論点", "別の回答"),),
        reported_on=dt.date(2023, 5, 17),
    )
    book = workbook(day=dt.date(2022, 11, 1), meeting_id=other.pk)
    report, agenda = values(book[REPORT]), values(book[AGENDA])

    assert "別の会議" in report
    assert dt.datetime(2023, 5, 10) in report and dt.datetime(2023, 5, 17) in report
    assert "新しい生活様式に対応した推進等 DX の推進" not in report
    assert [b for b in boxes(book[REPORT]) if b.startswith("☑")] == ["☑ 継続して検討する"]
    assert "●別の論点\n→別の回答" in report
    assert "別の会議" in agenda and dt.datetime(2023, 5, 3) in agenda


@pytest.mark.django_db
def test_a_plain_dates_workbook_holds_no_meeting_form(source_data):
    """Without a chosen meeting the workbook is the programme's state on the day: no meeting's
    forms, whichever meeting was the last before it."""
    for day in (dt.date(2022, 11, 1), dt.date(2022, 3, 13)):
        titles = workbook(day=day, meeting_id=None).sheetnames

        assert REPORT not in titles and AGENDA not in titles
        assert "前回までの指示事項の対応状況" not in titles
        assert titles  # the areas' sheets are still there


@pytest.mark.django_db
def test_a_chosen_meeting_leads_the_workbook_whatever_the_date(source_data):
    later = make_meeting(dt.date(2022, 12, 1), subject="後の会議")

    assert "新しい生活様式に対応した推進等 DX の推進" in values(workbook()[REPORT])
    assert "後の会議" in values(workbook(day=dt.date(2022, 12, 1), meeting_id=later.pk)[REPORT])


@pytest.mark.django_db
def test_unknown_meeting_id_writes_a_note_and_still_sets_up_the_page(source_data):
    book = workbook(meeting_id=999)

    for title in (REPORT, AGENDA):
        ws = book[title]
        assert ws["A1"].value == "該当する会議はありません。"
        assert ws.page_setup.paperSize == 9
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True


@pytest.mark.django_db
def test_meeting_without_agenda_paper_notes_it_on_the_agenda_sheet(db):
    meeting = make_meeting(dt.date(2022, 11, 1), agenda=False)
    book = workbook(meeting_id=meeting.pk)

    assert book[AGENDA]["A1"].value == "この会議の重要計画付議(報告)書は登録されていません。"
    assert "テスト会議" in values(book[REPORT])


@pytest.mark.django_db
def test_remarks_are_printed_under_the_note(db):
    meeting = make_meeting(dt.date(2022, 11, 1), remarks="資料は別添のとおり")
    found = values(workbook(meeting_id=meeting.pk)[REPORT])

    assert found[-2:] == ["備考：会議内容を簡潔に記載すること", "資料は別添のとおり"]


@pytest.mark.django_db
def test_sheets_take_a_constant_number_of_queries(source_data, django_assert_max_num_queries):
    make_meeting(dt.date(2022, 10, 1), points=tuple((f"論点{i}", "") for i in range(20)))
    context = WorkbookContext(as_of=AsOf(dt.date(2022, 11, 1)))

    with django_assert_max_num_queries(2):  # the meeting with its paper, the points: once
        for sheet in (MeetingReportSheet(), AgendaPaperSheet()):
            sheet.write(Workbook().active, context)


@pytest.mark.django_db
def test_download_link_of_the_meeting_page_gives_its_papers(viewer_client, source_data):
    make_meeting(dt.date(2022, 12, 1), subject="後の会議")
    response = viewer_client.get(reverse("workbook"), {"as_of": "2022-11-01", "meeting": "1"})
    book = load_workbook(io.BytesIO(response.content))

    assert response.status_code == 200
    assert book.sheetnames[:2] == [REPORT, AGENDA]
    assert "新しい生活様式に対応した推進等 DX の推進" in values(book[REPORT])
