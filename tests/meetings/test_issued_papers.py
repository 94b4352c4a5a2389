"""「資料を確定」: a meeting's papers stored as issued, byte for byte, and the next meeting."""

import datetime as dt
import hashlib
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from meetings.models import AgendaPaper, IssuedPapers, Meeting, MeetingPoint
from projects.models import BudgetLine, ScheduleItem

ISSUE = reverse("meetings:issue", args=[1])
PAPERS = reverse("meetings:papers", args=[1])
DETAIL = reverse("meetings:detail", args=[1])


def edit_budget(user, amount=9000):
    line = BudgetLine.objects.get(item=ScheduleItem.objects.get(name="キャッシュレス"))
    line.amount = amount
    line._history_user = user
    line.save()


@pytest.mark.django_db
def test_a_viewer_cannot_issue_papers(viewer_client, source_data):
    assert viewer_client.post(ISSUE).status_code == 403
    assert not IssuedPapers.objects.exists()
    assert "資料を確定" not in viewer_client.get(DETAIL).content.decode()


@pytest.mark.django_db
def test_issuing_needs_a_post_with_the_csrf_token(editor, source_data):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    assert strict.get(ISSUE).status_code == 405
    assert strict.post(ISSUE).status_code == 403  # no token
    assert not IssuedPapers.objects.exists()


@pytest.mark.django_db
def test_an_issued_workbook_downloaded_after_an_edit_is_byte_identical(
    editor_web, viewer_client, editor, source_data
):
    draft_before = viewer_client.get(PAPERS)
    assert "_%E6%A1%88.xlsx" in draft_before["Content-Disposition"]  # …_案.xlsx

    response = editor_web.post(ISSUE, follow=True)
    issued = IssuedPapers.objects.get(meeting_id=1)
    assert issued.issued_by == editor and issued.issued_by_name == "田中 花子"
    assert issued.sha256 == hashlib.sha256(bytes(issued.content)).hexdigest()
    assert issued.size == len(bytes(issued.content))
    assert "会議資料を確定しました" in response.content.decode()

    first = viewer_client.get(PAPERS).content
    assert hashlib.sha256(first).hexdigest() == issued.sha256

    # Edits after the issue: a budget of the schedule and the meeting's own record.
    edit_budget(editor)
    meeting = Meeting.objects.get(pk=1)
    meeting.place = "第1会議室"
    meeting.save()
    point = MeetingPoint.objects.get(meeting_id=1, order=1)
    point.state = "done"
    point.save()

    again = viewer_client.get(PAPERS)
    assert again.content == first
    assert again["ETag"] == f'"{issued.sha256}"'
    # What the issued file says: the 2022-11-01 papers as they were.
    book = load_workbook(io.BytesIO(again.content))
    assert book["会議結果報告書"]["C6"].value == "議員全員協議会室"

    # A second issue is refused; the file stays.
    response = editor_web.post(ISSUE, follow=True)
    assert "すでに確定しています" in response.content.decode()
    assert viewer_client.get(PAPERS).content == first


@pytest.mark.django_db
def test_a_draft_is_regenerated_until_issued(viewer_client, editor, source_data):
    def budget_cell(content):
        ws = load_workbook(io.BytesIO(content))["全体のスケジュール"]
        return [c.value for row in ws.iter_rows(min_col=3, max_col=3) for c in row]

    # The meeting is in the past: its draft is as of its date, so compare a coming meeting.
    coming = Meeting.objects.create(held_on=dt.date(2030, 1, 10), subject="次の会議")
    url = reverse("meetings:papers", args=[coming.pk])
    assert 8800 in budget_cell(viewer_client.get(url).content)
    edit_budget(editor)
    assert 9000 in budget_cell(viewer_client.get(url).content)


@pytest.mark.django_db
def test_the_meeting_page_says_when_and_by_whom_and_offers_the_file(
    editor_web, viewer_client, source_data
):
    editor_web.post(ISSUE)
    issued = IssuedPapers.objects.get()
    html = viewer_client.get(DETAIL).content.decode()
    assert "田中 花子が確定しました" in html
    assert "確定した会議資料（Excel）をダウンロード" in html and PAPERS in html
    assert issued.sha256 in html
    assert 'id="issue-papers"' not in editor_web.get(DETAIL).content.decode()


@pytest.mark.django_db
def test_next_meeting_starts_from_a_copy_and_compares_with_the_last_issued(
    editor_web, viewer_client, editor, source_data
):
    editor_web.post(ISSUE)
    url = reverse("meetings:prepare_next", args=[1])
    assert viewer_client.get(url).status_code == 403
    form = editor_web.get(url).content.decode()
    assert (
        'value="新しい生活様式に対応した推進等 DX の推進"' in form and "csrfmiddlewaretoken" in form
    )

    refused = editor_web.post(url, {"held_on": "2022-10-01", "subject": "x"})
    assert "前回の会議（令和4年11月1日）より後にしてください" in refused.content.decode()
    assert Meeting.objects.count() == 2

    response = editor_web.post(
        url, {"held_on": "2030-02-01", "subject": "新しい生活様式に対応した推進等 DX の推進"}
    )
    following = Meeting.objects.get(held_on=dt.date(2030, 2, 1))
    assert response.status_code == 302 and response["Location"] == following.get_absolute_url()
    paper, original = following.agenda_paper, AgendaPaper.objects.get(meeting_id=1)
    assert paper.pk != original.pk
    for field in ("department", "subject", "plan_summary", "related_sections"):
        assert getattr(paper, field) == getattr(original, field)
    assert following.result == "" and following.place == "議員全員協議会室"

    edit_budget(editor)
    book = load_workbook(io.BytesIO(viewer_client.get(f"/meetings/{following.pk}/papers/").content))
    assert book["全体のスケジュール"]["A1"].value == (
        "全体のスケジュール（令和4年11月1日の会議資料から変更あり：1件）"
    )
    assert book["前回の会議からの変更"]["A1"].value.startswith(
        "前回の会議（令和4年11月1日）からの変更（令和12年2月1日時点）"
    )
    assert "前回までの指示事項の対応状況" in book.sheetnames
