"""Many sites with long histories of revisions, in bulk: for the query-count tests and the
benchmark (``benchmarks/pbx_scale.py``). Not used by the application itself."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.db import transaction

from core.db import analyze

from .models import Contract, Porting, Revision, Site

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


@transaction.atomic
def add_sites(sites: int, revisions: int, *, start: dt.date = dt.date(2022, 3, 1)) -> None:
    """Add ``sites`` sites to the first contract, each with ``revisions`` revisions decided a
    few days apart (alternating later dates, earlier dates and 未定, some with porting)."""
    contract = Contract.objects.order_by("pk").first()
    first_order = (Site.objects.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    created = Site.objects.bulk_create(
        Site(
            contract=contract,
            name=f"試験施設{n:05d}",
            order=first_order + n,
            first_planned_on=start + dt.timedelta(days=200 + n % 30),
            state="live" if n % 7 == 0 else "planned",
            went_live_on=start + dt.timedelta(days=240) if n % 7 == 0 else None,
        )
        for n in range(sites)
    )
    recorded = dt.datetime.combine(start, dt.time(9), tzinfo=TOKYO)
    Site.history.bulk_history_create(created, default_date=recorded)
    rows = []
    for site in created:
        planned = site.first_planned_on
        for k in range(revisions):
            undecided = k % 5 == 4
            if not undecided:
                planned = planned + dt.timedelta(days=3 if k % 3 else -1)
            rows.append(
                Revision(
                    site=site,
                    decided_on=start + dt.timedelta(days=k * 4),
                    planned_on=None if undecided else planned,
                    undecided=undecided,
                    porting=Porting.APPLIED if k % 10 == 9 else "",
                    reason="試験",
                    slipped=undecided or k % 3 != 0,
                )
            )
    Revision.objects.bulk_create(rows, batch_size=2000)
    analyze([Site, Revision])
