"""The counter at prefecture scale: 1,000,000 receptions (twenty cities' sites over ten years).

Prints, for the database of ``DATABASE_URL`` (a throwaway SQLite file by default; a PostgreSQL
database named there is EMPTIED first):

1. the counter page and its dashboard panel with the fixtures: median time, queries;
2. the import of a generated CSV of ``--rows`` receptions (``manage.py import_receptions``'s
   streaming path, in a child process: time and peak RSS), beside a raw ``executemany`` of the
   same rows into the same table (rolled back), and the peak RSS of a tenth of the file (flat
   memory: the two peaks should be about equal);
3. the page and the panel again with the rows loaded: time, queries, ratios to (1);
4. the usual approach beside it: pandas over the raw reception rows per request (read the
   table, filter the period, group by hour, weekday, week and month), and the ratio.

    .venv/bin/python benchmarks/counter_scale.py                       # SQLite, 1,000,000 rows
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_counter \\
      .venv/bin/python benchmarks/counter_scale.py                     # PostgreSQL (emptied!)
    .venv/bin/python benchmarks/counter_scale.py --rows 100000 --runs 3  # quicker

Not a test: it prints figures and ratios, and asserts only that pages answer 200.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

CITIES, SITES_PER_CITY = 20, 3
FIRST_DAY, LAST_DAY = dt.date(2016, 4, 1), dt.date(2026, 3, 31)
HOURS = {
    8: 0.35,
    9: 0.95,
    10: 1.45,
    11: 1.05,
    12: 0.55,
    13: 1.35,
    14: 1.3,
    15: 1.0,
    16: 0.8,
    17: 0.2,
}
SERVICES = ["住民票", "印鑑証明", "税証明", "転入", "転出", "転居", "出生", "死亡", "各種相談", ""]


def site_names() -> list[str]:
    return [f"第{c + 1:02d}市 窓口{s + 1}" for c in range(CITIES) for s in range(SITES_PER_CITY)]


def generate(rows: int, seed: int = 2022):
    """(day, "HH:MM", site name, service, handling) rows, deterministic, in day order."""
    rng = random.Random(seed)
    days = []
    day = FIRST_DAY
    while day <= LAST_DAY:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    sites = site_names()
    hours, weights = list(HOURS), list(HOURS.values())
    per_day = rows // len(days)
    extra = rows - per_day * len(days)
    for index, day in enumerate(days):
        for _ in range(per_day + (1 if index < extra else 0)):
            hour = rng.choices(hours, weights)[0]
            yield (
                day.isoformat(),
                f"{hour}:{rng.randrange(60):02d}",
                sites[rng.randrange(len(sites))],
                SERVICES[rng.randrange(len(SERVICES))],
                "総合窓口" if rng.random() < 0.584 else "担当課へ引継ぎ",
            )


def write_csv(path: Path, rows: int) -> None:
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["受付日", "受付時刻", "窓口", "手続き", "処理"])
        writer.writerows(generate(rows))


def child_import(path: str) -> None:
    """Run in a child process: import the file, print time and peak RSS as JSON."""
    from bench_django import start_django

    start_django()
    from counter.imports import stream_receptions

    started, cpu = time.perf_counter(), time.process_time()
    report = stream_receptions(Path(path))
    print(
        json.dumps(
            {
                "seconds": time.perf_counter() - started,
                "cpu": time.process_time() - cpu,
                "rows": report.rows,
                "errors": report.errors[:5],
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def median_time(function, runs: int) -> tuple[float, float, int]:
    """Median wall time, median CPU time of this process, and the query count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    function()  # warm-up
    walls, cpus = [], []
    for _ in range(runs):
        started, cpu = time.perf_counter(), time.process_time()
        function()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    with CaptureQueriesContext(connection) as captured:
        function()
    return statistics.median(walls), statistics.median(cpus), len(captured)


def measure(client, runs: int) -> dict:
    from core.history import AsOf
    from counter import selectors
    from counter.panels import CounterPanel
    from counter.selectors import CounterFilter
    from reports.dashboard import panels

    def page():
        assert client.get("/counter/").status_code == 200

    def page_site():
        assert client.get("/counter/?site=1&start=2022-04-01&end=2023-03-31").status_code == 200

    def panel():
        # The panel as the dashboard renders it: its context and its template.
        from django.template.loader import render_to_string

        as_of = AsOf(dt.date(2022, 11, 1))
        instance = next(p for p in panels if isinstance(p, CounterPanel))
        render_to_string(instance.template_name, {**instance.get_context(as_of), "as_of": as_of})

    def figures():
        as_of, f = AsOf(dt.date(2026, 11, 28)), CounterFilter.source_period()
        selectors.reception_totals(as_of, f)
        selectors.by_hour(as_of, f)
        selectors.by_weekday(as_of, f)
        selectors.rate_by_week(as_of, f)
        selectors.rate_by_month(as_of, f)

    return {
        "page (source period, all sites)": median_time(page, runs),
        "page (本庁, 令和4年度)": median_time(page_site, runs),
        "dashboard panel": median_time(panel, runs),
        "figures only (5 selectors)": median_time(figures, runs),
    }


def pandas_figures() -> None:
    """The usual approach: the raw rows into pandas on every request, then the same figures."""
    import pandas as pd
    from django.db import connection

    from counter.selectors import SOURCE_PERIOD

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT received_on, received_at, site_id, handled_at_general FROM counter_reception"
        )
        frame = pd.DataFrame(cursor.fetchall(), columns=["day", "time", "site", "handled"])
    frame["day"] = pd.to_datetime(frame["day"])
    period = frame[
        (frame["day"] >= str(SOURCE_PERIOD[0])) & (frame["day"] <= str(SOURCE_PERIOD[1]))
    ]
    period = period.assign(
        hour=pd.to_datetime(period["time"].astype(str), format="mixed").dt.hour,
        handled=period["handled"].astype(bool),
    )
    totals = (len(period), int(period["handled"].sum()))
    for key in (
        period["hour"],
        period["day"].dt.weekday,
        period["day"].dt.to_period("W"),
        period["day"].dt.to_period("M"),
    ):
        period.groupby(key)["handled"].agg(["size", "sum"])
    return totals


def raw_executemany(rows: int) -> tuple[float, float]:
    """The same rows, already parsed, into the same table with one executemany (rolled back):
    wall and CPU seconds."""
    from django.db import connection, transaction

    from counter.models import Site

    sites = dict(Site.objects.values_list("name", "id"))
    data = [
        (sites[site], day, at + ":00", None, handling == "総合窓口")
        for day, at, site, _service, handling in generate(rows)
    ]
    sql = (
        "INSERT INTO counter_reception "
        "(site_id, received_on, received_at, service_id, handled_at_general) "
        "VALUES (%s, %s, %s, %s, %s)"
    )
    started, cpu = time.perf_counter(), time.process_time()
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.executemany(sql, data)
            elapsed = time.perf_counter() - started, time.process_time() - cpu
            raise RuntimeError("rollback")
    except RuntimeError:
        pass
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child-import")
    parser.add_argument(
        "--import-only", action="store_true", help="only the import and the raw executemany"
    )
    args = parser.parse_args()
    if args.child_import:
        child_import(args.child_import)
        return

    tmp = Path(tempfile.mkdtemp(prefix="seiyo-counter-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    from bench_django import start_django

    start_django()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from core.seed import load_source_data
    from counter.models import Reception, Site, SiteKind

    call_command("flush", "--no-input", verbosity=0)
    load_source_data()
    Site.objects.bulk_create(
        Site(name=name, kind=SiteKind.BRANCH, counter_opened_on=FIRST_DAY, order=100 + i)
        for i, name in enumerate(site_names())
    )
    user = get_user_model().objects.create_superuser("bench", "bench@example.jp", "x")
    client = Client()
    client.force_login(user)
    vendor = connection.vendor
    print(f"# counter at scale — {vendor}, {args.rows:,} receptions, median of {args.runs}\n")

    before = None if args.import_only else measure(client, args.runs)

    small, large = tmp / "tenth.csv", tmp / "all.csv"
    write_csv(small, args.rows // 10)
    write_csv(large, args.rows)
    env = {**os.environ}

    def run_child(path: Path) -> dict:
        out = subprocess.run(
            [sys.executable, __file__, "--child-import", str(path)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(out.stdout.strip().splitlines()[-1])

    tenth = run_child(small)  # these days are replaced by the full file's
    full = run_child(large)
    for report in (tenth, full):
        assert not report["errors"], report
    stored = Reception.objects.count()
    print(f"(stored after both imports: {stored:,} receptions)")
    raw, raw_cpu = raw_executemany(args.rows)

    def import_figures():
        print(f"import of {full['rows']:,} rows: {full['seconds']:.1f} s (CPU {full['cpu']:.1f} s)")
        print(
            f"raw executemany of the same rows: {raw:.1f} s (CPU {raw_cpu:.1f} s) → ratio "
            f"{full['seconds'] / raw:.2f}x (CPU {full['cpu'] / raw_cpu:.2f}x)"
        )
        print(
            f"peak RSS: {tenth['peak_rss_mb']:.0f} MB for {tenth['rows']:,} rows, "
            f"{full['peak_rss_mb']:.0f} MB for {full['rows']:,} rows"
        )

    if args.import_only:
        import_figures()
        return
    after = measure(client, args.runs)
    pandas_time, pandas_cpu, _ = median_time(pandas_figures, max(1, min(args.runs, 3)))

    print(
        "| what | fixtures: wall (CPU) | with the rows: wall (CPU) | ratio wall (CPU) | queries |"
    )
    print("|---|---:|---:|---:|---|")
    for label, (seconds, cpu, queries) in before.items():
        later, later_cpu, later_queries = after[label]
        print(
            f"| {label} | {seconds * 1000:.1f} ms ({cpu * 1000:.1f}) | "
            f"{later * 1000:.1f} ms ({later_cpu * 1000:.1f}) | "
            f"{later / seconds:.2f}x ({later_cpu / cpu:.2f}x) | {queries} → {later_queries} |"
        )
    figures = after["figures only (5 selectors)"][0]
    page = after["page (source period, all sites)"][0]
    panel = after["dashboard panel"][0]
    print()
    print(
        f"pandas over the raw rows per request: {pandas_time * 1000:.0f} ms (CPU {pandas_cpu * 1000:.0f})"
    )
    print(
        f"  faster than it: the selectors {pandas_time / figures:.0f}x, the panel "
        f"{pandas_time / panel:.0f}x, the whole page (rendering included) {pandas_time / page:.0f}x"
    )
    print()
    import_figures()


if __name__ == "__main__":
    main()
