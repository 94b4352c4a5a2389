"""The dashboard's 総合窓口 panel and the workbook use the same selectors as the page."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.history import AsOf
from counter.panels import CounterPanel
from tests.meetings.html import by_id, page, text

from .helpers import more_payments, more_sites, more_tallies

pytestmark = pytest.mark.django_db


def test_panel_as_of_the_meeting_shows_the_papers_figures(viewer_client, source_data):
    root = page(viewer_client.get("/?as_of=2022-11-01"))
    panel = by_id(root, "panel-counter")
    words = text(panel)
    assert "13,796" in words and "8,061" in words and "58.4%" in words
    assert "221" in words and "118,120" in words
    assert "10時台（2,251件）" in words
    assert "再構成したデモデータ" in words


def test_panel_figures_follow_the_as_of_date(source_data):
    panel = CounterPanel()
    early = panel.figures(AsOf(dt.date(2022, 6, 30)))
    assert 0 < early[0].value < 13796
    assert early[0].period_start == dt.date(2022, 4, 1)
    assert panel.figures(AsOf(dt.date(2022, 11, 1)))[0].value == 13796


def _dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/?as_of=2022-11-01").status_code == 200
    return len(captured)


def test_panel_queries_do_not_grow_with_the_data(viewer_client, source_data):
    as_of = AsOf(dt.date(2022, 11, 1))
    with CaptureQueriesContext(connection) as small:
        CounterPanel().get_context(as_of)
    dashboard = _dashboard_queries(viewer_client)
    sites = more_sites(20)
    more_tallies(sites, days=60)
    more_payments(sites, days=60)
    with CaptureQueriesContext(connection) as large:
        CounterPanel().get_context(AsOf(dt.date(2022, 11, 1)))
    assert len(large) == len(small) == 3
    assert _dashboard_queries(viewer_client) == dashboard
