"""The cloud PBX page, panel and downloads with the papers' 6 sites and with many more.

Builds the database (a throwaway SQLite file, or the PostgreSQL database of ``DATABASE_URL``,
which must be empty or a scratch one), loads the papers' data, measures each URL (one warm-up,
then ``--runs`` timed runs: median wall and CPU time, query count), adds ``--sites`` sites of
``--revisions`` revisions each (``pbx.scale.add_sites``) and measures again.

    .venv/bin/python benchmarks/pbx_scale.py                        # SQLite, 100 × 50
    .venv/bin/python benchmarks/pbx_scale.py --sites 1000 --revisions 50

Not a test: nothing is asserted beyond status 200.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_django import start_django

URLS = [
    ("page as of 10/24", "/pbx/?as_of=2022-10-24"),
    ("page today", "/pbx/"),
    ("dashboard as of 10/24", "/?as_of=2022-10-24"),
    ("sites CSV", "/pbx/sites.csv?as_of=2022-10-24"),
    ("revisions CSV", "/pbx/revisions.csv?as_of=2022-10-24"),
    ("page .xlsx", "/pbx/rollout.xlsx?as_of=2022-10-24"),
]


def measure(client, url: str, runs: int):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def fetch():
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        assert response.status_code == 200, (url, response.status_code)

    fetch()
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        fetch()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    with CaptureQueriesContext(connection) as captured:
        fetch()
    return statistics.median(walls), statistics.median(cpus), len(captured)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sites", type=int, default=100)
    parser.add_argument("--revisions", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    start_django("seiyo-pbx-bench-")
    from django.contrib.auth import get_user_model
    from django.test import Client

    from core.roles import VIEWERS, sync_roles
    from core.seed import load_source_data
    from pbx.scale import add_sites

    load_source_data()
    sync_roles()
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user("bench", password="x")
    user.groups.add(Group.objects.get(name=VIEWERS))
    client = Client()
    client.force_login(user)
    small = {label: measure(client, url, args.runs) for label, url in URLS}
    add_sites(args.sites, args.revisions)
    large = {label: measure(client, url, args.runs) for label, url in URLS}
    scale = f"+{args.sites:,} sites × {args.revisions}"
    print(f"| what | 6 sites: ms (CPU), queries | {scale}: ms (CPU), queries | wall ratio |")
    print("|---|---|---|---|")
    for label, _url in URLS:
        (w1, c1, q1), (w2, c2, q2) = small[label], large[label]
        print(
            f"| {label} | {w1 * 1000:.0f} ({c1 * 1000:.0f}), {q1} | "
            f"{w2 * 1000:.0f} ({c2 * 1000:.0f}), {q2} | {w2 / w1:.1f}x |"
        )


if __name__ == "__main__":
    main()
