"""Time the schedule page, the dashboard (today and as of the meeting) and the workbook at scale.

Prints, per page: rows, queries and the median of five runs in milliseconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=100, help="copies of the printed schedule")
    args = parser.parse_args()

    from bench_django import start_django

    start_django()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from generate import multiply_schedule

    from core.roles import VIEWERS, sync_roles

    started = time.perf_counter()
    items = multiply_schedule(args.scale)
    print(f"generated {items} items in {time.perf_counter() - started:.1f} s ({connection.vendor})")
    sync_roles()
    user, _ = get_user_model().objects.get_or_create(username="bench")
    user.groups.add(
        *__import__("django.contrib.auth.models").contrib.auth.models.Group.objects.filter(
            name=VIEWERS
        )
    )
    client = Client()
    client.force_login(user)

    print(f"{'page':<42} {'queries':>7} {'median ms':>10}")
    for label, url in [
        ("schedule page", "/schedule/"),
        ("dashboard, today", "/"),
        ("dashboard, as of 2022-11-01 (history)", "/?as_of=2022-11-01"),
        ("workbook, as of 2022-11-01", "/workbook/?as_of=2022-11-01"),
    ]:
        timings = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        print(f"{label:<42} {len(queries):>7} {statistics.median(timings):>10.0f}")


if __name__ == "__main__":
    main()
