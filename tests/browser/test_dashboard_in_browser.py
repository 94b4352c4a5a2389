"""A viewer opens the dashboard before the meeting, moves its date and downloads the papers."""

import io
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from projects.models import BudgetLine

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_viewer_reads_the_dashboard_changes_its_date_and_downloads_the_workbook(
    live_server, page, login, source_data, viewer
):
    line = BudgetLine.objects.get(item__name="キャッシュレス")
    line.amount = 9000
    line.save()  # edited after the meeting: today's total differs from the meeting's

    console = []
    page.on("console", lambda message: console.append(message.text))
    login("suzuki", "pw-viewer-1")  # lands on the dashboard
    total = page.locator("#figure-schedule\\.budget_total .figure-value")
    assert total.inner_text().startswith("187,397")
    chart = page.locator("#panel-schedule .chart-canvas")
    chart.and_(page.locator("[data-drawn=true]")).wait_for()
    assert chart.locator("svg.main-svg").count() >= 1  # plotly drew it
    assert page.locator("#panel-schedule details.chart-table").get_attribute("open") is None
    # The page runs under script-src 'self': nothing was blocked.
    assert not [text for text in console if "Content Security Policy" in text], console

    # What changed since the last meeting: the edit, before → after, under its item.
    changes = page.locator("#changes")
    assert changes.get_by_role("heading", level=2).inner_text() == (
        "前回の会議（令和4年11月1日）からの変更"
    )
    cashless = changes.locator("li", has=page.locator(".change-target", has_text="キャッシュレス"))
    assert "予算額（千円）：8,800 → 9,000" in cashless.inner_text()

    # The definition of the figure, on request (keyboard/screen reader: a <details>).
    page.locator("#figure-schedule\\.budget_total summary").click()
    assert page.get_by_text("全体のスケジュールの各項目の予算額").is_visible()

    # As of the meeting's date, from the meeting picker.
    page.get_by_label("会議の日付", exact=True).select_option(
        label="令和4年11月1日 新しい生活様式に対応した推進等 DX の推進"
    )
    page.get_by_role("button", name="この日で表示").click()
    page.wait_for_url("**as_of=2022-11-01*")
    assert page.get_by_role("heading", level=1).inner_text() == "令和4年11月1日時点の状況"
    assert total.inner_text().startswith("187,197")
    # As of the meeting: since the 3-14 meeting the schedule is unchanged, and what the areas
    # first recorded for the 11-01 papers is listed.
    changes = page.locator("#changes").inner_text()
    assert "前回の会議（令和4年3月14日）からの変更" in changes
    assert "全体のスケジュール" not in changes and "電子決裁（部）" in changes

    with page.expect_download() as download_info:
        page.locator("#workbook-download").click()
    download = download_info.value
    assert unquote(download.suggested_filename) == "西予市DX推進_令和4年11月1日時点.xlsx"
    workbook = load_workbook(io.BytesIO(open(download.path(), "rb").read()))
    schedule = workbook["全体のスケジュール"]
    totals = [row for row in schedule.iter_rows(values_only=True) if row[1] == "計"]
    assert totals[0][2] == 187197
