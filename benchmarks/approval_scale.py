"""電子決裁: the page, the dashboard and the workbook with the source data and a month of counts
(1x), then with 50 departments × 10 years of monthly counts (6,000 counts, recorded in the
history on the meeting's day, so the as-of reads go through the history too).

    .venv/bin/python benchmarks/approval_scale.py            # SQLite in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/seiyo_bench \\
      .venv/bin/python benchmarks/approval_scale.py          # PostgreSQL (the database is EMPTIED)

Prints a Markdown table: median wall time of --runs runs (after one warm-up), queries, ratio.
Not a test: nothing is asserted beyond status 200.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

URLS = [
    ("page, today", "/approval/"),
    ("page, as of 2026-06-30", "/approval/?as_of=2026-06-30"),
    ("dashboard, today", "/"),
    ("dashboard, as of 2026-06-30", "/?as_of=2026-06-30"),
    ("workbook, today", "/workbook/"),
]
START = dt.date(2016, 4, 1)
RECORDED = dt.datetime(2022, 11, 1, 9, tzinfo=dt.UTC)


def add_counts(first: int, last: int, months: int) -> None:
    from approval.models import Department, Measurement, end_of_month
    from tests.approval.factories import month_after

    departments = Department.objects.bulk_create(
        Department(name=f"試験部{n:02d}", order=10 + n, actual_start=START, planned_start=START)
        for n in range(first, last + 1)
    )
    rows = [
        Measurement(
            department=d,
            period_start=month_after(START, m),
            period_end=end_of_month(month_after(START, m)),
            electronic=(d.pk * 7 + m) % 90,
            total=100 + d.pk,
        )
        for d in departments
        for m in range(months)
    ]
    created = Measurement.objects.bulk_create(rows, batch_size=1000)
    Measurement.history.bulk_history_create(created, batch_size=1000, default_date=RECORDED)
    Department.history.bulk_history_create(departments, default_date=RECORDED)


def measure(client, runs: int) -> dict[str, tuple[float, int]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    found = {}
    for label, url in URLS:
        client.get(url)
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
        found[label] = (statistics.median(times), len(queries.captured_queries))
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from bench_django import start_django

    start_django("seiyo-approval-bench-")
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from core.db import analyze
    from core.seed import load_source_data

    call_command("flush", interactive=False, verbosity=0)
    load_source_data()
    from approval.models import Department, Measurement

    viewer = get_user_model().objects.create_superuser("bench", password="x")
    client = Client()
    client.force_login(viewer)
    add_counts(1, 2, 3)
    small = measure(client, args.runs)
    add_counts(3, 50, 120)
    analyze([Department, Measurement])
    large = measure(client, args.runs)
    print(f"counts: 6 → {Measurement.objects.count():,}")
    print("| what | 1x ms | 50 × 10 years ms | ratio | queries 1x / large |")
    print("|---|---:|---:|---:|---|")
    for label, _url in URLS:
        (a, qa), (b, qb) = small[label], large[label]
        print(f"| {label} | {a * 1000:.0f} | {b * 1000:.0f} | {b / a:.1f}x | {qa} / {qb} |")


if __name__ == "__main__":
    main()
