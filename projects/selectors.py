"""Reads of the schedule: every page, export and (later) dashboard panel goes through here."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Sum

from .models import (
    BudgetLine,
    Concern,
    FiscalYearPlan,
    Initiative,
    Milestone,
    ProgrammeYear,
    ProgressNote,
    ScheduleItem,
)


def schedule_items() -> QuerySet[ScheduleItem]:
    """Items in printed order with everything a row shows, in a constant number of queries."""
    return (
        ScheduleItem.objects.select_related("category", "status", "included_in")
        .prefetch_related(
            "budget_lines",
            Prefetch("plans", queryset=FiscalYearPlan.objects.select_related("year")),
            "concerns",
        )
        .annotate(budget_total=Sum("budget_lines__amount"))
        .order_by("category__order", "order", "pk")
    )


def search_items(items: QuerySet[ScheduleItem], text: str) -> QuerySet[ScheduleItem]:
    """Items whose name, plans or concerns contain ``text`` (no joins: totals stay right)."""
    return items.filter(
        Q(name__icontains=text)
        | Q(category__name__icontains=text)
        | Exists(FiscalYearPlan.objects.filter(item=OuterRef("pk"), content__icontains=text))
        | Exists(Concern.objects.filter(item=OuterRef("pk"), text__icontains=text))
    )


def items_with_plan_in(items: QuerySet[ScheduleItem], year: ProgrammeYear):
    return items.filter(Exists(FiscalYearPlan.objects.filter(item=OuterRef("pk"), year=year)))


def budget_total(items: QuerySet[ScheduleItem] | None = None) -> int:
    """計: the sum of the budget lines of the given items (all items by default), in 千円."""
    lines = BudgetLine.objects.all()
    if items is not None:
        lines = lines.filter(item__in=items.values("pk"))
    return lines.aggregate(total=Sum("amount"))["total"] or 0


def programme_years() -> list[ProgrammeYear]:
    return list(ProgrammeYear.objects.all())


def initiatives() -> QuerySet[Initiative]:
    return Initiative.objects.prefetch_related("milestones", "notes")


def item_part_histories(item_id: int) -> list[QuerySet]:
    """History of an item's budget lines, plans and concerns (deleted ones included)."""
    return [
        BudgetLine.history.filter(item_id=item_id),
        FiscalYearPlan.history.filter(item_id=item_id),
        Concern.history.filter(item_id=item_id),
    ]


def item_histories(item_id: int) -> list[QuerySet]:
    return [ScheduleItem.history.filter(id=item_id), *item_part_histories(item_id)]


def initiative_part_histories(initiative_id: int) -> list[QuerySet]:
    return [
        Milestone.history.filter(initiative_id=initiative_id),
        ProgressNote.history.filter(initiative_id=initiative_id),
    ]


def initiative_histories(initiative_id: int) -> list[QuerySet]:
    return [Initiative.history.filter(id=initiative_id), *initiative_part_histories(initiative_id)]
