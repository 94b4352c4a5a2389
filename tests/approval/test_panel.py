"""The dashboard's 電子決裁 panel: the published rate with its period, the counted rate."""

import pytest

from approval.panels import ApprovalPanel
from core.history import AsOf
from tests.meetings.html import by_id, page, text, with_class

from .factories import OCTOBER, count

pytestmark = pytest.mark.django_db


def test_the_panel_shows_the_published_66_9_percent_with_its_period(viewer_client, source_data):
    # Source: 2022.11.1 papers, 電子決裁について ※参考.
    root = page(viewer_client.get("/?as_of=2022-11-01"))
    panel = by_id(root, "panel-approval")
    block = by_id(panel, "figure-approval.published_rate_1")
    assert text(with_class(block, "figure-value")[0]) == "66.9%"
    assert "令和4年10月1日～令和4年10月21日" in text(block)
    assert "公表値（内訳のデータなし）" in text(block)
    assert "開始済み 3部・開始予定 1部・未定 0部" in text(panel)


def test_the_panel_shows_the_counted_rate_summed_over_departments(viewer_client, source_data):
    from approval.models import Department

    count(Department.objects.get(name="総務部"), OCTOBER, 9, 10)
    count(Department.objects.get(name="教育部"), OCTOBER, 10, 100)
    panel = by_id(page(viewer_client.get("/")), "panel-approval")
    block = by_id(panel, "figure-approval.whole_rate")
    assert text(with_class(block, "figure-value")[0]) == "17.3%"  # 19 / 110, not (90+10)/2
    assert "電子決裁19 ／ 決裁110" in text(block)


def test_the_panel_figures_go_to_the_workbook_figures_sheet(source_data):
    figures = ApprovalPanel().figures(AsOf.today())
    assert [(f.label, f.formatted, str(f.source.label)) for f in figures] == [
        ("電子決裁率（全庁・公表値）", "66.9%", "公表値（内訳のデータなし）"),
        ("電子決裁率（全庁）", "－", "データから集計"),
    ]


def test_the_panel_is_hidden_from_users_without_the_permission(client, source_data):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_user("nobody"))
    assert 'id="panel-approval"' not in client.get("/").content.decode()
