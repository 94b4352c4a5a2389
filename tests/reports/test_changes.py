"""「前回の会議からの変更」: what changed since the last meeting, on the dashboard and in the
workbook, read from the history of each area."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from openpyxl import load_workbook

from projects.models import BudgetLine, Concern, FiscalYearPlan, ScheduleItem


@pytest.fixture
def edited(source_data, editor):
    """An editor's changes today: a budget, a plan and a concern of キャッシュレス."""
    item = ScheduleItem.objects.get(name="キャッシュレス")
    for obj, field, value in (
        (BudgetLine.objects.get(item=item), "amount", 9000),
        (FiscalYearPlan.objects.get(item=item, year__start_year=2022), "content", "全庁導入"),
        (Concern.objects.filter(item=item).first(), "text", "手数料の負担"),
    ):
        setattr(obj, field, value)
        obj._history_user = editor
        obj.save()
    return item


def changes_section(client, query="") -> str:
    html = client.get("/" + query).content.decode()
    return html.split('id="changes"', 1)[1].split("</section>", 1)[0]


def test_from_the_2022_03_14_meeting_to_the_2022_11_01_one_nothing_changed(
    viewer_client, source_data
):
    """The papers: 「全体のスケジュール（2022.3.14の行政経営戦略会議資料より変更なし）」.
    As of a meeting's day, the previous meeting is the one before it."""
    section = changes_section(viewer_client, "?as_of=2022-11-01")
    assert "前回の会議（令和4年3月14日）からの変更" in section
    # The schedule did not change; what the areas first recorded for the 11-01 papers (the
    # PBX's revisions of 10/24, the seat plan, 電子決裁, the counter's figures) did.
    assert "全体のスケジュール" not in section
    assert "クラウドPBX" in section


def test_the_day_after_the_meeting_it_is_the_previous_one(viewer_client, source_data):
    section = changes_section(viewer_client, "?as_of=2022-11-02")
    assert "前回の会議（令和4年11月1日）からの変更" in section and "変更なし" in section


def test_before_any_meeting_there_is_nothing_to_compare_with(viewer_client, source_data):
    section = changes_section(viewer_client, "?as_of=2022-03-14")
    assert "この日より前の会議がないため、比較できません。" in section


def test_an_edit_shows_before_and_after_under_its_item_and_not_as_of_the_meeting(
    viewer_client, edited
):
    section = changes_section(viewer_client)
    assert "前回の会議（令和4年11月1日）からの変更" in section
    cashless = section.split('<span class="change-target">キャッシュレス</span>', 1)[1]
    cashless = cashless.split('<span class="change-target">', 1)[0]
    assert "予算額（千円）</span>：8,800 → 9,000" in cashless
    assert "全庁導入" in cashless and "手数料の負担" in cashless
    assert "田中 花子" in cashless
    assert "キャッシュレス" not in changes_section(viewer_client, "?as_of=2022-11-01")


def test_the_workbook_lists_the_changes_after_the_papers(viewer_client, edited):
    response = viewer_client.get("/workbook/?meeting=1")
    book = load_workbook(io.BytesIO(response.content))
    names = book.sheetnames
    assert names[:5] == [
        "会議結果報告書",
        "重要計画付議(報告)書",
        "前回までの指示事項の対応状況",
        "前回の会議からの変更",
        "前回の会議からの変更(データ)",
    ]
    form = book["前回の会議からの変更"]
    assert form["A1"].value.startswith("前回の会議（令和4年11月1日）からの変更")
    data = [
        [cell.value for cell in row] for row in book["前回の会議からの変更(データ)"].iter_rows()
    ]
    assert data[0] == [
        "区分", "対象", "日時", "変更者", "操作", "種類", "名称", "項目", "変更前", "変更後", "理由",
    ]  # fmt: skip
    budget = [row for row in data if row[1] == "キャッシュレス" and row[7] == "予算額（千円）"]
    assert budget and budget[0][8:10] == ["8,800", "9,000"] and budget[0][3] == "田中 花子"


def test_as_of_the_meeting_the_workbook_says_nothing_changed(viewer_client, edited):
    book = load_workbook(io.BytesIO(viewer_client.get("/workbook/?as_of=2022-11-01").content))
    rows = list(book["前回の会議からの変更(データ)"].iter_rows(min_row=2, values_only=True))
    # Today's edit of キャッシュレス is not there, nor anything of the schedule.
    assert rows and not [row for row in rows if row[0] == "全体のスケジュール"]
    assert "キャッシュレス" not in {row[1] for row in rows}


def test_a_user_sees_only_the_changes_of_what_they_may_view(client, edited):
    user = get_user_model().objects.create_user("kaigi")
    user.user_permissions.add(Permission.objects.get(codename="view_meeting"))
    client.force_login(user)
    section = changes_section(client)
    assert 'change-target">キャッシュレス<' not in section
    assert "全体のスケジュール（" not in section and "会議（1件）" in section


def test_the_dashboard_diffs_only_the_items_it_shows_in_constant_queries(
    viewer_client, edited, django_assert_max_num_queries
):
    with django_assert_max_num_queries(100) as few:  # every area's change sources
        viewer_client.get("/")
    item = ScheduleItem.objects.get(name="キャッシュレス")
    for n in range(40):
        ScheduleItem.objects.create(category=item.category, status=item.status, name=f"新{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        section = changes_section(viewer_client)
    assert section.count('class="change-target"') == 10 + 1  # ten items and the meeting
    assert "ほか31件" in section  # 41 items changed, ten shown


def test_without_the_meeting_role_no_meeting_title_or_date_shows(client, source_data):
    """A user who may read the schedule but not the meetings sees no meeting's name or date."""
    user = get_user_model().objects.create_user("yotei")
    user.user_permissions.add(Permission.objects.get(codename="view_scheduleitem"))
    client.force_login(user)
    html = client.get("/").content.decode()
    assert "新しい生活様式" not in html and "令和4年11月1日" not in html
    assert 'id="changes"' not in html and "会議の日付" not in html


def test_past_what_a_dashboard_counts_quickly_it_says_many(viewer_client, edited, monkeypatch):
    """The dashboard reads the newest records only; a long window is "many", not a slow count
    (the workbook still lists and counts everything)."""
    import core.comparison

    monkeypatch.setattr(core.comparison, "EXACT_COUNT_UP_TO", 0)
    section = changes_section(viewer_client)
    assert "全体のスケジュール（多数）" in section
    assert '<span class="change-target">キャッシュレス</span>' in section
    assert "予算額（千円）</span>：8,800 → 9,000" in section
