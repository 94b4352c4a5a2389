"""Queries do not grow with the data: the page, its downloads, the panel and the sheets read
the same number of queries with the papers' 10 rows and with 4,000 plans (2 years)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.history import AsOf
from layout import scale, selectors
from layout.panels import LayoutPanel
from layout.sheets import LayoutDataSheet, LayoutFormSheet
from reports.workbook import WorkbookContext

MEETING_DAY = dt.date(2022, 11, 1)


def count(function) -> int:
    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)


def measure(viewer_client) -> dict:
    def page(query=""):
        return lambda: viewer_client.get(f"/layout/{query}")

    def download(export):
        def run():
            response = viewer_client.get(f"/layout/?export={export}")
            b"".join(response.streaming_content)

        return run

    def panel(day):
        return lambda: LayoutPanel().get_context(AsOf(day))

    def sheet(kind):
        from openpyxl import Workbook

        def run():
            book = Workbook()
            kind().write(book.active, WorkbookContext(AsOf(MEETING_DAY)))

        return run

    return {
        "page": count(page()),
        "page short": count(page("?rows=short&building=1")),
        "csv": count(download("csv")),
        "xlsx": count(download("xlsx")),
        "panel today": count(panel(dt.date.today())),
        "panel meeting": count(panel(MEETING_DAY)),
        "form": count(sheet(LayoutFormSheet)),
        "data": count(sheet(LayoutDataSheet)),
    }


@pytest.mark.django_db
def test_query_counts_stay_the_same_with_much_more_data(viewer_client, source_data):
    small = measure(viewer_client)
    assert small["panel meeting"] <= 5
    assert small["page"] <= 12
    added = scale.generate(buildings=20, floors=10, sections=10, years=(2022, 2023))
    assert added == 4000
    large = measure(viewer_client)
    assert large == small
    # Totals still cover every row while the page lists at most MAX_ROWS.
    scope = selectors.default_scope(AsOf.today())
    table = selectors.layout_table(AsOf.today(), scope)
    assert table.shown == selectors.MAX_ROWS and table.count == 2010
    assert table.grand.rows == 2010
    csv = b"".join(viewer_client.get("/layout/?export=csv").streaming_content)
    assert csv.count(b"\r\n") == 1 + 2010  # downloads carry every row, not only those listed
    chart = viewer_client.get("/layout/").context["chart"]
    assert len(chart.rows) == 40 and len(chart.figure["data"][0]["y"]) == 40
