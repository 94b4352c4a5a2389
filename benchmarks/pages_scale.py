"""The list and detail pages at the printed data (1x) and at N x (1,000 by default).

For each scale a child process builds the database (SQLite in a temp dir; or the PostgreSQL
database of ``DATABASE_URL``, which is EMPTIED first): the schedule multiplied with
``generate.multiply_schedule``, the 5 initiatives copied as many times. A fresh child process
(as a server's would be) then fetches each page (one warm-up, then ``--runs`` timed runs) and
the median wall time and CPU time of this process (the Python side; with SQLite that is nearly
all of it, and it is steadier than wall time on a busy machine), the query count, the HTML size
and the rows shown are printed, with the ratios N x / 1x, as a Markdown table.

    .venv/bin/python benchmarks/pages_scale.py                       # SQLite, 1x and 1,000x
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/seiyo_bench \\
      .venv/bin/python benchmarks/pages_scale.py --scale 1000         # PostgreSQL (emptied!)

Not a test: nothing is asserted beyond status 200.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PAGES = [
    # (label, url); {item} and {category} are filled in from the data.
    ("schedule, first page", "/schedule/"),
    ("schedule, page 100", "/schedule/?page=100"),
    ("schedule, filtered (category)", "/schedule/?category={category}"),
    ("schedule, keyword+sort, page 3", "/schedule/?q=リテラシー&sort=-budget&page=3"),
    ("schedule, per_page=200", "/schedule/?per_page=200"),
    ("item page", "/schedule/items/{item}/"),
    ("initiatives, first page", "/schedule/initiatives/"),
    ("initiative page", "/schedule/initiatives/{initiative}/"),
]


def multiply_initiatives(scale: int) -> int:
    """Add (scale - 1) copies of the printed initiatives with their milestones and notes."""
    from django.db import transaction

    from projects.models import Initiative, Milestone, ProgressNote

    with transaction.atomic():
        originals = list(Initiative.objects.prefetch_related("milestones", "notes"))
        for copy in range(1, scale):
            new = Initiative.objects.bulk_create(
                Initiative(
                    name=f"{i.name}（複製{copy}）",
                    theme=i.theme,
                    partner=i.partner,
                    summary=i.summary,
                    order=100 + copy,
                )
                for i in originals
            )
            milestones, notes = [], []
            for initiative, original in zip(new, originals, strict=True):
                milestones += [
                    Milestone(
                        initiative=initiative,
                        starts_on=m.starts_on,
                        precision=m.precision,
                        ends_on=m.ends_on,
                        relative=m.relative,
                        title=m.title,
                        done=m.done,
                    )
                    for m in original.milestones.all()
                ]
                notes += [
                    ProgressNote(initiative=initiative, noted_on=n.noted_on, text=n.text)
                    for n in original.notes.all()
                ]
            Milestone.objects.bulk_create(milestones)
            ProgressNote.objects.bulk_create(notes)
    return Initiative.objects.count()


def rows_shown(html: str) -> int:
    """Rows in the body of the page's main table (the change log not counted)."""
    match = re.search(r'id="(?:schedule|initiative)-table".*?<tbody[^>]*>(.*?)</tbody>', html, re.S)
    return match.group(1).count("<tr") if match else 0


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seiyo_dx.settings_test")
    import django

    django.setup()


def build(scale: int) -> dict:
    """Child process: an empty database with the data at ``scale``."""
    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from generate import multiply_schedule

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    started = time.perf_counter()
    items = multiply_schedule(scale)
    initiatives = multiply_initiatives(scale)
    generated = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "scale": scale,
        "vendor": connection.vendor,
        "items": items,
        "initiatives": initiatives,
        "generated_s": generated,
    }


def measure(runs: int) -> dict:
    """Another child process (a fresh one, as a server's would be): measure every page."""
    setup_django()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from core.roles import VIEWERS, sync_roles
    from projects.models import Category, Initiative, ScheduleItem

    setup_test_environment()
    sync_roles()
    user, _ = get_user_model().objects.get_or_create(username="bench")
    user.groups.add(Group.objects.get(name=VIEWERS))
    client = Client()
    client.force_login(user)
    ids = {
        "item": ScheduleItem.objects.get(name="テレワーク環境").pk,
        "category": Category.objects.get(name="業務継続").pk,
        "initiative": Initiative.objects.get(name="デジタルデバイド対策").pk,
    }
    results = []
    for label, url in PAGES:
        url = url.format(**ids)
        client.get(url)  # warm-up: templates, connection
        timings, cpu = [], []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        html = response.content.decode()
        results.append(
            {
                "label": label,
                "url": url,
                "ms": statistics.median(timings),
                "cpu_ms": statistics.median(cpu),
                "queries": len(queries),
                "bytes": len(response.content),
                "rows": rows_shown(html),
            }
        )
    return {"pages": results}


def child(arguments: list[str], database_url: str) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url}
    output = subprocess.run(
        [sys.executable, __file__, *arguments],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def kb(n: int) -> str:
    return f"{n / 1024:,.0f} KB" if n >= 10 * 1024 else f"{n / 1024:.1f} KB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1000, help="copies of the printed data")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per page (median)")
    parser.add_argument("--build", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build is not None:
        print(json.dumps(build(args.build)))
        return
    if args.measure:
        print(json.dumps(measure(args.runs)))
        return

    configured = os.environ.get("DATABASE_URL")
    tmp = tempfile.mkdtemp(prefix="seiyo-pages-")
    results = []
    for scale in (1, args.scale):
        url = configured or f"sqlite:///{tmp}/pages-{scale}x.sqlite3"
        result = child(["--build", str(scale)], url)
        result.update(child(["--measure", "--runs", str(args.runs)], url))
        print(
            f"{scale}x: {result['items']} items, {result['initiatives']} initiatives "
            f"({result['vendor']}, generated in {result['generated_s']:.1f} s)"
        )
        results.append(result)
    small, large = results
    n = f"{args.scale}x"
    print(
        f"\nmedian of {args.runs} runs; load average {os.getloadavg()[0]:.1f} ({os.cpu_count()} CPUs)"
    )
    print(
        f"| page | rows 1x / {n} | queries 1x / {n} | ms 1x | ms {n} | × | "
        f"CPU ms 1x | CPU ms {n} | × | HTML 1x | HTML {n} |"
    )
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for a, b in zip(small["pages"], large["pages"], strict=True):
        print(
            f"| {a['label']} | {a['rows']} / {b['rows']} | {a['queries']} / {b['queries']} | "
            f"{a['ms']:.1f} | {b['ms']:.1f} | {b['ms'] / a['ms']:.2f} | "
            f"{a['cpu_ms']:.1f} | {b['cpu_ms']:.1f} | {b['cpu_ms'] / a['cpu_ms']:.2f} | "
            f"{kb(a['bytes'])} | {kb(b['bytes'])} |"
        )


if __name__ == "__main__":
    main()
