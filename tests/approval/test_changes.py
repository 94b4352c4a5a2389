"""E-approval's changes in 「前回の会議からの変更」 (dashboard and workbook)."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from approval.models import Department, PublishedRate, Target

from .factories import OCTOBER, count

pytestmark = pytest.mark.django_db


def changes_section(client, query="") -> str:
    html = client.get("/" + query).content.decode()
    return html.split('id="changes"', 1)[1].split("</section>", 1)[0]


@pytest.fixture
def edited(source_data, editor):
    general = Department.objects.get(name="総務部")
    measurement = count(general, OCTOBER, 80, 100)
    measurement.electronic = 90
    measurement._history_user = editor
    measurement.save()
    planned = Department.objects.get(name="政策企画部")
    planned.actual_start = planned.planned_start
    planned._history_user = editor
    planned.save()
    Target.objects.create(fiscal_year=2022, rate=Decimal("80.0"), basis="試験の目標")
    published = PublishedRate.objects.get()
    published.source = published.source + "（確認済み）"
    published.save()


def test_counts_and_rollout_changed_since_the_meeting_are_listed_per_department(
    viewer_client, edited
):
    section = changes_section(viewer_client)
    assert "前回の会議（令和4年11月1日）からの変更" in section
    assert "電子決裁（部）（2件）" in section
    general = section.split('<span class="change-target">総務部</span>', 1)[1].split(
        "</li>\n    </ul>"
    )[0]
    assert "電子決裁件数</span>：80 → 90" in general
    planning = section.split('<span class="change-target">政策企画部</span>', 1)[1]
    assert "開始日</span>：（なし） → 令和5年1月1日" in planning


def test_plan_targets_and_published_rates_are_grouped(viewer_client, edited):
    section = changes_section(viewer_client)
    assert "電子決裁（計画・目標・公表値）（2件）" in section
    assert '<span class="change-target">電子決裁率の目標</span>' in section
    assert '<span class="change-target">公表された電子決裁率</span>' in section


def test_todays_edits_are_not_there_as_of_the_meeting(viewer_client, edited):
    section = changes_section(viewer_client, "?as_of=2022-11-01")
    assert "電子決裁件数" not in section  # the counts entered today


def test_the_workbook_lists_them_in_the_changes_data_sheet(viewer_client, edited):
    book = load_workbook(io.BytesIO(viewer_client.get("/workbook/?meeting=1").content))
    rows = [list(r) for r in book["前回の会議からの変更(データ)"].iter_rows(values_only=True)]
    areas = {(row[0], row[1]) for row in rows[1:]}
    assert ("電子決裁（部）", "総務部") in areas
    assert ("電子決裁（計画・目標・公表値）", "電子決裁率の目標") in areas
    changed = [row for row in rows if row[1] == "総務部" and row[7] == "電子決裁件数"]
    # Newest first: the correction, then the count as it was added.
    assert [(row[8], row[9]) for row in changed] == [("80", "90"), (None, "80")]
