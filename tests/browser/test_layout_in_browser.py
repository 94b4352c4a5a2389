"""A viewer reads the seat plan in headless Chromium: the printed table with its totals and the
two flagged rows, the chart drawn by plotly.js, a filter, and a download."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_viewer_reads_the_seat_plan(live_server, page, login, source_data, viewer):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    login("suzuki", "pw-viewer-1")
    page.get_by_role("link", name="座席計画", exact=True).click()
    page.wait_for_url(f"{live_server.url}/layout/")
    table = page.locator("#layout-table")
    assert table.locator("tr.plan-row").count() == 10
    first_floor = table.locator("tr.subtotal").first
    assert first_floor.locator("td.balance").inner_text() == "△6"
    assert "席が足りません（△6）" in first_floor.inner_text()
    flagged = table.locator("tr.flagged")
    assert flagged.count() == 2
    assert "印刷値△7は計算値△6と違います" in flagged.nth(0).inner_text()
    assert "印刷値2は計算値1と違います" in flagged.nth(1).inner_text()
    assert table.locator("tfoot td.balance").inner_text() == "17"

    chart = page.locator("[data-chart='chart-layout-floors-data']")
    chart.locator(".main-svg").first.wait_for()
    assert chart.get_attribute("data-drawn") == "true"
    assert page.locator("figure.chart details.chart-table").get_attribute("open") is None
    assert errors == []

    page.get_by_label("表示する行").select_option(label="席が足りない行")
    page.get_by_role("button", name="絞り込む").click()
    page.wait_for_url("**rows=short*")
    assert table.locator("tr.plan-row").count() == 2

    with page.expect_download() as info:
        page.get_by_role("link", name="Excel（.xlsx）").click()
    assert (
        info.value.suggested_filename
        == "座席計画_令和5年度_" + info.value.suggested_filename.split("_")[2]
    )
    assert info.value.suggested_filename.endswith("時点.xlsx")
