"""A past day's as-of answers are kept across requests, and never outlive the data they read.

These tests run outside a transaction (``transactional_db``): inside one, nothing is kept.
"""

import datetime as dt
import zoneinfo

import pytest
from django.db import transaction

from core.history import AsOf
from projects import selectors
from projects.models import BudgetLine, ScheduleItem

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
MEETING = dt.date(2022, 11, 1)


def total(day: dt.date) -> int:
    return selectors.budget_total_figure(AsOf(day)).value


@pytest.fixture
def committed_source_data(transactional_db):
    from core.seed import load_source_data

    load_source_data()


def test_a_past_days_figure_is_read_once_across_requests(
    committed_source_data, django_assert_max_num_queries
):
    assert total(MEETING) == 187_197
    # A second request: the history tables' newest records (2), nothing of the rows.
    with django_assert_max_num_queries(2) as queries:
        assert total(MEETING) == 187_197
    assert all("MAX(" in q["sql"] for q in queries.captured_queries)


def test_an_edit_today_leaves_the_past_day_as_it_was(committed_source_data):
    assert total(MEETING) == 187_197
    line = BudgetLine.objects.order_by("id").first()
    line.amount += 1_000
    line.save()
    assert total(MEETING) == 187_197
    assert selectors.budget_total_figure(AsOf.today()).value == 188_197


def test_a_record_back_dated_to_the_day_is_seen(committed_source_data):
    assert total(MEETING) == 187_197
    line = BudgetLine.objects.order_by("id").first()
    line.amount += 1_000
    line._history_date = dt.datetime(2022, 10, 1, 9, tzinfo=TOKYO)
    line.save()  # a correction recorded as of October: the meeting's figure changes
    assert total(MEETING) == 188_197


def test_an_item_added_later_does_not_reach_the_past(committed_source_data):
    item = ScheduleItem.objects.first()
    before = selectors.status_counts(AsOf(MEETING))
    ScheduleItem.objects.create(category=item.category, status=item.status, name="新しい項目")
    assert selectors.status_counts(AsOf(MEETING)) == before
    assert sum(s.count for s in selectors.status_counts(AsOf.today())) == 14


def test_inside_a_transaction_nothing_is_kept(committed_source_data):
    with transaction.atomic():
        line = BudgetLine.objects.order_by("id").first()
        line.amount += 1_000
        line._history_date = dt.datetime(2022, 10, 1, 9, tzinfo=TOKYO)
        line.save()
        assert total(MEETING) == 188_197
        transaction.set_rollback(True)
    assert total(MEETING) == 187_197
