"""A viewer opens 総合窓口, changes the period and the site, and sees figures and charts change."""

import pytest

from counter.models import Site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_viewer_changes_the_period_and_the_site_and_the_figures_and_charts_follow(
    live_server, page, login, source_data, viewer
):
    console = []
    page.on("console", lambda message: console.append(message.text))
    login("suzuki", "pw-viewer-1")
    page.get_by_role("link", name="総合窓口", exact=True).click()
    page.wait_for_url("**/counter/")

    received = page.locator("#figure-counter_received .figure-value")
    rate = page.locator("#figure-counter_rate .figure-value")
    assert received.inner_text() == "13,796件"
    assert rate.inner_text() == "58.4%"
    hours = page.locator("[data-chart=chart-counter-hours-data]")
    hours.and_(page.locator("[data-drawn=true]")).wait_for()
    assert hours.locator("svg.main-svg").count() >= 1
    bars_before = hours.locator("g.point").count()
    assert not [text for text in console if "Content Security Policy" in text], console

    # The pickers show the source period and the era date beside each, following the date typed.
    start, end = page.get_by_label("期間の初日"), page.get_by_label("期間の末日")
    assert (start.input_value(), end.input_value()) == ("2022-05-09", "2022-10-21")
    assert page.locator("#id_start-era").inner_text() == "令和4年5月9日"
    assert page.locator("#id_end-era").inner_text() == "令和4年10月21日"
    assert page.get_by_label("時点", exact=True).input_value() != ""
    assert page.locator("#as-of-date-era").inner_text().startswith("令和")

    # June only: fewer receptions, and the weekly line has fewer points.
    start.fill("2022-06-01")
    assert page.locator("#id_start-era").inner_text() == "令和4年6月1日"
    page.get_by_label("期間の末日").fill("2022-06-30")
    page.get_by_role("button", name="表示", exact=True).click()
    page.wait_for_url("**start=2022-06-01**")
    assert page.locator("#counter-period-label").inner_text() == "令和4年6月1日～令和4年6月30日"
    assert start.input_value() == "2022-06-01"
    assert page.locator("#id_end-era").inner_text() == "令和4年6月30日"
    june = received.inner_text()
    assert june not in ("13,796件", "0件")
    hours.and_(page.locator("[data-drawn=true]")).wait_for()
    weeks = page.locator("#chart-counter-weeks-caption").locator("..").locator("table tbody tr")
    assert weeks.count() == 5

    # A branch whose counter has not opened: nothing counted, no bars.
    page.get_by_label("窓口の場所").select_option(label="野村支所")
    page.get_by_role("button", name="表示", exact=True).click()
    page.wait_for_url(f"**site={Site.objects.get(name='野村支所').pk}**")
    assert received.inner_text() == "0件"
    assert rate.inner_text() == "－"
    assert page.locator("[data-chart=chart-counter-hours-data] g.point").count() < bars_before

    # As of an earlier day: every site, the source period, only what was dated by then.
    from tests.counter.test_as_of import EARLIER, _expected

    page.get_by_label("窓口の場所").select_option(label="すべての場所")
    page.get_by_label("期間の初日").fill("2022-05-09")
    page.get_by_label("期間の末日").fill("2022-10-21")
    page.get_by_label("時点", exact=True).fill(EARLIER.isoformat())
    assert page.locator("#as-of-date-era").inner_text() == "令和4年7月15日"
    page.get_by_role("button", name="表示", exact=True).click()
    page.wait_for_url(f"**as_of={EARLIER.isoformat()}**")
    assert page.locator("#counter-as-of").inner_text().startswith("令和4年7月15日時点")
    assert page.locator("#counter-period-label").inner_text() == "令和4年5月9日～令和4年7月15日"
    expected_received, _handled, expected_payments, _yen = _expected(EARLIER)
    assert received.inner_text() == f"{expected_received:,}件"
    cashless = page.locator("#figure-counter_cashless_count .figure-value")
    assert cashless.inner_text() == f"{expected_payments:,}件"
    hours.and_(page.locator("[data-drawn=true]")).wait_for()
    assert hours.locator("g.point").count() >= 1
    assert not [text for text in console if "Content Security Policy" in text], console
