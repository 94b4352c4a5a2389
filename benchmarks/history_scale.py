"""Time the dashboard today and as of past dates over long histories (ten years of edits).

For the source data alone and then for each size (objects x versions, see
``generate.long_history``) prints, per page: queries, the median of ``--runs`` runs in
milliseconds, and the ratio of that time to the dashboard today (same data) and to the same page
on the source data alone. SQLite in a temporary file by default; PostgreSQL when DATABASE_URL
names one (its tables are flushed: use a throwaway database).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

FIRST_MEETING = "2022-11-01"


def size(text: str) -> tuple[int, int]:
    objects, versions = text.lower().split("x")
    return int(objects), int(versions)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--sizes",
        type=lambda text: [size(part) for part in text.split(",")],
        default=[(2000, 100), (20000, 10)],
        help="objects x versions, comma-separated (default 2000x100,20000x10)",
    )
    parser.add_argument("--runs", type=int, default=7, help="timed runs per page (median)")
    parser.add_argument(
        "--vacuum",
        action="store_true",
        help="PostgreSQL: VACUUM the generated tables too, as autovacuum would some time after "
        "the load (sets the visibility map, so index-only scans skip the table)",
    )
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="seiyo-history-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seiyo_dx.settings_test")
    warnings.filterwarnings("ignore", "No directory at")  # no collectstatic for a benchmark
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from generate import HISTORY_MIDDLE, long_history

    from core.seed import load_source_data

    setup_test_environment()
    call_command("migrate", verbosity=0)
    middle = HISTORY_MIDDLE.isoformat()
    # A past day's figures are kept in the cache once read (core.history.AsOf.remember): each
    # as-of page is timed as the first view of the day (cache emptied) and as a view again.
    pages = [
        ("today", "/", False),
        (f"as of {FIRST_MEETING}, first view", f"/?as_of={FIRST_MEETING}", True),
        (f"as of {FIRST_MEETING}, again", f"/?as_of={FIRST_MEETING}", False),
        (f"as of {middle}, first view", f"/?as_of={middle}", True),
        (f"as of {middle}, again", f"/?as_of={middle}", False),
    ]

    def fresh_client() -> Client:
        call_command("flush", interactive=False, verbosity=0)
        user = get_user_model().objects.create_superuser("bench", "bench@example.com", "x")
        client = Client()
        client.force_login(user)
        return client

    def measure(client: Client) -> dict[str, tuple[int, float]]:
        """Queries and median time per page; runs interleaved, so load spikes hit all pages."""
        for _label, url, _first in pages:
            client.get(url)  # warm: templates, caches
        counts, timings = {}, {label: [] for label, _url, _first in pages}
        for _ in range(args.runs):
            for label, url, first_view in pages:
                if first_view:
                    cache.clear()
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(url)
                    timings[label].append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (url, response.status_code)
                counts[label] = len(queries)
        return {
            label: (counts[label], statistics.median(timings[label])) for label, _u, _f in pages
        }

    def report(title: str, figures, seed) -> None:
        load = os.getloadavg()[0]
        print(f"\n{title} [load average {load:.1f}]")
        print(
            f"{'dashboard':<34} {'queries':>7} {'(seed)':>6} {'median ms':>10} "
            f"{'/ today':>8} {'/ seed':>7}"
        )
        today_ms = figures["today"][1]
        for label, (count, ms) in figures.items():
            print(
                f"{label:<34} {count:>7} {seed[label][0]:>6} {ms:>10.1f} "
                f"{ms / today_ms:>7.2f}x {ms / seed[label][1]:>6.2f}x"
            )

    def vacuum() -> None:
        from core.db import tables_of
        from projects.models import (
            BudgetLine,
            Category,
            Concern,
            FiscalYearPlan,
            ProgrammeYear,
            ScheduleItem,
            Status,
        )

        models = [Category, Status, ProgrammeYear, ScheduleItem, BudgetLine, FiscalYearPlan]
        with connection.cursor() as cursor:
            for table in tables_of([*models, Concern]):
                cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(table)}")

    began = time.perf_counter()
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']}), runs: {args.runs}")
    vacuuming = args.vacuum and connection.vendor == "postgresql"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW autovacuum")
            print(f"autovacuum: {cursor.fetchone()[0]}, VACUUM after generating: {vacuuming}")
    client = fresh_client()
    load_source_data()
    seed = measure(client)
    report("source data only (fixtures)", seed, seed)
    for objects, versions in args.sizes:
        client = fresh_client()
        started = time.perf_counter()
        written = long_history(objects, versions)  # ends with core.db.analyze
        if vacuuming:
            vacuum()
        loaded = time.perf_counter() - started
        report(
            f"{objects:,} objects x {versions} versions: {written:,} history records "
            f"(generated in {loaded:.1f} s)",
            measure(client),
            seed,
        )
    print(f"\ntotal {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
