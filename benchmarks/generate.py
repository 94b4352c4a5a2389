"""Data generator: the printed schedule multiplied, with history, in bulk."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.db import transaction

from core.db import analyze
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
    analyze([ScheduleItem, BudgetLine, FiscalYearPlan, Concern])
    return ScheduleItem.objects.count()


# --- Long histories: ten years of edits, written straight into the historical tables ---------

HISTORY_START = dt.datetime(2016, 12, 1, 9, tzinfo=TOKYO)
HISTORY_END = dt.datetime(2026, 11, 1, 9, tzinfo=TOKYO)
HISTORY_MIDDLE = (HISTORY_START + (HISTORY_END - HISTORY_START) / 2).date()
REASON = "ベンチマーク（長い履歴）"


def _version_date(number: int, versions: int, obj: int) -> dt.datetime:
    """Version ``number`` of ``versions``, spread evenly over the ten years (minutes apart)."""
    step = (HISTORY_END - HISTORY_START) / versions
    return HISTORY_START + step * number + dt.timedelta(minutes=obj % 600)


def _fate(obj: int, versions: int) -> tuple[int | None, int | None]:
    """(version deleted at, version re-created at): one object in 50 is deleted at the end,
    another in 50 is deleted half-way and re-created with the same id right after."""
    if obj % 50 == 0:
        return versions - 1, None
    if obj % 50 == 25 and versions >= 4:
        return versions // 2, versions // 2 + 1
    return None, None


def _history_type(number: int, deleted: int | None, recreated: int | None) -> str:
    if number == deleted:
        return "-"
    return "+" if number in (0, recreated) else "~"


@transaction.atomic
def long_history(objects: int, versions: int, chunk: int = 500) -> int:
    """Load the source data, then ``objects`` items (each with one budget line, plan and
    concern) whose every row has ``versions`` history records over ten years; returns the
    number of history records written.

    Live rows are bulk-created in their last version; history records are bulk-created as
    historical model instances (not through ``save``), ``chunk`` objects at a time. One object
    in 50 ends deleted, another is deleted and re-created with the same id half-way.
    """
    from django.test import override_settings

    load_source_data()
    # A programme year for every fiscal year of the history (the fixtures have 2021-2023), so
    # that each date, today included, has items with a plan for its year.
    known = set(ProgrammeYear.objects.values_list("start_year", flat=True))
    ProgrammeYear.objects.bulk_create(
        ProgrammeYear(start_year=year)
        for year in range(HISTORY_START.year, HISTORY_END.year + 1)
        if year not in known
    )
    categories = list(Category.objects.all())
    statuses = list(Status.objects.all())
    years = list(ProgrammeYear.objects.all())
    # The categories, statuses and years existed before the long history starts.
    for model in (Category, Status, ProgrammeYear):
        model.history.bulk_history_create(
            list(model.objects.all()),
            default_date=HISTORY_START - dt.timedelta(days=1),
            default_change_reason=REASON,
        )
    last = versions - 1

    def item_values(obj: int, number: int) -> dict:
        return {
            "category_id": categories[obj % len(categories)].id,
            "status_id": statuses[(obj + number) % len(statuses)].id,
            "name": f"長期項目{obj:06d}",
            "order": number % 50,
            "included_in_id": None,
        }

    def line_values(obj: int, number: int) -> dict:
        return {"amount": 1000 + (obj * 7 + number * 13) % 5000, "label": "", "order": 0}

    def plan_values(obj: int, number: int) -> dict:
        return {
            "year_id": years[obj % len(years)].id,
            "content": f"計画（版{number}）\n・検討\n・実施",
        }

    def concern_values(obj: int, number: int) -> dict:
        return {"text": f"懸案{obj}（版{number}）", "order": 0}

    written = 0
    doomed = []
    for first in range(0, objects, chunk):
        numbers = range(first, min(first + chunk, objects))
        final = {n: (last - 1 if _fate(n, versions)[0] == last else last) for n in numbers}
        items = ScheduleItem.objects.bulk_create(
            ScheduleItem(**item_values(n, final[n])) for n in numbers
        )
        parts = {}
        for model, values in (
            (BudgetLine, line_values),
            (FiscalYearPlan, plan_values),
            (Concern, concern_values),
        ):
            parts[model] = model.objects.bulk_create(
                model(item_id=item.id, **values(n, final[n]))
                for n, item in zip(numbers, items, strict=True)
            )
        doomed += [item.id for n, item in zip(numbers, items, strict=True) if final[n] != last]
        for model, values, rows in (
            (ScheduleItem, item_values, items),
            (BudgetLine, line_values, parts[BudgetLine]),
            (FiscalYearPlan, plan_values, parts[FiscalYearPlan]),
            (Concern, concern_values, parts[Concern]),
        ):
            historical = model.history.model
            records = []
            for n, row in zip(numbers, rows, strict=True):
                deleted, recreated = _fate(n, versions)
                for number in range(versions):
                    if deleted is not None and recreated is None and number > deleted:
                        break
                    kind = _history_type(number, deleted, recreated)
                    values_at = values(n, number - 1 if kind == "-" else number)
                    if model is not ScheduleItem:
                        values_at["item_id"] = row.item_id
                    records.append(
                        historical(
                            id=row.id,
                            history_date=_version_date(number, versions, n),
                            history_type=kind,
                            history_change_reason=REASON,
                            **values_at,
                        )
                    )
            historical.objects.bulk_create(records, batch_size=2000)
            written += len(records)
    with override_settings(SIMPLE_HISTORY_ENABLED=False):  # their '-' records are written above
        ScheduleItem.objects.filter(id__in=doomed).delete()
    analyze([Category, Status, ProgrammeYear, ScheduleItem, BudgetLine, FiscalYearPlan, Concern])
    return written
