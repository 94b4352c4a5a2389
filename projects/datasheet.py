"""全体のスケジュール(データ): the schedule as a machine-readable table.

Follows the Ministry of Internal Affairs' rules for machine-readable tables: one header row,
one value per cell, numbers as numbers, no merged cells, dates with the Western year. The same
columns serve the page's CSV/.xlsx export, the workbook's data sheet and the Excel import
(``projects/imports.py``), so a downloaded sheet can be edited and uploaded again.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from operator import itemgetter

from django.db.models import Count, Max, QuerySet

from core.japanese import fiscal_year_label
from core.spreadsheets import data_sheet

from .models import BudgetLine, Concern, FiscalYearPlan, ProgrammeYear, ScheduleItem
from .selectors import ItemSnapshot, ScheduleSnapshot

ID = "項目ID"
CATEGORY = "区分"
NAME = "項目"
STATUS = "状況"
BUDGET_TOTAL = "予算額計（千円）"
INCLUDED_IN = "予算を含む項目"
CONCERNS = "懸案など"
AS_OF = "基準日"
MIN_BUDGET_COLUMNS = 2


def budget_column(n: int) -> str:
    return f"予算額{n}（千円）"


def plan_column(start_year: int) -> str:
    return f"{fiscal_year_label(start_year)}の計画"


def budget_column_count(items: list[ItemSnapshot]) -> int:
    return max([MIN_BUDGET_COLUMNS, *(len(item.budget_lines) for item in items)])


def columns(years: list[int], width: int) -> list[str]:
    budgets = [budget_column(n) for n in range(1, width + 1)]
    plans = [plan_column(year) for year in years]
    return [
        ID,
        CATEGORY,
        NAME,
        STATUS,
        BUDGET_TOTAL,
        *budgets,
        INCLUDED_IN,
        *plans,
        CONCERNS,
        AS_OF,
    ]


def header(snapshot: ScheduleSnapshot, items: list[ItemSnapshot] | None = None) -> list[str]:
    items = snapshot.items if items is None else items
    return columns(snapshot.years, budget_column_count(items))


def row(
    *,
    id: int,
    category: str,
    name: str,
    status: str,
    budget_lines: list[int],
    included_in: str | None,
    plans: dict[int, list[str]],
    concerns: list[str],
    years: list[int],
    width: int,
    day: dt.date,
) -> list:
    """One item's row; multi-line plans and concerns are one text value each (one per line)."""
    return [
        id,
        category,
        name,
        status,
        sum(budget_lines) if budget_lines else None,
        *budget_lines,
        *[None] * (width - len(budget_lines)),
        included_in,
        *["\n".join(plans.get(year, [])) or None for year in years],
        "\n".join(concerns) or None,
        day,
    ]


def rows(snapshot: ScheduleSnapshot, items: list[ItemSnapshot] | None = None) -> list[list]:
    """One row per item of the snapshot (or of ``items``, a part of it)."""
    items = snapshot.items if items is None else items
    width = budget_column_count(items)
    return [
        row(
            id=item.id,
            category=item.category,
            name=item.name,
            status=item.status,
            budget_lines=item.budget_lines,
            included_in=item.included_in,
            plans=item.plans,
            concerns=item.concerns,
            years=snapshot.years,
            width=width,
            day=snapshot.as_of.day,
        )
        for item in items
    ]


SHEET_TITLE = "全体のスケジュール(データ)"
WIDTHS = {ID: 8, CATEGORY: 18, NAME: 30, STATUS: 12, INCLUDED_IN: 18, CONCERNS: 34, AS_OF: 12}


def widths(header: list[str]) -> list[int]:
    return [WIDTHS.get(c, 30 if "計画" in c else 14) for c in header]


def write(ws, snapshot: ScheduleSnapshot, items: list[ItemSnapshot] | None = None) -> None:
    ws.title = SHEET_TITLE
    write_table(ws, header(snapshot, items), rows(snapshot, items))


def write_table(ws, header: list[str], body) -> None:
    """The data sheet's header and rows (any iterable) into a normal or write-only sheet."""
    data_sheet(ws, header, body, widths(header))


# --- The page's export: the items the filter selects, as they stand now, streamed -----------

CHUNK_SIZE = 75  # rows fetched at a time from each query while the export is written
ITEM_ORDER = ("category__order", "order", "pk")  # the printed order (``schedule_items``)
PART_ORDER = ("item__category__order", "item__order", "item_id")  # parts in their items' order


def export(items: QuerySet[ScheduleItem], day: dt.date) -> tuple[list[str], Iterator[list]]:
    """The header and the rows of the items ``items`` selects (the page's filter), live.

    The same rows as ``rows`` of today's snapshot, filtered in the database. Two queries now
    (the years and the widest budget), then one each for the items, their budget lines, plans
    and concerns, read ``CHUNK_SIZE`` rows at a time as the rows are consumed: six queries
    for 13 items and for 13,000, and memory that does not grow with them.
    """
    shown = items.values("pk")
    years = list(ProgrammeYear.objects.order_by("start_year").values_list("start_year", flat=True))
    widest = (
        BudgetLine.objects.filter(item__in=shown)
        .values("item")
        .annotate(lines=Count("pk"))
        .aggregate(widest=Max("lines"))["widest"]
    )
    width = max(MIN_BUDGET_COLUMNS, widest or 0)
    return columns(years, width), _export_rows(shown, years, width, day)


class ScheduleChanged(Exception):
    """An item got more budget lines than the export's header has columns, mid-export.

    Its row would not fit the header (the amounts would shift into other columns), so the
    export stops rather than write it; downloading again gives the new, wider header.
    """


class Parts:
    """The parts of the items (budget lines, plans, concerns), read alongside the items.

    ``rows`` start with the item's sort key (category order, order, id) and are sorted by it,
    as the items are, so each item's parts are next in the stream; parts whose item the
    stream has already passed (an item moved or deleted meanwhile) are skipped.
    """

    def __init__(self, rows: Iterator[tuple]):
        self._rows = rows
        self._groups = itertools.groupby(rows, key=itemgetter(0, 1, 2))
        self._next = next(self._groups, None)

    @classmethod
    def of_items(cls, queryset: QuerySet, order: tuple[str, ...], *fields: str) -> Parts:
        return cls(
            queryset.order_by(*PART_ORDER, *order)
            .values_list(*PART_ORDER, *fields)
            .iterator(chunk_size=CHUNK_SIZE)
        )

    def of(self, key: tuple) -> list[tuple]:
        """The values (the fields after the key) of the item with ``key``, in their order."""
        while self._next is not None and self._next[0] < key:
            self._next = next(self._groups, None)
        if self._next is None or self._next[0] != key:
            return []
        values = [part[3:] for part in self._next[1]]
        self._next = next(self._groups, None)
        return values

    def close(self) -> None:
        close = getattr(self._rows, "close", None)
        if close is not None:
            close()


def plan_lines(content: str) -> list[str]:
    return [line.strip() for line in content.splitlines() if line.strip()]


def _export_rows(shown: QuerySet, years: list[int], width: int, day: dt.date) -> Iterator[list]:
    items = (
        ScheduleItem.objects.filter(pk__in=shown)
        .order_by(*ITEM_ORDER)
        .values_list(*ITEM_ORDER, "category__name", "name", "status__name", "included_in__name")
        .iterator(chunk_size=CHUNK_SIZE)
    )
    parts = []
    try:
        for category_order, order, pk, category, name, status, included_in in items:
            if not parts:  # the parts' queries start with the first item
                parts = [
                    Parts.of_items(
                        BudgetLine.objects.filter(item__in=shown), ("order", "id"), "amount"
                    ),
                    Parts.of_items(
                        FiscalYearPlan.objects.filter(item__in=shown),
                        ("year__start_year",),
                        "year__start_year",
                        "content",
                    ),
                    Parts.of_items(Concern.objects.filter(item__in=shown), ("order", "id"), "text"),
                ]
            key = (category_order, order, pk)
            lines, plans, concerns = (part.of(key) for part in parts)
            if len(lines) > width:  # a budget line was added since the header was made
                raise ScheduleChanged(name)
            yield row(
                id=pk,
                category=category,
                name=name,
                status=status,
                budget_lines=[amount for (amount,) in lines],
                included_in=included_in,
                plans={year: plan_lines(content) for year, content in plans},
                concerns=[text for (text,) in concerns],
                years=years,
                width=width,
                day=day,
            )
    finally:
        items.close()
        for part in parts:
            part.close()
