"""The counter page: figures for the chosen period and site, charts with tables, downloads."""

import csv
import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from counter.models import Site
from tests.meetings.html import attr, by_id, page, text

from .helpers import more_payments, more_sites, more_tallies

pytestmark = pytest.mark.django_db
URL = "/counter/"


def figure_value(root, key: str) -> str:
    block = by_id(root, f"figure-{key}")
    (value,) = [
        c
        for c in block.children
        if not isinstance(c, str) and "figure-value" in dict(c.attributes).get("class", "")
    ]
    return text(value).strip()


def test_page_opens_on_the_source_period_with_the_papers_figures(viewer_client, source_data):
    root = page(viewer_client.get(URL))
    assert text(by_id(root, "counter-period-label")) == "令和4年5月9日～令和4年10月21日"
    assert figure_value(root, "counter_received") == "13,796件"
    assert figure_value(root, "counter_handled") == "8,061件"
    assert figure_value(root, "counter_rate") == "58.4%"
    assert figure_value(root, "counter_cashless_count") == "221件"
    assert figure_value(root, "counter_cashless_amount") == "118,120円"
    assert figure_value(root, "counter_published_received") == "13,796件"
    html = viewer_client.get(URL).content.decode()
    assert "再構成したデモデータ" in html and "公表値（内訳のデータなし）" in html
    assert "10時台（" in text(by_id(root, "counter-busiest"))


def test_charts_carry_their_numbers_as_json_and_as_tables(viewer_client, source_data):
    html = viewer_client.get(URL).content.decode()
    data = re.search(
        r'<script id="chart-counter-hours-data" type="application/json">(.*?)</script>', html
    ).group(1)
    bars = json.loads(data)["data"]
    assert sum(bars[0]["y"]) == 13796 and sum(bars[1]["y"]) == 8061
    assert bars[0]["type"] == "bar"
    weeks = json.loads(
        re.search(
            r'id="chart-counter-weeks-data" type="application/json">(.*?)</script>', html
        ).group(1)
    )
    assert weeks["data"][0]["type"] == "scatter"  # the rate over time as a line
    table = html.split('id="chart-counter-cashless-caption"', 1)[1].split("</table>", 1)[0]
    assert '<th scope="row">PayPay</th><td class="num">106</td><td class="num">61,020</td>' in table
    assert '<th scope="row">合計</th><td class="num">221</td><td class="num">118,120</td>' in table


def test_changing_the_period_and_the_site_changes_the_figures(viewer_client, source_data):
    root = page(viewer_client.get(URL, {"start": "2022-06-01", "end": "2022-06-30"}))
    june = figure_value(root, "counter_received")
    assert june not in ("13,796件", "0件")
    assert text(by_id(root, "counter-period-label")) == "令和4年6月1日～令和4年6月30日"
    nomura = Site.objects.get(name="野村支所")
    root = page(viewer_client.get(URL, {"site": nomura.pk}))
    assert figure_value(root, "counter_received") == "0件"
    assert figure_value(root, "counter_rate") == "－"


def _picker(root, id_: str) -> tuple[str, str]:
    """A date picker's value and the era date written beside it."""
    field = by_id(root, id_)
    assert attr(field, "type") == "date" and attr(field, "aria-describedby") == f"{id_}-era"
    return attr(field, "value"), text(by_id(root, f"{id_}-era")).strip()


def test_the_period_and_as_of_pickers_show_their_dates_and_era_dates(viewer_client, source_data):
    root = page(viewer_client.get(URL))  # the source period by default, as of today
    assert _picker(root, "id_start") == ("2022-05-09", "令和4年5月9日")
    assert _picker(root, "id_end") == ("2022-10-21", "令和4年10月21日")
    value, era = _picker(root, "as-of-date")
    assert value == timezone.localdate().isoformat() and era.startswith("令和")
    root = page(viewer_client.get(URL, {"start": "2022-06-01", "end": "", "as_of": "2022-07-15"}))
    assert _picker(root, "id_start") == ("2022-06-01", "令和4年6月1日")
    assert _picker(root, "id_end") == ("2022-10-21", "令和4年10月21日")  # empty: the source's
    assert _picker(root, "as-of-date") == ("2022-07-15", "令和4年7月15日")


def test_a_period_that_ends_before_it_starts_is_refused_with_a_message(viewer_client, source_data):
    response = viewer_client.get(URL, {"start": "2022-10-01", "end": "2022-09-01"})
    html = response.content.decode()
    assert "期間の初日（令和4年10月1日）が末日（令和4年9月1日）より後です。" in html
    assert figure_value(page(response), "counter_received") == "13,796件"
    response = viewer_client.get(URL, {"start": "あした", "site": "999"})
    assert response.status_code == 200


def test_each_chart_downloads_its_data_as_csv(viewer_client, source_data):
    response = viewer_client.get(URL, {"download": "hours"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["時間帯", "総合受付件数", "うち総合窓口での処理件数", "受付率"]
    assert sum(int(r[1]) for r in rows[1:]) == 13796
    response = viewer_client.get(URL, {"download": "cashless"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "PayPay,106,61020" in body


def test_requests_and_plans_are_listed_and_filtered(viewer_client, source_data):
    html = viewer_client.get(URL).content.decode()
    assert "フロアにPC用のプリンターを置いてほしい" in html
    assert "明浜支所" in html and "令和5年度" in html
    html = viewer_client.get(URL, {"request-state": "open"}).content.decode()
    table = html.split('id="counter-requests"', 1)[1].split("</table>", 1)[0]
    assert "会議室の予約状況" in table and "プリンター" not in table


def test_user_text_is_escaped_in_tables_and_chart_json(viewer_client, source_data):
    Site.objects.filter(name="本庁").update(name="<b>本庁</b>")
    html = viewer_client.get(URL).content.decode()
    assert "<b>本庁</b>" not in html


def _queries(client, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL, params or {}).status_code == 200
    return len(captured)


def test_page_queries_do_not_grow_with_100_times_the_tallies(viewer_client, source_data):
    before = _queries(viewer_client)
    filtered_before = _queries(viewer_client, {"start": "2022-04-01", "end": "2023-03-31"})
    sites = more_sites(40)
    added = more_tallies(sites, days=290)  # 40 sites × 290 days: 100x the fixture's tallies
    more_payments(sites, days=60)
    assert added >= 100 * 116
    assert _queries(viewer_client) == before
    assert _queries(viewer_client, {"start": "2022-04-01", "end": "2023-03-31"}) == filtered_before
