"""The dashboard's 会議 panel, the meeting-date shortcut and the selectors behind them."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.test.html import parse_html
from django.urls import NoReverseMatch, reverse

from meetings import selectors
from meetings.panels import MeetingPanel
from reports.dashboard import AsOf, date_shortcuts, panels

from .factories import make_meeting
from .html import attr, by_tag, find_all, text

SOURCE_MEETING = 1  # pk of the 2022-11-01 meeting in fixtures/meeting_2022_11_01.json
SOURCE_DAY = dt.date(2022, 11, 1)


def context(day=SOURCE_DAY):
    return MeetingPanel().get_context(AsOf(day))


def rendered(day=SOURCE_DAY):
    try:
        reverse("workbook")
    except NoReverseMatch:
        pytest.skip("the core's 'workbook' URL is not there yet")
    return parse_html(render_to_string(MeetingPanel.template_name, context(day)))


def test_panel_is_registered_with_its_title_order_and_link():
    panel = next(p for p in panels if p.key == "meetings")

    assert isinstance(panel, MeetingPanel)
    assert (str(panel.title), panel.order, panel.template_name) == (
        "会議",
        90,
        "meetings/panel.html",
    )
    assert (panel.link_url_name, str(panel.link_label)) == ("meetings:list", "会議の一覧")


@pytest.mark.django_db
def test_last_meeting_is_the_one_held_on_or_before_the_day(source_data):
    assert context()["last"].pk == SOURCE_MEETING
    assert context(dt.date(2022, 11, 30))["last"].pk == SOURCE_MEETING
    assert context()["next"] is None


@pytest.mark.django_db
def test_before_the_first_meeting_there_is_no_last_and_it_is_next(source_data):
    found = context(dt.date(2022, 3, 13))

    assert found["last"] is None
    assert found["next"].held_on == dt.date(2022, 3, 14)  # the strategy meeting


@pytest.mark.django_db
def test_a_later_meeting_is_next(source_data):
    later = make_meeting(dt.date(2022, 12, 1), subject="次の会議")
    make_meeting(dt.date(2023, 1, 10), subject="その次の会議")

    assert context()["next"] == later
    assert context(dt.date(2022, 12, 1))["last"] == later


@pytest.mark.django_db
def test_panel_context_takes_one_query_per_meeting(source_data, django_assert_num_queries):
    with django_assert_num_queries(3):  # the last meeting, its points; the next meeting
        found = context()
        # The agenda paper and the points come with the meeting.
        assert found["last"].agenda_paper.department == "政策企画部 政策推進課"
        assert len(found["last"].points.all()) == found["last"].point_count == 3


@pytest.mark.django_db
def test_panel_shows_the_last_meeting_with_result_points_and_download_link(source_data):
    root = rendered()
    shown = text(root)

    assert [text(h) for h in by_tag(root, "h3")] == ["直近の会議", "次回の会議"]
    assert not by_tag(root, "h2")  # the core prints the panel's title
    assert "令和4年11月1日" in shown
    assert "議員全員協議会室" in shown
    assert "報告を了承する" in shown
    # The points themselves, not 「3件」.
    assert "明浜支所、野村支所は先行して総合窓口の端末設定を行うこととする。" in shown
    assert "看板の設置を検討することが必要。" in shown
    assert "予定されている会議はありません。" in shown

    links = {text(a): attr(a, "href") for a in by_tag(root, "a")}
    assert links["新しい生活様式に対応した推進等 DX の推進"] == reverse(
        "meetings:detail", args=[SOURCE_MEETING]
    )
    # The meeting's papers: the issued file once issued, else a draft as of its date.
    assert links["会議資料（Excel）をダウンロード"] == reverse(
        "meetings:papers", args=[SOURCE_MEETING]
    )


@pytest.mark.django_db
def test_panel_shows_the_next_meeting(source_data):
    make_meeting(dt.date(2022, 12, 1), subject="次の会議", place="第2会議室")
    root = rendered()
    (next_list,) = [dl for dl in find_all(root, lambda e: e.name == "dl") if "次の会議" in text(dl)]

    assert "令和4年12月1日" in text(next_list)
    assert "第2会議室" in text(next_list)


@pytest.mark.django_db
def test_panel_without_meetings_says_so(source_data):
    shown = text(rendered(dt.date(2022, 3, 13)))

    assert "この日までの会議はありません。" in shown
    assert "会議資料（Excel）をダウンロード" not in shown
    assert "令和4年3月14日" in shown  # the next meeting


@pytest.mark.django_db
def test_panel_escapes_the_subject(db):
    make_meeting(SOURCE_DAY, subject="<script>alert(1)</script>")
    html = render_to_string(MeetingPanel.template_name, context())

    assert "<script>" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.django_db
def test_meeting_dates_are_offered_newest_first_with_era_date_and_subject(source_data):
    make_meeting(dt.date(2022, 12, 1), subject="次の会議")
    shortcut = next(s for s in date_shortcuts if s.key == "meetings")

    assert str(shortcut.label) == "会議の日付"
    assert shortcut.order == 10
    assert shortcut.dates() == selectors.meeting_dates()
    assert selectors.meeting_dates() == [
        (dt.date(2022, 12, 1), "令和4年12月1日 次の会議"),
        (SOURCE_DAY, "令和4年11月1日 新しい生活様式に対応した推進等 DX の推進"),
        (dt.date(2022, 3, 14), "令和4年3月14日 全体のスケジュール"),
    ]


@pytest.mark.django_db
def test_detail_page_links_to_the_meeting_workbook(viewer_client, source_data):
    try:
        url = reverse("workbook")
    except NoReverseMatch:
        pytest.skip("the core's 'workbook' URL is not there yet")
    response = viewer_client.get(reverse("meetings:detail", args=[SOURCE_MEETING]))
    root = parse_html(response.content.decode())
    (link,) = [a for a in by_tag(root, "a") if text(a) == "会議資料（Excel、案）をダウンロード"]

    assert attr(link, "href") == reverse("meetings:papers", args=[SOURCE_MEETING])
    assert url  # the core's workbook builds the draft
