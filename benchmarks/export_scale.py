"""Time the schedule's exports and the meeting workbook at 1x and at N x the printed data.

For each scale: the project's .xlsx and CSV export of all items (through the test client as a
superuser, the streamed content read to the end), next to bare openpyxl write-only (and bare
``csv``) writing the same rows as plain values without styles; the peak memory (tracemalloc)
of one project export; the meeting workbook as of 2022-11-01. Prints the ratios project/bare
and N x / 1x. Not a test: it builds its own database (SQLite in a temp dir unless
``DATABASE_URL`` is set; that database is flushed).
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def body_of(response) -> int:
    """Read the response to the end as a browser would, keeping nothing; returns its size."""
    if getattr(response, "streaming", False):
        size = sum(len(chunk) for chunk in response.streaming_content)
    else:
        size = len(response.content)
    response.close()
    return size


def median_seconds(action, runs: int) -> tuple[float, float]:
    """Median wall-clock and process CPU seconds (CPU time is steadier on a busy machine;
    it leaves out the database server's work on PostgreSQL)."""
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(wall), statistics.median(cpu)


def bare_xlsx(rows: list[list]) -> int:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet()
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return len(buffer.getvalue())


def bare_csv(rows: list[list]) -> int:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return len(buffer.getvalue().encode("utf-8-sig"))


def measure(client, runs: int, workbook_runs: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from openpyxl import load_workbook

    figures = {}
    for export in ("xlsx", "csv"):
        url = f"/schedule/?export={export}"

        def get(url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return body_of(response)

        get()  # warm up (imports, caches)
        with CaptureQueriesContext(connection) as queries:
            figures[f"{export} bytes"] = get()
        figures[f"{export} queries"] = len(queries)
        figures[f"{export} s"], figures[f"{export} cpu s"] = median_seconds(get, runs)
        tracemalloc.start()
        get()
        figures[f"{export} peak MB"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()

    # The same cells as plain values: read back from the project's own export.
    response = client.get("/schedule/?export=xlsx")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    figures["rows"] = len(rows) - 1
    figures["bare xlsx s"], figures["bare xlsx cpu s"] = median_seconds(
        lambda: bare_xlsx(rows), runs
    )
    figures["bare csv s"], figures["bare csv cpu s"] = median_seconds(lambda: bare_csv(rows), runs)

    def workbook():
        response = client.get("/workbook/?as_of=2022-11-01")
        assert response.status_code == 200
        return body_of(response)

    figures["workbook s"], figures["workbook cpu s"] = median_seconds(workbook, workbook_runs)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=1000, help="copies of the printed schedule")
    parser.add_argument("--runs", type=int, default=3, help="runs per export (median)")
    parser.add_argument("--workbook-runs", type=int, default=1, help="runs of the workbook")
    args = parser.parse_args()

    from bench_django import start_django

    start_django()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from generate import multiply_schedule

    results = {}
    for scale in (1, args.scale):
        call_command("flush", interactive=False, verbosity=0)
        started = time.perf_counter()
        items = multiply_schedule(scale)
        took = time.perf_counter() - started
        print(f"{scale}x: {items} items generated in {took:.1f} s ({connection.vendor})")
        user = get_user_model().objects.create_superuser("bench", password="bench-pw-1")
        client = Client()
        client.force_login(user)
        results[scale] = measure(client, args.runs, args.workbook_runs)

    small, large = results[1], results[args.scale]
    label = f"{args.scale}x"
    print()
    print(f"{'':<24} {'1x':>10} {label:>10} {label + '/1x':>10}")
    for key in (
        "rows",
        "xlsx queries",
        "xlsx s",
        "bare xlsx s",
        "xlsx cpu s",
        "bare xlsx cpu s",
        "xlsx peak MB",
        "xlsx bytes",
        "csv queries",
        "csv s",
        "bare csv s",
        "csv cpu s",
        "bare csv cpu s",
        "csv peak MB",
        "csv bytes",
        "workbook s",
        "workbook cpu s",
    ):
        ratio = large[key] / small[key] if small[key] else float("nan")
        print(f"{key:<24} {small[key]:>10.3f} {large[key]:>10.3f} {ratio:>10.1f}")
    print()
    for scale, figures in results.items():
        print(
            f"{scale}x project/bare: xlsx {figures['xlsx s'] / figures['bare xlsx s']:.2f} "
            f"(cpu {figures['xlsx cpu s'] / figures['bare xlsx cpu s']:.2f}), "
            f"csv {figures['csv s'] / figures['bare csv s']:.2f} "
            f"(cpu {figures['csv cpu s'] / figures['bare csv cpu s']:.2f})"
        )


if __name__ == "__main__":
    main()
