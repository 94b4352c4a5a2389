"""The page, the dashboard and the workbook read e-approval in a constant number of queries:
the same with a handful of counts as with 50 departments × 10 years of monthly counts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from approval import selectors
from approval.models import Department, Measurement, Target, end_of_month
from core.history import AsOf

from .factories import month_after

pytestmark = pytest.mark.django_db

START = dt.date(2016, 4, 1)
YEARS = 10
RECORDED = dt.datetime(2022, 11, 1, 9, tzinfo=dt.UTC)


def add_departments(first: int, last: int) -> list[Department]:
    return Department.objects.bulk_create(
        Department(name=f"試験部{n:02d}", order=10 + n, actual_start=START, planned_start=START)
        for n in range(first, last + 1)
    )


def add_counts(departments: list[Department], months: int) -> None:
    rows = [
        Measurement(
            department=department,
            period_start=month_after(START, m),
            period_end=end_of_month(month_after(START, m)),
            electronic=(department.pk * 7 + m) % 90,
            total=100 + department.pk,
        )
        for department in departments
        for m in range(months)
    ]
    created = Measurement.objects.bulk_create(rows, batch_size=1000)
    # Recorded on the meeting's day: the counts are there as of any later date, and "what
    # changed since the meeting" (the core's, measured by its own tests) stays the same.
    Measurement.history.bulk_history_create(created, batch_size=1000, default_date=RECORDED)
    Department.history.bulk_history_create(departments, default_date=RECORDED)


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


URLS = ["/approval/", "/approval/?as_of=2026-06-30", "/", "/?as_of=2026-06-30", "/workbook/"]


def test_queries_do_not_grow_with_departments_and_years_of_counts(viewer_client, source_data):
    Target.objects.create(fiscal_year=2025, rate=Decimal("80"), basis="試験")
    add_counts(add_departments(1, 2), 3)
    small = {url: queries(viewer_client, url) for url in URLS}

    add_counts(add_departments(3, 50), YEARS * 12)
    assert Measurement.objects.count() == 2 * 3 + 48 * 120
    large = {url: queries(viewer_client, url) for url in URLS}
    assert large == small
    assert small["/approval/"] <= 20, small


def test_the_whole_office_rate_at_scale_is_the_database_sum(viewer_client, db):
    add_counts(add_departments(1, 50), YEARS * 12)
    current = selectors.current_rates(AsOf.today())
    last = month_after(START, YEARS * 12 - 1)
    assert current.month == last
    rows = Measurement.objects.filter(period_start=last)
    electronic = sum(m.electronic for m in rows)
    total = sum(m.total for m in rows)
    assert (current.whole.numerator, current.whole.denominator) == (electronic, total)
    assert current.whole.value == Decimal(electronic) / Decimal(total)
    series = selectors.rate_series(AsOf.today())
    assert len(series.months) == selectors.MONTHS_CHARTED  # the chart is bounded
    assert len(series.departments) == 50
