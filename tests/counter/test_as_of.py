"""The counter page, its panel and its sheets as of a date (``?as_of=``): what was known that day.

Receptions and payments dated after the day are not counted (machine data, read by its own
date); requests, plans, published figures and the sites' names and opening days are as their
history recorded them by the end of the day. The expected figures of an earlier day are summed
here from the fixture file's rows, not through the selectors.
"""

import datetime as dt
import json

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.history import AsOf
from counter import selectors
from counter.models import CounterRequest, RequestState, Site
from counter.panels import CounterPanel
from counter.selectors import CounterFilter
from tests.meetings.html import by_id, page, text

from .test_page import figure_value
from .test_sheets import rows_of, workbook

pytestmark = pytest.mark.django_db
URL = "/counter/"
EARLIER = dt.date(2022, 7, 15)


def _fixture_rows(model: str) -> list[dict]:
    rows = json.loads((settings.BASE_DIR / "fixtures" / "counter_demo.json").read_text("utf-8"))
    return [r["fields"] for r in rows if r["model"] == model]


def _expected(until: dt.date, start=dt.date(2022, 5, 9)) -> tuple[int, int, int, int]:
    """Receptions, handled, payments and yen from the fixture's site rows up to ``until``."""
    tallies = [
        r
        for r in _fixture_rows("counter.receptiontally")
        if r["site"] is not None and start <= dt.date.fromisoformat(r["day"]) <= until
    ]
    payments = [
        r
        for r in _fixture_rows("counter.cashlesspayment")
        if start <= dt.date.fromisoformat(r["paid_on"]) <= until
    ]
    return (
        sum(r["received"] for r in tallies),
        sum(r["handled"] for r in tallies),
        sum(r["count"] for r in payments),
        sum(r["amount"] for r in payments),
    )


def test_as_of_the_source_period_end_the_page_shows_the_papers_figures(viewer_client, source_data):
    assert _expected(dt.date(2022, 10, 21)) == (13796, 8061, 221, 118120)
    root = page(viewer_client.get(URL, {"as_of": "2022-10-21"}))
    assert text(by_id(root, "counter-as-of")).startswith("令和4年10月21日時点")
    assert figure_value(root, "counter_received") == "13,796件"
    assert figure_value(root, "counter_handled") == "8,061件"
    assert figure_value(root, "counter_rate") == "58.4%"
    assert figure_value(root, "counter_cashless_count") == "221件"
    assert figure_value(root, "counter_cashless_amount") == "118,120円"
    # The printed totals were recorded on 2022-10-24 for the 11-01 papers: not yet known.
    assert "この日までに記録された公表値はありません。" in text(
        by_id(root, "counter-published-figures")
    )
    root = page(viewer_client.get(URL, {"as_of": "2022-11-01"}))
    assert figure_value(root, "counter_published_received") == "13,796件"


def test_as_of_an_earlier_day_only_what_was_dated_by_then_is_counted(viewer_client, source_data):
    received, handled, payments, yen = _expected(EARLIER)
    assert 0 < received < 13796 and 0 < payments < 221  # the day falls inside the period
    root = page(viewer_client.get(URL, {"as_of": EARLIER.isoformat()}))
    assert text(by_id(root, "counter-period-label")) == "令和4年5月9日～令和4年7月15日"
    assert figure_value(root, "counter_received") == f"{received:,}件"
    assert figure_value(root, "counter_handled") == f"{handled:,}件"
    assert figure_value(root, "counter_rate") == f"{handled / received * 100:.1f}%"
    assert figure_value(root, "counter_cashless_count") == f"{payments:,}件"
    assert figure_value(root, "counter_cashless_amount") == f"{yen:,}円"
    # The same through the selectors and the panel (the fiscal year up to the day).
    as_of = AsOf(EARLIER)
    totals = selectors.reception_totals(as_of, CounterFilter.source_period())
    assert (totals.received, totals.handled) == (received, handled)
    panel = CounterPanel().figures(AsOf(EARLIER))
    assert [f.value for f in panel][:2] == [received, handled]  # nothing before 5-09
    assert [f.value for f in panel][3:] == [payments, yen]


def test_a_request_edited_after_the_day_shows_its_state_as_of_the_day(viewer_client, source_data):
    request = CounterRequest.objects.get(text__startswith="会議室の予約状況")
    assert request.state == RequestState.OPEN
    request.state = RequestState.DONE
    request.response = "受付に予約表を掲示"
    request.save()

    def row(params):
        html = viewer_client.get(URL, params).content.decode()
        table = html.split('id="counter-requests"', 1)[1].split("</table>", 1)[0]
        (found,) = [r for r in table.split("<tr") if "会議室の予約状況" in r]
        return found

    assert "対応済み" in row({}) and "受付に予約表を掲示" in row({})
    then = row({"as_of": "2022-11-01"})
    assert "未解決" in then and "受付に予約表を掲示" not in then
    # The filter reads the state of the day too.
    html = viewer_client.get(URL, {"as_of": "2022-11-01", "request-state": "open"}).content
    assert "会議室の予約状況" in html.decode().split('id="counter-requests"', 1)[1]


def test_sites_and_plans_show_the_names_of_the_day(viewer_client, source_data):
    Site.objects.filter(name="明浜支所").update(name="明浜支所（旧）")  # no history: not an edit
    site = Site.objects.get(name="本庁")
    site.name = "本庁舎"
    site.save()
    akehama = Site.objects.get(name="明浜支所（旧）")
    akehama.name = "明浜窓口センター"
    akehama.counter_opened_on = dt.date(2023, 4, 10)
    akehama.save()

    html = viewer_client.get(URL, {"as_of": "2022-11-01"}).content.decode()
    picker = html.split('name="site"', 1)[1].split("</select>", 1)[0]
    assert ">本庁<" in picker and "本庁舎" not in picker
    plans = html.split('id="counter-plans"', 1)[1].split("</table>", 1)[0]
    assert "明浜支所" in plans and "明浜窓口センター" not in plans
    html = viewer_client.get(URL).content.decode()
    assert "本庁舎" in html.split('name="site"', 1)[1].split("</select>", 1)[0]
    assert "明浜窓口センター" in html.split('id="counter-plans"', 1)[1].split("</table>", 1)[0]
    then = {s.name: s.opened_on for s in selectors.site_list(AsOf(dt.date(2022, 11, 1)))}
    assert then["本庁"] == dt.date(2022, 5, 9) and then["明浜支所"] is None


def test_downloads_and_the_workbook_follow_the_day(viewer_client, source_data):
    response = viewer_client.get(URL, {"as_of": EARLIER.isoformat(), "download": "cashless"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert sum(int(line.split(",")[1]) for line in body.splitlines()[1:]) == _expected(EARLIER)[2]
    request = CounterRequest.objects.get(text__startswith="会議室の予約状況")
    request.state = RequestState.DONE
    request.save()
    site = Site.objects.get(name="本庁")
    site.name = "本庁舎"
    site.save()
    book = workbook(viewer_client, "as_of=2022-11-01")
    cells = " ".join(str(value) for row in rows_of(book["総合窓口"]) for value in row if value)
    assert "会議室の予約状況を受付で表示してほしい → 未解決" in cells
    assert "本庁 総合窓口開設：令和4年5月9日" in cells and "本庁舎" not in cells
    data = rows_of(book["総合窓口(データ)"])
    assert {r[1] for r in data[1:]} == {"本庁"}
    assert {r[1] for r in rows_of(book["キャッシュレス決済(データ)"])[1:]} == {"本庁"}
    today = rows_of(workbook(viewer_client, "as_of=")["総合窓口(データ)"])
    assert {r[1] for r in today[1:]} <= {"本庁舎"}


def test_as_of_queries_do_not_grow_with_the_data(viewer_client, source_data):
    from .helpers import more_payments, more_sites, more_tallies

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert viewer_client.get(URL, {"as_of": "2022-11-01"}).status_code == 200
        return len(captured)

    queries()
    before = queries()
    sites = more_sites(40)
    more_tallies(sites, days=290)
    more_payments(sites, days=60)
    assert queries() == before
