"""The 電子決裁 page: the published 66.9% with its period, rates from counts, the rollout, the
rate over time (chart and table) and the plan's history."""

import json
import re

import pytest

from tests.meetings.html import by_id, by_tag, page, text, with_class

from .factories import OCTOBER, count, department, month_after

pytestmark = pytest.mark.django_db


def figure_block(root, key):
    return by_id(root, f"figure-{key}")


def test_the_published_rate_66_9_percent_shows_with_its_period_and_source(
    viewer_client, source_data
):
    # Source: 2022.11.1 papers, 電子決裁について ※参考 「10月1日～10月21日の期間における電子決裁率 66.9%」.
    root = page(viewer_client.get("/approval/"))
    block = figure_block(root, "approval.published_rate_1")
    assert text(with_class(block, "figure-value")[0]) == "66.9%"
    about = text(with_class(block, "figure-about")[0])
    assert "令和4年10月1日～令和4年10月21日" in about
    assert "公表値（内訳のデータなし）" in about
    assert "分子／分母" not in about  # no counts are invented for it


def test_without_counts_the_counted_rate_is_a_dash(viewer_client, source_data):
    root = page(viewer_client.get("/approval/"))
    block = figure_block(root, "approval.whole_rate")
    assert text(with_class(block, "figure-value")[0]) == "－"
    assert "決裁件数が登録されていません" in text(by_id(root, "approval-current"))


def test_the_rollout_table_lists_started_and_planned_departments(viewer_client, source_data):
    root = page(viewer_client.get("/approval/?as_of=2022-11-01"))
    rows = [
        [text(cell).strip() for cell in by_tag(tr, "th") + by_tag(tr, "td")]
        for tr in by_tag(by_tag(by_id(root, "approval-rollout"), "tbody")[0], "tr")
    ]
    assert [row[:4] for row in rows] == [
        ["総務部", "開始済み", "令和4年10月1日", "令和4年10月1日"],
        ["医療介護部", "開始済み", "令和4年10月1日", "令和4年10月1日"],
        ["教育部", "開始済み", "令和4年10月1日", "令和4年10月1日"],
        ["政策企画部", "開始予定", "", "令和5年1月1日"],
    ]
    assert [row[4] for row in rows] == ["対応", "対応", "対応", "未対応"]


def test_the_plan_history_is_shown_as_in_the_papers(viewer_client, source_data):
    plan = text(by_id(page(viewer_client.get("/approval/")), "approval-plan"))
    assert "○当初の計画" in plan and "令和3年度内に全庁へ拡大予定" in plan
    assert "○変更→令和4年度の計画" in plan
    assert "遅くともクラウドPBXが導入される前（R4.10）までには、全庁導入へ" in plan
    assert "○今後の予定" in plan and "令和5年1月から他の部へ拡大予定" in plan


def test_current_rates_per_department_with_period_and_n(viewer_client, source_data):
    from approval.models import Department

    general, medical = (
        Department.objects.get(name="総務部"),
        Department.objects.get(name="医療介護部"),
    )
    count(general, OCTOBER, 90, 100)
    count(medical, OCTOBER, 10, 100)
    root = page(viewer_client.get("/approval/"))
    block = figure_block(root, "approval.whole_rate")
    assert text(with_class(block, "figure-value")[0]) == "50.0%"
    facts = text(by_id(root, "approval-whole"))
    assert "令和4年10月1日～令和4年10月31日" in facts
    assert "電子決裁 100件 ／ 決裁 200件（2部の合計）" in facts
    table = by_id(root, "approval-departments")
    body = [[text(c) for c in by_tag(tr, "td")] for tr in by_tag(by_tag(table, "tbody")[0], "tr")]
    assert body == [
        ["令和4年10月1日～令和4年10月31日", "90", "100", "90.0%", "データから集計"],
        ["令和4年10月1日～令和4年10月31日", "10", "100", "10.0%", "データから集計"],
    ]


def test_the_rate_over_time_is_charted_with_the_target_and_tabled(viewer_client, source_data):
    from decimal import Decimal

    from approval.models import Department, Target

    general = Department.objects.get(name="総務部")
    for n, (e, t) in enumerate([(60, 100), (70, 100), (0, 0)]):
        count(general, month_after(OCTOBER, n), e, t)
    Target.objects.create(fiscal_year=2022, rate=Decimal("80.0"), basis="試験の目標")
    html = viewer_client.get("/approval/").content.decode()
    data = re.search(
        r'<script id="chart-approval-rate-data" type="application/json">(.*?)</script>', html
    ).group(1)
    traces = {trace["name"]: trace for trace in json.loads(data)["data"]}
    assert traces["全庁"]["x"] == ["令和4年10月", "令和4年11月", "令和4年12月"]
    assert traces["全庁"]["y"] == [60.0, 70.0, None]  # a zero total: no point
    assert traces["目標"]["y"] == [80.0, 80.0, 80.0]
    assert traces["全庁（公表値）"]["y"] == [66.9, None, None]
    root = page(viewer_client.get("/approval/"))
    table = by_tag(by_id(root, "approval-trend"), "table")[0]
    header = [text(th) for th in by_tag(by_tag(table, "thead")[0], "th")]
    assert header == ["月", "全庁", "全庁の決裁件数", "総務部", "目標", "全庁（公表値）"]
    rows = [
        [text(c) for c in by_tag(tr, "th") + by_tag(tr, "td")]
        for tr in by_tag(by_tag(table, "tbody")[0], "tr")
    ]
    assert rows == [
        ["令和4年10月", "60.0%", "100", "60.0%", "80.0%", "66.9%"],
        ["令和4年11月", "70.0%", "100", "70.0%", "80.0%", ""],
        ["令和4年12月", "－", "0", "－", "80.0%", ""],
    ]
    assert text(with_class(root, "attainment")[0]) == "－"  # the newest month has no rate


def test_department_names_are_escaped_in_the_page_and_the_chart(viewer_client, source_data):
    evil = department("<b>部</b>", order=9)
    count(evil, OCTOBER, 1, 2)
    html = viewer_client.get("/approval/").content.decode()
    assert "<b>部</b>" not in html
    data = re.search(
        r'<script id="chart-approval-rate-data" type="application/json">(.*?)</script>', html
    ).group(1)
    names = [trace["name"] for trace in json.loads(data)["data"]]
    assert "&lt;b&gt;部&lt;/b&gt;" in names


def test_the_page_needs_the_view_permission(client, source_data):
    from django.contrib.auth import get_user_model

    assert client.get("/approval/").status_code == 302  # to the login page
    client.force_login(get_user_model().objects.create_user("nobody"))
    assert client.get("/approval/").status_code == 403
