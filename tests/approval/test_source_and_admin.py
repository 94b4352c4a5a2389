"""The papers' 電子決裁 page as loaded from fixtures/approval.json, and the admin pages."""

import datetime as dt
from decimal import Decimal

import pytest

from approval.apps import ApprovalConfig
from approval.models import Department, Measurement, PlanRevision, PublishedRate, Target

pytestmark = pytest.mark.django_db


def test_the_fixture_is_declared_with_the_meetings_date():
    (fixture,) = ApprovalConfig.source_fixtures
    assert (fixture.filename, fixture.recorded_on) == ("approval.json", "2022-11-01")


def test_the_published_rate_is_66_9_percent_for_1_to_21_october_2022_without_counts(
    source_data,
):
    # Source: 2022.11.1 papers ※参考 「10月1日～10月21日の期間における電子決裁率 66.9%」.
    (rate,) = PublishedRate.objects.all()
    assert rate.department is None  # the whole office
    assert (rate.period_start, rate.period_end) == (dt.date(2022, 10, 1), dt.date(2022, 10, 21))
    assert rate.rate == Decimal("66.9")
    assert "電子決裁について" in rate.source
    assert not Measurement.objects.exists()  # no counts are invented
    assert not Target.objects.exists()  # the papers give no target rate


def test_the_departments_started_in_october_2022_and_the_others_are_planned(source_data):
    rows = list(
        Department.objects.values_list("name", "actual_start", "planned_start", "cross_department")
    )
    october, january = dt.date(2022, 10, 1), dt.date(2023, 1, 1)
    assert rows == [
        ("総務部", october, october, True),
        ("医療介護部", october, october, True),
        ("教育部", october, october, True),
        ("政策企画部", None, january, False),
    ]


def test_the_plan_history_reads_as_the_papers(source_data):
    plan = [(p.stage, p.heading, p.lines, p.target_label) for p in PlanRevision.objects.all()]
    assert plan == [
        (
            "original",
            "当初の計画",
            ["令和3年度内に全庁へ拡大予定であった部をまたがる決裁についても実施"],
            "令和3年度内",
        ),
        (
            "revised",
            "変更→令和4年度の計画",
            ["遅くともクラウドPBXが導入される前（R4.10）までには、全庁導入へ"],
            "R4.10",
        ),
        (
            "current",
            "現状",
            [
                "総務課と協議の結果、10月から、総務部、医療介護部、教育部で文書管理の電子決裁を開始",
                "部をまたがる決裁についても対応",
            ],
            "",
        ),
        ("next", "今後の予定", ["令和5年1月から他の部へ拡大予定"], "令和5年1月"),
    ]


def test_the_history_starts_on_the_meetings_day(source_data):
    record = PublishedRate.history.get()
    assert record.history_date.date() == dt.date(2022, 11, 1)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/approval/department/",
        "/admin/approval/department/1/change/",
        "/admin/approval/department/1/history/",
        "/admin/approval/measurement/",
        "/admin/approval/measurement/add/",
        "/admin/approval/measurement/import/",
        "/admin/approval/publishedrate/",
        "/admin/approval/planrevision/",
        "/admin/approval/target/",
    ],
)
def test_the_admin_pages_open_for_an_editor(editor_client, source_data, url):
    assert editor_client.get(url).status_code == 200


def test_the_measurement_list_links_the_import(editor_client, source_data):
    html = editor_client.get("/admin/approval/measurement/").content.decode()
    assert "/admin/approval/measurement/import/" in html
