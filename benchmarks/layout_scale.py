"""The seat plan page, panel and downloads with the papers' 10 rows and with many more.

    .venv/bin/python benchmarks/layout_scale.py                       # SQLite in /tmp
    .venv/bin/python benchmarks/layout_scale.py --buildings 100 --floors 10 --sections 20

Prints queries and the median wall and CPU time of each, at 1x and after ``layout.scale``
added buildings × floors × sections sections with a plan for two years (and their history).
"""

from __future__ import annotations

import argparse
import datetime as dt
import pathlib
import statistics
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_django import start_django  # noqa: E402


def timed(function, runs: int) -> tuple[int, float, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    function()  # warm up
    walls, cpus = [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            wall, cpu = time.perf_counter(), time.process_time()
            function()
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
    return len(queries), statistics.median(walls) * 1000, statistics.median(cpus) * 1000


def measure(runs: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    from core.history import AsOf
    from core.roles import VIEWERS, sync_roles
    from layout.panels import LayoutPanel

    client = Client()
    sync_roles()
    user, _ = get_user_model().objects.get_or_create(username="bench")
    user.groups.add(Group.objects.get(name=VIEWERS))
    client.force_login(user)  # not a demo account: those are refused while DEBUG is off
    status = client.get("/layout/").status_code
    assert status == 200, status

    def get(url):
        def run():
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)

        return run

    return {
        "page": timed(get("/layout/"), runs),
        "page, short rows": timed(get("/layout/?rows=short"), runs),
        "csv": timed(get("/layout/?export=csv"), runs),
        "xlsx": timed(get("/layout/?export=xlsx"), runs),
        "panel today": timed(lambda: LayoutPanel().get_context(AsOf.today()), runs),
        "panel 2022-11-01": timed(
            lambda: LayoutPanel().get_context(AsOf(dt.date(2022, 11, 1))), runs
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--buildings", type=int, default=50)
    parser.add_argument("--floors", type=int, default=10)
    parser.add_argument("--sections", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    start_django("seiyo-layout-bench-")
    from core.db import analyze
    from core.seed import load_source_data
    from layout import scale
    from layout.models import Building, Floor, SeatPlan, Section

    load_source_data()
    small = measure(args.runs)
    added = scale.generate(args.buildings, args.floors, args.sections, years=(2022, 2023))
    analyze([Building, Floor, Section, SeatPlan])
    large = measure(args.runs)
    print(f"| what | queries 1x / +{added:,} plans | ms 1x | ms large | CPU ms 1x | CPU ms large |")
    print("|---|---|---|---|---|---|")
    for name, (queries, wall, cpu) in small.items():
        big_queries, big_wall, big_cpu = large[name]
        print(
            f"| {name} | {queries} / {big_queries} | {wall:.0f} | {big_wall:.0f} "
            f"| {cpu:.0f} | {big_cpu:.0f} |"
        )


if __name__ == "__main__":
    main()
