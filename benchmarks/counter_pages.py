"""The counter page and its panel with 1,000,000 receptions, beside pandas over the raw rows.

For the database of ``DATABASE_URL`` (a throwaway SQLite file by default; a PostgreSQL database
named there is EMPTIED first) it measures, in one run:

1. with the fixtures only: the counter page (today; as of 2022-10-21; 本庁 for 令和4年度) and
   the dashboard panel as of 2022-11-01 — median wall and CPU time, queries;
2. loads ``--rows`` receptions of 60 more sites over ten years (``counter_scale.generate``,
   inserted by ``counter.services`` as an import writes them, the daily tallies rebuilt from
   them), then measures the same again;
3. pandas over the raw reception rows per request (the usual approach), interleaved with the
   page runs so that the machine's load hits both;

and prints the ratios: with the rows / fixtures, pandas / page. The pages are rendered by the
view itself (``RequestFactory``), not the test client, whose template-context capture costs
more than the page (the client is used once per page to check the status).

    .venv/bin/python benchmarks/counter_pages.py                          # SQLite, 1,000,000 rows
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_cpage_bench \\
      .venv/bin/python benchmarks/counter_pages.py                        # PostgreSQL (emptied!)
    .venv/bin/python benchmarks/counter_pages.py --rows 100000 --runs 5   # quicker
    .venv/bin/python benchmarks/counter_pages.py --profile                # cProfile of the page

Not a test: it prints figures, and asserts only that the pages answer 200.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from counter_scale import FIRST_DAY, generate, site_names  # noqa: E402

PAGES = {
    "page, source period, all sites": "/counter/",
    "page, as of 2022-10-21": "/counter/?as_of=2022-10-21",
    "page, 本庁, 令和4年度": "/counter/?site=1&start=2022-04-01&end=2023-03-31",
}


def _request(user, url: str):
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.test import RequestFactory

    request = RequestFactory().get(url)
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def timed(function, runs: int) -> tuple[list[float], list[float], int]:
    """Wall and CPU times of ``runs`` calls after a warm-up, and the queries of one call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    function()
    walls, cpus = [], []
    for _ in range(runs):
        started, cpu = time.perf_counter(), time.process_time()
        function()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    with CaptureQueriesContext(connection) as captured:
        function()
    return walls, cpus, len(captured)


def measurements(user, client) -> dict:
    from core.history import AsOf
    from counter.panels import CounterPanel
    from counter.views import summary
    from reports.dashboard import panels

    found = {}
    for label, url in PAGES.items():
        assert client.get(url).status_code == 200, url

        def page(url=url):
            response = summary(_request(user, url))
            assert response.status_code == 200
            return response

        found[label] = page

    panel = next(p for p in panels if isinstance(p, CounterPanel))

    def panel_render():
        from django.template.loader import render_to_string

        as_of = AsOf(dt.date(2022, 11, 1))
        render_to_string(panel.template_name, {**panel.get_context(as_of), "as_of": as_of})

    found["dashboard panel, as of 2022-11-01"] = panel_render
    return found


def measure(user, client, runs: int) -> dict:
    return {label: timed(f, runs) for label, f in measurements(user, client).items()}


def pandas_figures():
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
        period["day"].dt.day_of_week,
        period["day"].dt.to_period("W"),
        period["day"].dt.to_period("M"),
    ):
        period.groupby(key)["handled"].agg(["size", "sum"])
    return totals


def load_rows(rows: int) -> None:
    """``rows`` receptions as the import stores them, then the daily tallies of their days."""
    from django.db import connection, transaction

    from counter.models import Site
    from counter.services import ReceptionLoad, reception_params

    sites = dict(Site.objects.values_list("name", "id"))
    adapt_date, adapt_time = reception_params()

    def parsed():
        for day, at, site, _service, handling in generate(rows):
            hour, minute = (int(part) for part in at.split(":"))
            yield (
                sites[site],
                adapt_date(dt.date.fromisoformat(day)),
                adapt_time(dt.time(hour, minute)),
                hour,
                None,
                handling == "総合窓口",
            )

    started = time.perf_counter()
    with transaction.atomic():  # as an import writes them: rows, then the days' tallies
        load = ReceptionLoad()
        inserted = load.insert(parsed())
        load.finish()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"(loaded {inserted:,} receptions in {time.perf_counter() - started:.0f} s)\n")


def profile(function, runs: int = 20) -> None:
    import cProfile
    import pstats

    function()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        function()
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(25)


def ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--pandas-runs", type=int, default=3)
    parser.add_argument(
        "--profile", action="store_true", help="profile the page with the rows, then stop"
    )
    parser.add_argument(
        "--keep",
        help="with --profile: a SQLite file kept between runs (loaded once, then reused)",
    )
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="seiyo-counter-pages-"))
    reuse = bool(args.keep and Path(args.keep).exists())
    if args.keep:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(args.keep).resolve()}"
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    from bench_django import start_django

    start_django()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from core.seed import load_source_data
    from counter.models import Reception, ReceptionTally, Site, SiteKind

    if reuse:
        user = get_user_model().objects.get(username="bench")
    else:
        call_command("flush", "--no-input", verbosity=0)
        load_source_data()
        Site.objects.bulk_create(
            Site(name=name, kind=SiteKind.BRANCH, counter_opened_on=FIRST_DAY, order=100 + i)
            for i, name in enumerate(site_names())
        )
        user = get_user_model().objects.create_superuser("bench", "bench@example.jp", "x")
    client = Client()
    client.force_login(user)
    print(
        f"# counter page at scale — {connection.vendor}, {args.rows:,} receptions, "
        f"median of {args.runs}\n"
    )
    if args.profile:
        if not reuse:
            load_rows(args.rows)
        page = measurements(user, client)["page, source period, all sites"]
        profile(page)
        return

    before = measure(user, client, args.runs)
    load_rows(args.rows)
    print(
        f"(stored: {Reception.objects.count():,} receptions, "
        f"{ReceptionTally.objects.count():,} daily tallies)\n"
    )
    after = measure(user, client, args.runs)

    # pandas and the page in turn, so that the machine's load hits both alike.
    page = measurements(user, client)["page, source period, all sites"]
    pandas_walls, pandas_cpus, page_walls, page_cpus = [], [], [], []
    for _ in range(args.pandas_runs):
        walls, cpus, _queries = timed(pandas_figures, 1)
        pandas_walls += walls
        pandas_cpus += cpus
        walls, cpus, _queries = timed(page, args.runs)
        page_walls += walls
        page_cpus += cpus

    print(
        "| what | fixtures ms (CPU) | with the rows ms (CPU) | rows / fixtures wall (CPU) | queries |"
    )
    print("|---|---:|---:|---:|---|")
    for label, (walls, cpus, queries) in before.items():
        later_walls, later_cpus, later_queries = after[label]
        print(
            f"| {label} | {ms(walls):.1f} ({ms(cpus):.1f}) | "
            f"{ms(later_walls):.1f} ({ms(later_cpus):.1f}) | "
            f"{ms(later_walls) / ms(walls):.2f}x ({ms(later_cpus) / ms(cpus):.2f}x) | "
            f"{queries} → {later_queries} |"
        )
    print()
    print(
        f"pandas over the raw rows per request: {ms(pandas_walls):.0f} ms (CPU {ms(pandas_cpus):.0f}); "
        f"the page between its runs: {ms(page_walls):.1f} ms (CPU {ms(page_cpus):.1f})"
    )
    print(
        f"  pandas / page: {ms(pandas_walls) / ms(page_walls):.0f}x wall "
        f"({ms(pandas_cpus) / ms(page_cpus):.0f}x CPU); pandas / panel: "
        f"{ms(pandas_walls) / ms(after['dashboard panel, as of 2022-11-01'][0]):.0f}x wall"
    )


if __name__ == "__main__":
    main()
