"""Editing meetings in the admin, and the history that records who changed what."""

import pytest
from django.urls import reverse

from core.japanese import person_name
from meetings.models import AgendaPaper, Meeting, MeetingPoint

from .factories import make_meeting
from .html import by_id, history_rows, page, text

SOURCE_MEETING = 1
CHANGE = reverse("admin:meetings_meeting_change", args=[SOURCE_MEETING])


def form_data(response) -> dict:
    """What the browser would post back from an admin change page, inlines included."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            if isinstance(value, bool) or value is None:
                if value:
                    data[form[name].html_name] = "on"
                continue
            if isinstance(value, list | tuple):
                value = value[0] if value else ""
            data[form[name].html_name] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


@pytest.mark.django_db
def test_change_page_has_the_points_and_the_agenda_paper_inline(editor_client, source_data):
    response = editor_client.get(CHANGE)
    formsets = {i.formset.prefix: i.formset for i in response.context["inline_admin_formsets"]}

    assert response.status_code == 200
    assert len(formsets["points"].initial_forms) == 3
    assert len(formsets["agenda_paper"].initial_forms) == 1
    assert formsets["agenda_paper"].max_num == 1


@pytest.mark.django_db
def test_editor_changing_the_meeting_in_the_admin_is_shown_with_their_name_on_the_page(
    editor_client, editor, source_data
):
    data = form_data(editor_client.get(CHANGE))
    data["place"] = "第1会議室"
    data["points-1-reply"] = "総合窓口には経験のある職員を配置する。"
    data["agenda_paper-0-related_laws"] = "西予市行政組織規則"

    response = editor_client.post(CHANGE, data)

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert Meeting.objects.get(pk=1).place == "第1会議室"
    rows = history_rows(page(editor_client.get(reverse("meetings:detail", args=[1]))))
    by_editor = {r["対象"].split("「")[0]: r for r in rows if r["変更者"] == person_name(editor)}
    assert by_editor["会議"]["操作"] == "変更"
    assert by_editor["会議"]["内容（変更前 → 変更後）"] == "場所：議員全員協議会室 → 第1会議室"
    assert (
        "総合窓口には経験のある職員を配置する。" in by_editor["会議内容"]["内容（変更前 → 変更後）"]
    )
    assert by_editor["重要計画付議(報告)書"]["内容（変更前 → 変更後）"] == (
        "関係法令等：（なし） → 西予市行政組織規則"
    )


@pytest.mark.django_db
def test_editor_can_add_a_point_and_it_appears_on_the_paper(editor_client, source_data):
    data = form_data(editor_client.get(CHANGE))
    extra = int(data["points-INITIAL_FORMS"])  # the first blank form after the existing ones
    data[f"points-{extra}-order"] = "4"
    data[f"points-{extra}-text"] = "次回会議で進捗を報告すること。"

    assert editor_client.post(CHANGE, data).status_code == 302
    assert MeetingPoint.objects.filter(meeting_id=SOURCE_MEETING).count() == 4
    content = editor_client.get(reverse("meetings:detail", args=[1])).content.decode()
    assert "●次回会議で進捗を報告すること。" in content


@pytest.mark.django_db
def test_a_second_agenda_paper_cannot_be_added(editor_client):
    meeting = make_meeting()
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = form_data(editor_client.get(url))
    data["agenda_paper-TOTAL_FORMS"] = "2"
    data.update(
        {
            "agenda_paper-1-submitted_on": "2023-05-01",
            "agenda_paper-1-department": "総務部 総務課",
            "agenda_paper-1-subject": "二枚目",
            "agenda_paper-1-plan_summary": "概要",
        }
    )

    response = editor_client.post(url, data)

    assert response.status_code == 200  # the form is shown again with an error
    assert AgendaPaper.objects.filter(meeting=meeting).count() == 1


@pytest.mark.django_db
def test_admin_history_of_a_meeting_lists_its_own_and_its_points_changes_in_japanese(
    editor_client, editor, source_data
):
    data = form_data(editor_client.get(CHANGE))
    data["place"] = "第1会議室"
    data["points-0-text"] = "明浜支所、野村支所、城川支所は先行して端末設定を行う。"
    assert editor_client.post(CHANGE, data).status_code == 302

    root = page(editor_client.get(reverse("admin:meetings_meeting_history", args=[1])))
    own = text(by_id(root, "object-history"))
    parts = text(by_id(root, "parts-history"))

    assert "場所：議員全員協議会室 → 第1会議室" in own
    assert person_name(editor) in own
    assert "令和4年11月24日 09:00" in own
    assert "（システム）" in own  # the version loaded from the paper
    assert "城川支所" in parts
    assert person_name(editor) in parts


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "found"),
    [("協議会室", True), ("教育長", True), ("看板", True), ("該当なし", False)],
)
def test_admin_search_covers_subject_place_attendees_and_points(
    editor_client, source_data, query, found
):
    response = editor_client.get(reverse("admin:meetings_meeting_changelist"), {"q": query})

    assert response.status_code == 200
    assert response.context["cl"].result_count == (1 if found else 0)


@pytest.mark.django_db
def test_admin_list_filters_by_result(editor_client, source_data):
    make_meeting(result="continue")
    url = reverse("admin:meetings_meeting_changelist")

    assert editor_client.get(url, {"result__exact": "continue"}).context["cl"].result_count == 1
    assert editor_client.get(url).context["cl"].result_count == 3  # and 2022-03-14


@pytest.mark.django_db
def test_viewer_cannot_open_the_admin_change_page(viewer_client, source_data):
    response = viewer_client.get(CHANGE)

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_editor_can_add_a_meeting_with_its_points_and_agenda_paper(editor_client, editor):
    url = reverse("admin:meetings_meeting_add")
    data = form_data(editor_client.get(url))
    data.update(
        {
            "held_on": "2023-02-01",
            "reported_on": "2023-02-10",
            "place": "第1会議室",
            "subject": "電子決裁の全庁展開",
            "attendees": "市長、副市長",
            "result": "decided",
            "points-0-order": "1",
            "points-0-text": "令和5年1月から他の部へ拡大する。",
            "agenda_paper-0-submitted_on": "2023-01-25",
            "agenda_paper-0-department": "政策企画部 政策推進課",
            "agenda_paper-0-subject": "電子決裁の全庁展開",
            "agenda_paper-0-plan_summary": "全庁で文書管理の電子決裁を行う。",
        }
    )

    assert editor_client.post(url, data).status_code == 302
    meeting = Meeting.objects.get(subject="電子決裁の全庁展開")
    assert meeting.points.get().text == "令和5年1月から他の部へ拡大する。"
    assert meeting.agenda_paper.department == "政策企画部 政策推進課"
    assert meeting.history.get().history_user == editor


def test_a_point_added_without_a_number_goes_last(source_data):
    meeting = Meeting.objects.get(pk=1)
    point = MeetingPoint.objects.create(meeting=meeting, text="追加の意見")
    assert point.order == 4
    assert list(meeting.points.values_list("text", flat=True))[-1] == "追加の意見"


def test_the_admin_list_shows_meeting_dates_in_the_era(editor_client, source_data):
    html = editor_client.get("/admin/meetings/meeting/").content.decode()
    assert "令和4年11月1日" in html
