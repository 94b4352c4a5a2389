"""The meeting page: both papers laid out as printed, escaped, with history and edit link."""

import pytest
from django.urls import reverse

from meetings.models import Meeting, MeetingResult

from .factories import make_meeting
from .html import by_id, by_tag, history_rows, page, text, with_class

SOURCE_MEETING = 1  # pk of the 2022-11-01 meeting in fixtures/meeting_2022_11_01.json


def detail(client, pk=SOURCE_MEETING):
    return client.get(reverse("meetings:detail", args=[pk]))


def row(root, row_id):
    """The text of the answer cell of a numbered row of 会議結果報告書."""
    return text(by_tag(by_id(root, row_id), "td")[0])


@pytest.mark.django_db
def test_source_meeting_report_shows_the_papers_date_place_subject_and_attendees(
    viewer_client, source_data
):
    root = page(detail(viewer_client))
    report = by_id(root, "result-report")

    assert text(with_class(report, "paper-title")[0]) == "会議結果報告書"
    assert text(with_class(report, "paper-date")[0]) == "令和4年11月24日"
    assert row(root, "report-held-on") == "令和4年11月1日"
    assert row(root, "report-place") == "議員全員協議会室"
    assert row(root, "report-subject") == "新しい生活様式に対応した推進等 DX の推進"
    assert row(root, "report-attendees").startswith("市長、副市長、教育長")


@pytest.mark.django_db
def test_report_rows_are_numbered_one_to_six_in_printed_order(viewer_client, source_data):
    report = by_id(page(detail(viewer_client)), "result-report")
    headings = [text(th) for th in by_tag(report, "th")]

    assert headings == ["1会議日時", "2場所", "3件名", "4出席者", "5会議結果", "6会議内容"]


@pytest.mark.django_db
def test_result_row_ticks_only_acknowledged_and_leaves_the_other_four_boxes_empty(
    viewer_client, source_data
):
    result_row = by_id(page(detail(viewer_client)), "report-result")
    boxes = [text(li) for li in by_tag(result_row, "li")]

    assert boxes == [
        "☐案のとおり決定する",
        "☐一部修正の上、決定する",
        "☐継続して検討する",
        "☐案を否決する",
        "☑報告を了承する（選択）",
    ]
    assert text(result_row).count("☑") == 1
    assert text(result_row).count("☐") == 4


@pytest.mark.django_db
def test_chosen_result_is_marked_for_screen_readers_not_only_by_the_tick(
    viewer_client, source_data
):
    result_row = by_id(page(detail(viewer_client)), "report-result")
    (chosen,) = by_tag(result_row, "strong")

    assert "報告を了承する" in text(chosen)
    assert text(with_class(chosen, "visually-hidden")[0]) == "（選択）"
    for box in with_class(result_row, "box"):
        assert ("aria-hidden", "true") in box.attributes


@pytest.mark.django_db
@pytest.mark.parametrize("result", MeetingResult.values)
def test_each_result_ticks_its_own_box(viewer_client, result):
    meeting = make_meeting(result=result)
    result_row = by_id(page(detail(viewer_client, meeting.pk)), "report-result")
    (chosen,) = by_tag(result_row, "strong")

    assert text(chosen) == f"☑{MeetingResult(result).label}（選択）"


@pytest.mark.django_db
def test_points_are_bulleted_and_the_reply_follows_its_point_with_an_arrow(
    viewer_client, source_data
):
    points_cell = by_tag(by_id(page(detail(viewer_client)), "report-points"), "td")[0]
    lines = [text(p) for p in by_tag(points_cell, "p")]

    assert lines == [
        "●明浜支所、野村支所は先行して総合窓口の端末設定を行うこととする。",
        "●本庁の総合窓口の業務は、多岐にわたるため経験年数のある職員の配置が必要ではないか。",
        "→業務を覚えることは必要である。市長部局、教育部局関係なく総合窓口配置するように。",
        "●オフィス改革に伴い、1階の看板が無くなったが、市民目線に立ち、看板の設置を検討することが必要。",
    ]


@pytest.mark.django_db
def test_report_note_is_printed_under_the_table_with_the_remarks(viewer_client):
    meeting = make_meeting(remarks="次回は12月に開催する。\n資料は事前配布。")
    report = by_id(page(detail(viewer_client, meeting.pk)), "result-report")

    assert text(with_class(report, "paper-note")[0]) == "備考：会議内容を簡潔に記載すること"
    remarks = with_class(report, "paper-remarks")[0]
    assert "次回は12月に開催する。" in text(remarks)
    assert by_tag(remarks, "br"), "multi-line remarks keep their line breaks"


@pytest.mark.django_db
def test_agenda_paper_shows_form_number_date_department_and_numbered_fields(
    viewer_client, source_data
):
    paper = by_id(page(detail(viewer_client)), "agenda-paper")

    assert text(with_class(paper, "paper-form-no")[0]) == "様式第2号(第4条関係)"
    assert text(with_class(paper, "paper-title")[0]) == "重要計画付議(報告)書"
    assert text(with_class(paper, "paper-date")[0]) == "令和4年10月24日"
    assert text(with_class(paper, "paper-department")[0]) == "部課名(政策企画部 政策推進課)"
    rows = {text(tr.children[0]): text(tr.children[1]) for tr in by_tag(paper, "tr")}
    assert rows == {
        "1件名": "新しい生活様式に対応した推進等 DX の推進",
        "2計画の概要": (
            "新生活様式対応行政サービス構築事業において、令和4年度に総合窓口、キャッシュレス、"
            "クラウド PBX 及び電子決済の全庁展開を計画している。"
        ),
        "3関係法令等": "",
        "4関係課": "市組織全て",
        "5その他": "",
    }
    assert text(with_class(paper, "paper-note")[0]) == "備考：計画書を付議又は報告する場合に使用"


@pytest.mark.django_db
def test_meeting_without_agenda_paper_says_it_has_none(viewer_client):
    meeting = make_meeting(agenda=False)
    paper = by_id(page(detail(viewer_client, meeting.pk)), "agenda-paper")

    assert "登録されていません" in text(paper)
    assert not by_tag(paper, "table")


@pytest.mark.django_db
def test_hostile_text_is_escaped_everywhere_it_is_shown(viewer_client):
    hostile = "<script>alert(1)</script>"
    meeting = make_meeting(
        subject=hostile,
        place=hostile,
        attendees=hostile,
        remarks=hostile,
        points=((hostile, hostile),),
    )
    content = detail(viewer_client, meeting.pk).content.decode()

    assert "<script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


@pytest.mark.django_db
def test_page_loads_the_form_stylesheet(viewer_client, source_data):
    content = detail(viewer_client).content.decode()

    assert 'href="/static/css/meetings.css"' in content


@pytest.mark.django_db
def test_viewer_sees_no_edit_link(viewer_client, source_data):
    content = detail(viewer_client).content.decode()

    assert "管理画面で編集" not in content
    assert reverse("admin:meetings_meeting_change", args=[SOURCE_MEETING]) not in content


@pytest.mark.django_db
def test_editor_sees_edit_link_to_the_admin_change_page(editor_client, source_data):
    root = page(detail(editor_client))
    (link,) = [a for a in by_tag(root, "a") if text(a) == "管理画面で編集"]

    assert dict(link.attributes)["href"] == reverse(
        "admin:meetings_meeting_change", args=[SOURCE_MEETING]
    )


@pytest.mark.django_db
def test_history_lists_the_loaded_meeting_its_three_points_and_agenda_paper(
    viewer_client, source_data
):
    """The load from the report is one entry, as a clerk would log it, not a row per part."""
    root = page(detail(viewer_client))
    (row,) = history_rows(root)
    (content,) = by_tag(by_tag(with_class(root, "history")[0], "tbody")[0], "td")[4:5]
    lines = [text(li) for li in by_tag(content, "li")]

    assert row["操作"] == "資料から読込（令和4年11月24日）"
    assert row["日時"] == "令和4年11月24日"  # the paper's day; the load's time is nobody's
    assert row["対象"].startswith("会議「")
    assert sum(line.startswith("会議内容：") for line in lines) == 3
    assert sum(line.startswith("重要計画付議(報告)書：") for line in lines) == 1
    assert "会議結果報告書" in text(content)  # the paper it came from


@pytest.mark.django_db
def test_unknown_meeting_is_not_found(viewer_client):
    assert detail(viewer_client, 999).status_code == 404


@pytest.mark.django_db
def test_deleted_point_leaves_the_paper_but_stays_in_the_history(viewer_client, source_data):
    Meeting.objects.get(pk=SOURCE_MEETING).points.get(order=3).delete()
    root = page(detail(viewer_client))

    assert "オフィス改革" not in row(root, "report-points")
    (deleted,) = [r for r in history_rows(root) if r["操作"] == "削除"]
    assert deleted["対象"].startswith("会議内容「オフィス改革に伴い")
