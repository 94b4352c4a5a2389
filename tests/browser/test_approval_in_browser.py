"""A viewer opens the 電子決裁 page: the published rate, the counted rates and the chart."""

from decimal import Decimal

import pytest

from approval.models import Department, Target
from tests.approval.factories import OCTOBER, count, month_after

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_viewer_reads_the_approval_page_and_its_chart(
    live_server, page, login, source_data, viewer
):
    general, education = (Department.objects.get(name=n) for n in ("総務部", "教育部"))
    for n, (e, t) in enumerate([(60, 100), (70, 100), (80, 100)]):
        count(general, month_after(OCTOBER, n), e, t)
    count(education, month_after(OCTOBER, 2), 10, 100)
    Target.objects.create(fiscal_year=2022, rate=Decimal("80.0"), basis="試験の目標")

    console = []
    page.on("console", lambda message: console.append(message.text))
    login("suzuki", "pw-viewer-1")
    page.get_by_role("link", name="電子決裁", exact=True).click()
    page.wait_for_url(f"{live_server.url}/approval/")
    assert page.get_by_role("heading", level=1).inner_text() == "電子決裁"

    # The published rate (2022.11.1 papers ※参考), with its period and source on request.
    published = page.locator("#figure-approval\\.published_rate_1")
    assert published.locator(".figure-value").inner_text() == "66.9%"
    published.locator("summary").click()
    assert published.get_by_text("令和4年10月1日～令和4年10月21日").is_visible()
    assert published.get_by_text("公表値（内訳のデータなし）").is_visible()

    # December: (80 + 10) / (100 + 100) = 45.0%, not the average of 80% and 10%.
    whole = page.locator("#figure-approval\\.whole_rate .figure-value")
    assert whole.inner_text() == "45.0%"
    assert page.locator("#approval-whole .attainment").inner_text() == "未達"

    chart = page.locator("#approval-trend .chart-canvas")
    chart.and_(page.locator("[data-drawn=true]")).wait_for()
    assert chart.locator("svg.main-svg").count() >= 1
    legend = chart.locator(".legendtext").evaluate_all("els => els.map(e => e.textContent)")
    assert legend == ["全庁", "総務部", "教育部", "目標", "全庁（公表値）"]
    table = page.locator("#approval-trend details.chart-table")
    assert table.get_attribute("open") is None  # closed once the chart is drawn
    table.locator("summary").click()
    assert table.locator("tbody tr").count() == 3
    assert not [text for text in console if "Content Security Policy" in text], console
