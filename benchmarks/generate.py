"""Data generator: the printed schedule multiplied, with history, in bulk."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.db import transaction

from core.seed import load_source_data
from projects.models import (
    BudgetLine,
    Category,
    Concern,
    FiscalYearPlan,
    ProgrammeYear,
    ScheduleItem,
    Status,
)

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


@transaction.atomic
def multiply_schedule(scale: int) -> int:
    """Load the source data, then add (scale - 1) copies of its 13 items; returns the item count."""
    load_source_data()
    originals = list(ScheduleItem.objects.prefetch_related("budget_lines", "plans", "concerns"))
    categories = list(Category.objects.all())
    statuses = list(Status.objects.all())
    years = list(ProgrammeYear.objects.all())
    when = dt.datetime(2022, 6, 1, 9, tzinfo=TOKYO)
    for copy in range(1, scale):
        items = ScheduleItem.objects.bulk_create(
            ScheduleItem(
                category=categories[n % len(categories)],
                status=statuses[n % len(statuses)],
                name=f"{item.name}（複製{copy}）",
                order=100 + copy,
            )
            for n, item in enumerate(originals)
        )
        lines, plans, concerns = [], [], []
        for new, item in zip(items, originals, strict=True):
            lines += [
                BudgetLine(item=new, amount=line.amount, order=line.order)
                for line in item.budget_lines.all()
            ]
            plans += [
                FiscalYearPlan(item=new, year=years[k % len(years)], content=p.content)
                for k, p in enumerate(item.plans.all())
            ]
            concerns += [Concern(item=new, text=c.text, order=c.order) for c in item.concerns.all()]
        for model, objects in (
            (ScheduleItem, items),
            (BudgetLine, BudgetLine.objects.bulk_create(lines)),
            (FiscalYearPlan, FiscalYearPlan.objects.bulk_create(plans)),
            (Concern, Concern.objects.bulk_create(concerns)),
        ):
            model.history.bulk_history_create(objects, default_date=when)
        edited = items[::10]
        for item in edited:
            item.status = statuses[0]
        ScheduleItem.objects.bulk_update(edited, ["status"])
        ScheduleItem.history.bulk_history_create(
            edited, update=True, default_date=when + dt.timedelta(days=30)
        )
    return ScheduleItem.objects.count()
