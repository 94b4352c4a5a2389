"""The schedule's panel on the dashboard, today and as the history says it stood."""

import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.history import AsOf
from projects.models import (
    BudgetLine,
    Category,
    Concern,
    FiscalYearPlan,
    ProgrammeYear,
    ScheduleItem,
    Status,
)
from projects.panels import SchedulePanel

MEETING_DAY = dt.date(2022, 11, 1)


def figure_value(html: str, key: str) -> str:
    block = html.split(f'id="figure-{key}"', 1)[1]
    return re.search(r'class="figure-value"[^>]*>([^<]+)', block).group(1)


def test_dashboard_shows_the_budget_total_187197_as_of_the_meeting(viewer_client, source_data):
    html = viewer_client.get("/?as_of=2022-11-01").content.decode()
    assert "令和4年11月1日時点の状況" in html
    assert figure_value(html, "schedule.budget_total") == "187,197"
    assert "全体のスケジュールの各項目の予算額" in html  # its definition, on request


def test_items_by_status_are_charted_and_tabled(viewer_client, source_data):
    html = viewer_client.get("/?as_of=2022-11-01").content.decode()
    data = re.search(
        r'<script id="chart-schedule-status-data" type="application/json">(.*?)</script>', html
    ).group(1)
    bar = json.loads(data)["data"][0]
    assert dict(zip(bar["y"], bar["x"], strict=True)) == {
        "完了": 5, "完了予定": 4, "継続": 1, "R4継続": 2, "R4にかけて": 1
    }  # fmt: skip
    table = html.split('class="chart-table" open', 1)[1].split("</table>", 1)[0]
    assert '<th scope="row">完了</th><td class="num">5</td>' in table
    assert "<script>" not in html.split("</head>", 1)[1]  # no inline script: CSP script-src 'self'


def test_open_items_of_the_fiscal_year_and_concerns(source_data):
    context = SchedulePanel().get_context(AsOf(MEETING_DAY))
    # 令和4年度: every item has a plan; those whose status is not a completed one.
    assert [item.name for item in context["open_items"].entries] == [
        "申請書統合デジタル化（総合窓口）", "キャッシュレス", "遠隔面談・相談", "連絡のデジタル化",
        "レイアウト変更", "書類整理", "クラウドPBX", "電子決裁",
    ]  # fmt: skip
    assert context["open_items"].total == 8
    assert context["concerns"].total == 12 and len(context["concerns"].entries) == 8
    assert context["item_count"] == 13


def test_dashboard_lists_show_their_first_entries_and_the_count_from_sql(
    viewer_client, source_data
):
    """Long lists are cut on the dashboard: the first entries, how many more, and a link."""
    category, status = Category.objects.first(), Status.objects.get(name="継続")
    today = AsOf.today()
    year = ProgrammeYear.objects.create(start_year=today.fiscal_year)
    for n in range(38):
        item = ScheduleItem.objects.create(category=category, status=status, name=f"追加{n}")
        FiscalYearPlan.objects.create(item=item, year=year, content="計画")
        Concern.objects.create(item=item, text=f"懸案{n}")
    panel = SchedulePanel()
    with CaptureQueriesContext(connection) as queries:
        context = panel.get_context(today)
    assert context["open_items"].total == 38 and len(context["open_items"].entries) == 10
    assert context["concerns"].total == 12 + 38 and len(context["concerns"].entries) == 8
    html = viewer_client.get("/").content.decode()
    assert "ほか28項目（全38項目）" in html and "ほか42件" in html
    assert html.count('href="/schedule/">全体のスケジュールで見る') == 2
    assert len(queries) <= 12


def test_one_dashboard_request_reads_the_budget_total_once(source_data):
    """The panel's figure and its context share one as-of: the total is summed once."""
    as_of = AsOf(MEETING_DAY)
    panel = SchedulePanel()
    panel.get_context(as_of)
    with CaptureQueriesContext(connection) as queries:
        assert panel.figures(as_of)[0].value == 187_197
    assert len(queries) == 0


def test_as_of_a_date_before_an_edit_the_history_gives_the_older_value(
    editor, source_data, viewer_client
):
    line = BudgetLine.objects.get(item__name="キャッシュレス")
    line.amount = 9000
    line.save()  # an edit today
    today = viewer_client.get("/").content.decode()
    assert figure_value(today, "schedule.budget_total") == "187,397"
    before = viewer_client.get("/?as_of=2022-11-01").content.decode()
    assert figure_value(before, "schedule.budget_total") == "187,197"


def test_before_the_schedule_was_decided_there_was_nothing(viewer_client, source_data):
    html = viewer_client.get("/?as_of=2022-03-13").content.decode()
    assert figure_value(html, "schedule.budget_total") == "0"
    assert "0項目" in html


def test_an_item_deleted_later_still_counts_as_of_the_meeting(source_data):
    ScheduleItem.objects.get(name="テレワーク環境").delete()
    assert SchedulePanel().figures(AsOf.today())[0].value == 187_197 - 3_802 - 42_004
    assert SchedulePanel().figures(AsOf(MEETING_DAY))[0].value == 187_197


def test_a_bad_date_falls_back_to_today_with_a_message(viewer_client, source_data):
    html = viewer_client.get("/?as_of=2022-13-45").content.decode()
    assert "日付「2022-13-45」は読み取れません" in html
    assert f"{timezone.localdate().month}月" in html


def _grow(times: int) -> None:
    """Add (times - 1) copies of the printed schedule through the ORM, with their history."""
    category, status = Category.objects.first(), Status.objects.first()
    start = ScheduleItem.objects.count()
    for n in range(start, start + 13 * (times - 1)):
        item = ScheduleItem.objects.create(category=category, status=status, name=f"項目{n}")
        BudgetLine.objects.create(item=item, amount=1)


@pytest.mark.parametrize("as_of", ["", "?as_of=2022-11-01"])
def test_dashboard_query_count_does_not_grow_with_the_items(
    viewer_client, source_data, django_assert_max_num_queries, as_of
):
    _grow(2)  # some change since the meeting, so that every part of the page is read
    # A budget for the whole page: every area's panel and changes add to it (layout 8, pbx 7,
    # 電子決裁 15, 総合窓口 6, commitments 3).
    with django_assert_max_num_queries(130) as at_1x:
        viewer_client.get("/" + as_of)
    _grow(100)
    with django_assert_max_num_queries(len(at_1x.captured_queries)):
        response = viewer_client.get("/" + as_of)
    assert response.status_code == 200


def test_user_text_in_chart_json_is_escaped_twice_over(viewer_client, source_data):
    Status.objects.filter(name="継続").update(name='<img src=x onerror="alert(1)">')
    html = viewer_client.get("/").content.decode()
    data = re.search(
        r'<script id="chart-schedule-status-data" type="application/json">(.*?)</script>', html
    ).group(1)
    assert "<img" not in data  # json_script escapes < > & inside the script element
    labels = json.loads(data)["data"][0]["y"]
    assert '&lt;img src=x onerror="alert(1)"&gt;' in labels  # plotly renders HTML in labels
    assert "<img src=x" not in html


def test_a_fiscal_year_outside_the_programme_says_so_rather_than_all_done(
    viewer_client, source_data
):
    """Today (令和8年度) has no plans: 「ありません」 would read as "everything is done"."""
    html = viewer_client.get("/?as_of=2026-11-28").content.decode()
    assert "令和8年度の計画はありません（計画は令和3年度〜令和5年度のものです）。" in html
    meeting = viewer_client.get("/?as_of=2022-11-01").content.decode()
    assert "計画はありません" not in meeting and 'class="open-items"' in meeting


def test_the_budget_total_shows_the_date_of_its_newest_data(viewer_client, source_data):
    html = viewer_client.get("/?as_of=2022-11-01").content.decode()
    block = html.split('id="figure-schedule.budget_total"', 1)[1].split("</details>", 1)[0]
    assert "データ更新日：令和4年3月14日" in block and "より古いデータです" not in block
    later = viewer_client.get("/?as_of=2023-06-01").content.decode()
    block = later.split('id="figure-schedule.budget_total"', 1)[1].split("</details>", 1)[0]
    assert "データ更新日：令和4年3月14日" in block and "（365日より古いデータです）" in block


@pytest.mark.parametrize("day", ["1872-12-31", "0001-01-01", "2101-01-01", "9999-12-31"])
def test_a_date_the_era_cannot_print_falls_back_to_today_with_a_message(
    viewer_client, source_data, day
):
    response = viewer_client.get(f"/?as_of={day}")
    assert response.status_code == 200
    assert f"日付「{day}」は表示できる範囲（明治6年1月1日〜令和82年12月31日）の外です" in (
        response.content.decode()
    )
    assert viewer_client.get(f"/workbook/?as_of={day}").status_code == 200


def test_a_meeting_given_as_a_non_ascii_digit_is_refused_not_a_crash(viewer_client, source_data):
    response = viewer_client.get("/workbook/?meeting=²")
    assert response.status_code == 400
