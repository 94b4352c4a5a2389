"""Time the schedule import: every row of the data sheet changed, previewed and applied.

The printed schedule (13 items) is measured first, then the schedule multiplied to just under
the import's row limit (``MAX_ROWS`` counts the header too: 9,997 items at the default scale).
For each, the data sheet is downloaded as a superuser (``/schedule/?export=xlsx``), every row
is changed in openpyxl as in Excel (the first budget line +1 where the row has budget lines,
and a line added to the 令和5年度 plan), and the upload is parsed (``read_upload``), previewed
(``prepare_batch``) and applied (``apply_batch``) as the admin does. Each run is rolled back,
so the runs see the same data; the figures are medians: wall-clock seconds and this process's
CPU seconds (for SQLite that includes the database's work; PostgreSQL's is in its server).

    .venv/bin/python benchmarks/import_apply.py                  # SQLite in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/seiyo_bench \\
      .venv/bin/python benchmarks/import_apply.py                  # PostgreSQL (must exist)

``--row-by-row`` also times one apply with every row saved by ``instance.save()`` (the writer
before batching), for comparison.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

FILENAME = "全体のスケジュール_一括変更.xlsx"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=769, help="copies of the printed schedule")
    parser.add_argument("--runs", type=int, default=3, help="runs of each measure (median)")
    parser.add_argument("--row-by-row", action="store_true", help="also time the old writer")
    parser.add_argument("--profile", action="store_true", help="profile one preview and apply")
    args = parser.parse_args()

    from bench_django import start_django

    start_django()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from generate import multiply_schedule

    from core.seed import load_source_data

    user, _ = get_user_model().objects.get_or_create(
        username="bench", defaults={"is_staff": True, "is_superuser": True}
    )
    print(f"database: {connection.vendor}, runs: {args.runs} (median)")
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(
        f"{'rows':>6} {'changes':>8} {'parse s':>8} {'preview s':>10} {'cpu s':>6} "
        f"{'queries':>8} {'apply s':>8} {'cpu s':>6} {'queries':>8}"
    )
    load_source_data()
    small = measure(user, args.runs)
    started = time.perf_counter()
    items = multiply_schedule(args.scale)
    generated = time.perf_counter() - started
    large = measure(user, args.runs, profile=args.profile)
    print(f"(generated {items} items with their history in {generated:.1f} s)")
    print(
        f"ratio {large['rows'] / small['rows']:.0f}x rows: preview "
        f"{large['preview'] / small['preview']:.0f}x, apply {large['apply'] / small['apply']:.0f}x "
        f"time; apply queries {large['apply_queries']} vs {small['apply_queries']}"
    )
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    if args.row_by_row:
        old = measure(user, 1, row_by_row=True, show=False)
        print(
            f"row by row (instance.save() per row, 1 run): apply {old['apply']:.1f} s, "
            f"{old['apply_queries']} queries"
        )


def changed_sheet(user) -> tuple[bytes, int]:
    """The downloaded data sheet with every row changed, and its number of rows."""
    import openpyxl
    from django.test import Client

    client = Client()
    client.force_login(user)
    response = client.get("/schedule/?export=xlsx")
    assert response.status_code == 200, response.status_code
    book = openpyxl.load_workbook(io.BytesIO(response.getvalue()))
    ws = book["全体のスケジュール(データ)"]
    header = [cell.value for cell in ws[1]]
    budget, total, plan = (
        header.index(name) + 1
        for name in ("予算額1（千円）", "予算額計（千円）", "令和5年度の計画")
    )
    rows = 0
    for row in range(2, ws.max_row + 1):
        amount = ws.cell(row, budget).value
        if amount not in (None, ""):
            ws.cell(row, budget).value = int(amount) + 1
            ws.cell(row, total).value = None  # computed from the lines
        lines = ws.cell(row, plan).value
        ws.cell(row, plan).value = f"{lines}\n運用の見直し" if lines else "運用の見直し"
        rows += 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), rows


def measure(
    user, runs: int, *, row_by_row: bool = False, show: bool = True, profile: bool = False
) -> dict:
    from django.db import connection, transaction

    from dataimport import imports
    from dataimport.models import ImportBatch
    from projects.imports import ScheduleImporter

    content, rows = changed_sheet(user)
    timings: dict[str, list[float]] = {
        "parse": [],
        "preview": [],
        "apply": [],
        "preview_cpu": [],
        "apply_cpu": [],
    }
    queries = {}
    for _ in range(runs):
        # Each run as a request to a worker: nothing of the last run left, its garbage gone.
        result = batch = parsed = None
        gc.collect()
        with transaction.atomic():
            started = time.perf_counter()
            parsed = imports.read_upload(ScheduleImporter(), content, FILENAME)
            timings["parse"].append(time.perf_counter() - started)
            batch = ImportBatch.objects.create(
                importer=ScheduleImporter.key,
                filename=FILENAME,
                content=content,
                uploaded_by=user,
                parsed=imports.parsed_bytes(parsed),
            )
            if profile:
                import cProfile

                profiler = cProfile.Profile()
                profiler.enable()
            with Counter(connection) as preview_queries:
                started, cpu = time.perf_counter(), time.process_time()
                result = imports.prepare_batch(ScheduleImporter(), batch)
                timings["preview"].append(time.perf_counter() - started)
                timings["preview_cpu"].append(time.process_time() - cpu)
            assert not result.errors, [str(e) for e in result.errors[:5]]
            assert len(result.changes) == rows, (len(result.changes), rows)
            writer = imports.Writer
            if row_by_row:
                imports.Writer = _row_by_row_writer()
            try:
                with Counter(connection) as apply_queries:
                    started, cpu = time.perf_counter(), time.process_time()
                    imports.apply_batch(ScheduleImporter(), batch, user, result.digest)
                    timings["apply"].append(time.perf_counter() - started)
                    timings["apply_cpu"].append(time.process_time() - cpu)
            finally:
                imports.Writer = writer
            queries = {"preview": preview_queries.count, "apply": apply_queries.count}
            if profile:
                profiler.disable()
                profiler.print_stats("cumulative")
                profile = False
            transaction.set_rollback(True)
    figures = {name: statistics.median(values) for name, values in timings.items()}
    if show:
        print(
            f"{rows:>6,} {len(result.changes):>8,} {figures['parse']:>8.2f} "
            f"{figures['preview']:>10.2f} {figures['preview_cpu']:>6.2f} {queries['preview']:>8} "
            f"{figures['apply']:>8.2f} {figures['apply_cpu']:>6.2f} {queries['apply']:>8}"
        )
    return {
        "rows": rows,
        **figures,
        "preview_queries": queries["preview"],
        "apply_queries": queries["apply"],
    }


class Counter:
    """Counts the statements run, without logging them (CaptureQueriesContext's log formats
    every parameter, which on SQLite takes queries of its own, and keeps only 9,000)."""

    def __init__(self, connection):
        self.connection = connection
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        self.wrapper = self.connection.execute_wrapper(self)
        self.wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        return self.wrapper.__exit__(*exc)


def _row_by_row_writer():
    """The writer before batching: every save and delete at once, through the ORM."""
    from dataimport.imports import RowByRowWriter

    return RowByRowWriter


if __name__ == "__main__":
    main()
