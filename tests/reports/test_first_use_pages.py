"""What a new user meets first, on the server side: the menu's one current entry, the
dashboard's one as-of form, sort marks, 「－」 for a missing value, breadcrumbs that name the
object, and a plain date's Excel that is not called a meeting's papers."""

import io
import re
from urllib.parse import unquote

import pytest
from django.http import QueryDict
from django.template import engines
from django.test import RequestFactory
from openpyxl import load_workbook

from core.navigation import current_url, navigation
from meetings.models import Meeting
from projects.models import Initiative, ScheduleItem
from reports.views import requested_day

MENU = re.compile(r'<nav aria-label="メインメニュー">.*?</nav>', re.S)


def current_entries(html: str) -> list[str]:
    menu = MENU.search(html).group(0)
    return re.findall(r'aria-current="page">([^<]+)</a>', menu)


def test_the_longest_menu_url_the_path_starts_with_is_the_only_current_one():
    urls = ["/", "/schedule/", "/schedule/initiatives/", "/meetings/"]
    assert current_url("/", urls) == "/"
    assert current_url("/schedule/items/3/", urls) == "/schedule/"
    assert current_url("/schedule/initiatives/", urls) == "/schedule/initiatives/"
    assert current_url("/schedule/initiatives/3/", urls) == "/schedule/initiatives/"
    assert current_url("/meetings/1/", urls) == "/meetings/"
    assert current_url("/pbxx/", urls) is None  # home is current only on itself


@pytest.mark.django_db
def test_the_menu_marks_exactly_one_entry_on_each_section(viewer, source_data):
    request = RequestFactory().get("/schedule/initiatives/2/")
    request.user = viewer
    context = navigation(request)
    assert [i["label"] for i in context["nav_items"] if i["current"]] == ["その他の取組"]
    assert context["nav_home_current"] is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/", "ホーム"),
        ("/schedule/", "全体のスケジュール"),
        ("/schedule/items/1/", "全体のスケジュール"),
        ("/schedule/initiatives/", "その他の取組"),
        ("/schedule/initiatives/1/", "その他の取組"),
        ("/meetings/", "会議"),
        ("/meetings/1/", "会議"),
    ],
)
def test_each_page_has_one_current_menu_entry(viewer_client, source_data, path, current):
    html = viewer_client.get(path).content.decode()
    assert current_entries(html) == [current]


def test_the_dashboard_form_takes_the_field_the_user_changed():
    def day(query: str) -> str:
        return requested_day(QueryDict(query))

    assert day("") == ""
    assert day("as_of=2022-06-30") == "2022-06-30"
    # Shown as of 2026-11-28: the user picked the 11-01 meeting (the date field unchanged).
    assert day("shown=2026-11-28&as_of=2026-11-28&pick=2022-11-01") == "2022-11-01"
    # Shown as of the 11-01 meeting: the user typed a date, the list still shows the meeting.
    assert day("shown=2022-11-01&as_of=2022-06-30&pick=2022-11-01") == "2022-06-30"
    assert day("shown=2022-11-01&as_of=2022-06-30&pick=") == "2022-06-30"


@pytest.mark.django_db
def test_the_dashboard_has_one_form_with_one_button_and_the_era_date(viewer_client, source_data):
    html = viewer_client.get("/?shown=2026-11-28&as_of=2026-11-28&pick=2022-11-01").content
    html = html.decode()
    head = html.split('<div class="dashboard-head">', 1)[1].split(
        '<section class="panel changes"', 1
    )[0]
    assert head.count("<form") == 1 and head.count("<button") == 1
    assert "<h1>令和4年11月1日時点の状況</h1>" in head
    assert re.search(r'<output id="as-of-date-era"[^>]*>令和4年11月1日</output>', head)
    assert 'value="2022-11-01" data-era="令和4年11月1日" selected' in head
    # The plain date's Excel is named and labelled by the date, not as a meeting's papers.
    assert "Excel（令和4年11月1日時点の状況）をダウンロード" in head and "会議資料" not in head


@pytest.mark.django_db
def test_the_dashboards_excel_of_a_plain_date_is_not_a_meetings_papers(viewer_client, source_data):
    html = viewer_client.get("/?as_of=2022-06-30").content.decode()
    href = re.search(r'href="([^"]+)" id="workbook-download"', html).group(1).replace("&amp;", "&")
    assert "meeting=" not in href
    response = viewer_client.get(href)
    disposition = response["Content-Disposition"]
    name = unquote(disposition.split("filename*=UTF-8''", 1)[1])
    assert name == "西予市DX推進_令和4年6月30日時点.xlsx"
    book = load_workbook(io.BytesIO(response.content))
    # Every sheet heading of the file says what it is; none calls the file 会議資料, and no
    # meeting's form leads it (the meeting page's button gives a meeting's papers).
    headings = [ws.cell(1, 1).value or ws.cell(2, 1).value for ws in book.worksheets if ws.max_row]
    assert not [h for h in headings if isinstance(h, str) and h.startswith("会議資料")]
    assert "会議結果報告書" not in book.sheetnames
    assert "重要計画付議(報告)書" not in book.sheetnames
    assert book.sheetnames[0] == "前回の会議からの変更"


@pytest.mark.django_db
def test_sortable_columns_say_which_way_they_sort(viewer_client, source_data):
    html = viewer_client.get("/schedule/?sort=-budget").content.decode()
    head = html.split("<thead", 1)[1].split("</thead>", 1)[0]
    budget = re.search(r"<th [^>]*>(?:(?!</th>).)*予算額", head, re.S).group(0)
    assert 'aria-sort="descending"' in budget and "desc" in budget and "orderable" in budget
    status = re.search(r"<th [^>]*>(?:(?!</th>).)*状況", head, re.S).group(0)
    assert "aria-sort" not in status and "orderable" in status
    assert head.count("aria-sort=") == 1
    # 状況 cells carry the class that keeps 完了予定 and R4にかけて on one line.
    assert re.search(r'<td class="status">完了予定</td>', html)
    assert re.search(r'<td class="status">R4にかけて</td>', html)


@pytest.mark.django_db
def test_a_missing_value_prints_the_same_mark_everywhere(viewer_client, source_data):
    template = engines["django"].from_string("{{ a|dash }}|{{ b|dash }}|{{ c|dash }}|{{ d|dash }}")
    assert template.render({"a": None, "b": "", "c": 0, "d": "運用"}) == "－|－|0|運用"
    schedule = viewer_client.get("/schedule/").content.decode()
    assert '<span class="line">－</span>' in schedule  # 書類整理, 電子決裁: the papers' "-"
    item = ScheduleItem.objects.get(name="書類整理")
    assert "－" in viewer_client.get(item.get_absolute_url()).content.decode()
    meetings = viewer_client.get("/meetings/").content.decode()
    assert "—" not in meetings and "－" in meetings  # the 3-14 meeting: no place, no result


@pytest.mark.django_db
def test_breadcrumbs_name_the_object(viewer_client, source_data):
    def crumbs(path: str) -> list[str]:
        html = viewer_client.get(path).content.decode()
        nav = re.search(r'<nav class="breadcrumb".*?</nav>', html, re.S).group(0)
        return [re.sub(r"<[^>]+>", "", li) for li in re.findall(r"<li[^>]*>(.*?)</li>", nav)]

    item = ScheduleItem.objects.get(name="キャッシュレス")
    assert crumbs(item.get_absolute_url()) == [
        "全体のスケジュール",
        "窓口フロントスタッフ",
        item.name,
    ]
    initiative = Initiative.objects.order_by("pk").first()
    assert crumbs(initiative.get_absolute_url()) == ["その他の取組", initiative.name]
    meeting = Meeting.objects.get(held_on="2022-11-01")
    assert crumbs(meeting.get_absolute_url()) == [
        "会議",
        "令和4年11月1日 新しい生活様式に対応した推進等 DX の推進",
    ]
