"""A viewer pages through a schedule a hundred times the printed one, sorted and filtered."""

import pytest

from projects.models import Category
from tests.projects.test_schedule_pagination import multiply_schedule

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_viewer_pages_through_a_large_schedule(live_server, page, login, source_data, viewer):
    multiply_schedule(100)
    login("suzuki", "pw-viewer-1")
    page.goto(f"{live_server.url}/schedule/")
    table = page.locator("#schedule-table")
    pager = page.locator("nav.pager")
    assert table.locator("tbody tr").count() == 50
    assert pager.locator(".pager-count").inner_text() == "全1,300件中 1–50件"

    pager.get_by_role("link", name="次へ").click()
    page.wait_for_url("**page=2*")
    assert pager.locator(".pager-count").inner_text() == "全1,300件中 51–100件"
    assert table.locator("tbody tr").count() == 50
    assert table.locator("tfoot td.total").inner_text() == "18,719,700"

    table.get_by_role("link", name="予算額（千円）").click()  # sorting starts at page 1 again
    page.wait_for_url("**sort=budget*")
    assert "page=" not in page.url
    page.get_by_label("区分").select_option(label="業務継続")
    page.get_by_role("button", name="絞り込む").click()
    page.wait_for_url("**category=*")
    assert "sort=budget" in page.url  # the order is kept
    category = Category.objects.get(name="業務継続")
    assert f"category={category.pk}" in page.url
    count = pager.locator(".pager-count").inner_text()
    assert count.startswith("全") and count.endswith("中 1–50件")
    pager.get_by_role("link", name="2", exact=True).click()
    page.wait_for_url("**page=2*")
    assert "sort=budget" in page.url and f"category={category.pk}" in page.url
    assert table.locator("th[scope=rowgroup]").count() == 0  # sorted by amount: no grouping
