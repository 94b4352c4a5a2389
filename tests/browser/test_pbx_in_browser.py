"""A viewer opens the cloud PBX rollout: one bar per site on the timeline, and moving the
as-of date from the papers' 10/24 back to 10/10 changes the bars and the table."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def bars(page):
    """The drawn bars: (trace name, site) for each bar plotly drew, in order."""
    return page.evaluate(
        """() => {
            const plot = document.querySelector('[data-chart="chart-pbx-timeline-data"]');
            const shown = [];
            plot.querySelectorAll('.barlayer .trace').forEach((trace, i) => {
                const data = plot._fullData.filter(t => t.type === 'bar')[i];
                trace.querySelectorAll('.point path').forEach((path, k) => {
                    shown.push([data.name, data.y[k], path.getAttribute('d')]);
                });
            });
            return shown;
        }"""
    )


def test_one_bar_per_site_and_the_as_of_date_changes_them(
    live_server, page, login, source_data, viewer
):
    login("suzuki", "pw-viewer-1")
    page.goto(f"{live_server.url}/pbx/?as_of=2022-10-24")
    chart = page.locator('[data-chart="chart-pbx-timeline-data"]')
    chart.and_(page.locator("[data-drawn=true]")).wait_for()
    on_24 = bars(page)
    assert sorted(site for _name, site, _d in on_24) == sorted(
        ["本庁", "明浜支所", "野村支所", "城川支所", "三瓶支所", "公民館"]
    )
    states = {site: name for name, site, _d in on_24}
    assert (
        states["本庁"] == "未定" and states["野村支所"] == "運用中" and states["明浜支所"] == "予定"
    )
    assert (
        page.locator("#pbx-sites tr[data-site=本庁] .pbx-story")
        .inner_text()
        .startswith("当初10/17 → 10/24 → 未定")
    )

    page.get_by_label("時点", exact=True).fill("2022-10-10")
    page.get_by_role("button", name="表示", exact=True).click()
    page.wait_for_url("**as_of=2022-10-10*")
    chart.and_(page.locator("[data-drawn=true]")).wait_for()
    on_10 = bars(page)
    assert len(on_10) == 6
    assert {site: name for name, site, _d in on_10} == dict.fromkeys(
        ["本庁", "明浜支所", "野村支所", "城川支所", "三瓶支所", "公民館"], "予定"
    )
    shape_24 = {site: d for _n, site, d in on_24}
    shape_10 = {site: d for _n, site, d in on_10}
    assert (
        shape_24["本庁"] != shape_10["本庁"]
    )  # 未定 reaches the deadline; on 10/10 it ended 10/17
    assert (
        page.locator("#pbx-sites tr[data-site=本庁] .pbx-story").inner_text().strip() == "当初10/17"
    )
    assert page.get_by_role("heading", level=1).inner_text() == (
        "クラウドPBX 施設ごとの状況（令和4年10月10日時点）"
    )
