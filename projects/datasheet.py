"""全体のスケジュール(データ): the schedule as machine-readable tables.

Follows the Ministry of Internal Affairs' rules for machine-readable tables: one header row,
one value per cell, numbers as numbers, no merged cells, dates and years with the Western
year. The items are one table (one row per item, its budget lines as 予算額1・予算額2…); the
plans and the concerns, several lines per item, are long tables of their own on their own
sheets, one line per row (項目ID, 年度, 行番号, text), never lines joined in one cell. The same
tables serve the page's .xlsx export, the workbook's data sheets and the Excel import
(``projects/imports.py``), so a downloaded workbook can be edited and uploaded again; the CSV
export is the items' table alone.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator
from operator import itemgetter

from django.db.models import Count, Max, QuerySet

from core.japanese import fiscal_year_heading
from core.spreadsheets import PLAIN_INTEGER_FORMAT, Formatted, data_sheet

from .models import BudgetLine, Concern, FiscalYearPlan, ScheduleItem
from .selectors import ItemSnapshot, ScheduleSnapshot

ID = "項目ID"
CATEGORY = "区分"
NAME = "項目"
STATUS = "状況"
BUDGET_TOTAL = "予算額計（千円）"
INCLUDED_IN = "予算を含む項目"
CONCERNS = "懸案など"  # the old wide column (still read by the import), and the long table's
AS_OF = "基準日"
FISCAL_YEAR = "年度"
FISCAL_YEAR_LABEL = "年度の表記"
LINE = "行番号"
PLAN = "計画"
CONCERN = "懸案"
MIN_BUDGET_COLUMNS = 2
YEAR_FORMAT = '0"年度"'  # 2022 shown as 2022年度, stored as the number 2022


def budget_column(n: int) -> str:
    return f"予算額{n}（千円）"


def plan_column(start_year: int) -> str:
    """The old wide layout's plan column (read by the import): 2022年度（令和4年度）の計画."""
    return f"{fiscal_year_heading(start_year)}の計画"


def budget_column_count(items: list[ItemSnapshot]) -> int:
    return max([MIN_BUDGET_COLUMNS, *(len(item.budget_lines) for item in items)])


def columns(width: int) -> list[str]:
    budgets = [budget_column(n) for n in range(1, width + 1)]
    return [ID, CATEGORY, NAME, STATUS, BUDGET_TOTAL, *budgets, INCLUDED_IN, AS_OF]


PLAN_HEADER = [ID, NAME, FISCAL_YEAR, FISCAL_YEAR_LABEL, LINE, PLAN]
CONCERN_HEADER = [ID, NAME, LINE, CONCERN]


def header(snapshot: ScheduleSnapshot, items: list[ItemSnapshot] | None = None) -> list[str]:
    items = snapshot.items if items is None else items
    return columns(budget_column_count(items))


def identifier(value: int) -> Formatted:
    """An ID or a line number: a number, without the thousands separator of amounts."""
    return Formatted(value, PLAIN_INTEGER_FORMAT)


def row(
    *,
    id: int,
    category: str,
    name: str,
    status: str,
    budget_lines: list[int],
    included_in: str | None,
    width: int,
    day: dt.date,
) -> list:
    """One item's row: one value per cell (its plans and concerns are in their own tables)."""
    return [
        identifier(id),
        category,
        name,
        status,
        sum(budget_lines) if budget_lines else None,
        *budget_lines,
        *[None] * (width - len(budget_lines)),
        included_in,
        day,
    ]


def plan_rows(id: int, name: str, year: int, lines: Iterable[str]) -> Iterator[list]:
    """One row per line of an item's plan for a fiscal year."""
    for number, text in enumerate(lines, start=1):
        yield [
            identifier(id),
            name,
            Formatted(year, YEAR_FORMAT),
            fiscal_year_heading(year),
            identifier(number),
            text,
        ]


def concern_rows(id: int, name: str, lines: Iterable[str]) -> Iterator[list]:
    for number, text in enumerate(lines, start=1):
        yield [identifier(id), name, identifier(number), text]


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
            width=width,
            day=snapshot.as_of.day,
        )
        for item in items
    ]


def snapshot_plan_rows(snapshot: ScheduleSnapshot) -> list[list]:
    return [
        line
        for item in snapshot.items
        for year in snapshot.years
        for line in plan_rows(item.id, item.name, year, item.plans.get(year, []))
    ]


def snapshot_concern_rows(snapshot: ScheduleSnapshot) -> list[list]:
    return [
        line for item in snapshot.items for line in concern_rows(item.id, item.name, item.concerns)
    ]


SHEET_TITLE = "全体のスケジュール(データ)"
PLANS_TITLE = "全体のスケジュール_計画(データ)"
CONCERNS_TITLE = "全体のスケジュール_懸案(データ)"
WIDTHS = {
    ID: 8,
    CATEGORY: 18,
    NAME: 30,
    STATUS: 12,
    INCLUDED_IN: 18,
    AS_OF: 12,
    FISCAL_YEAR: 10,
    FISCAL_YEAR_LABEL: 22,
    LINE: 8,
    PLAN: 50,
    CONCERN: 50,
}


def widths(header: list[str]) -> list[int]:
    return [WIDTHS.get(c, 14) for c in header]


def write(ws, snapshot: ScheduleSnapshot, items: list[ItemSnapshot] | None = None) -> None:
    ws.title = SHEET_TITLE
    write_table(ws, header(snapshot, items), rows(snapshot, items))


def write_table(ws, header: list[str], body) -> None:
    """A data sheet's header and rows (any iterable) into a normal or write-only sheet."""
    data_sheet(ws, header, body, widths(header))


# --- The page's export: the items the filter selects, as they stand now, streamed -----------

CHUNK_SIZE = 75  # rows fetched at a time from each query while the export is written
ITEM_ORDER = ("category__order", "order", "pk")  # the printed order (``schedule_items``)
PART_ORDER = ("item__category__order", "item__order", "item_id")  # parts in their items' order


def export(items: QuerySet[ScheduleItem], day: dt.date) -> tuple[list[str], Iterator[list]]:
    """The header and the rows of the items ``items`` selects (the page's filter), live.

    The same rows as ``rows`` of today's snapshot, filtered in the database. One query now
    (the widest budget), then one each for the items and their budget lines, read
    ``CHUNK_SIZE`` rows at a time as the rows are consumed: the same queries for 13 items and
    for 13,000, and memory that does not grow with them.
    """
    shown = items.values("pk")
    widest = (
        BudgetLine.objects.filter(item__in=shown)
        .values("item")
        .annotate(lines=Count("pk"))
        .aggregate(widest=Max("lines"))["widest"]
    )
    width = max(MIN_BUDGET_COLUMNS, widest or 0)
    return columns(width), _export_rows(shown, width, day)


def export_plans(items: QuerySet[ScheduleItem]) -> Iterator[list]:
    """The plans' long table of the items ``items`` selects, one row per line, streamed."""
    plans = (
        FiscalYearPlan.objects.filter(item__in=items.values("pk"))
        .order_by(*PART_ORDER, "year__start_year")
        .values_list("item_id", "item__name", "year__start_year", "content")
        .iterator(chunk_size=CHUNK_SIZE)
    )
    try:
        for pk, name, year, content in plans:
            yield from plan_rows(pk, name, year, plan_lines(content))
    finally:
        plans.close()


def export_concerns(items: QuerySet[ScheduleItem]) -> Iterator[list]:
    """The concerns' long table of the items ``items`` selects, one row per concern, streamed."""
    concerns = (
        Concern.objects.filter(item__in=items.values("pk"))
        .order_by(*PART_ORDER, "order", "id")
        .values_list("item_id", "item__name", "text")
        .iterator(chunk_size=CHUNK_SIZE)
    )
    try:
        for pk, group in itertools.groupby(concerns, key=itemgetter(0, 1)):
            yield from concern_rows(pk[0], pk[1], (text for _id, _name, text in group))
    finally:
        concerns.close()


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


def _export_rows(shown: QuerySet, width: int, day: dt.date) -> Iterator[list]:
    items = (
        ScheduleItem.objects.filter(pk__in=shown)
        .order_by(*ITEM_ORDER)
        .values_list(*ITEM_ORDER, "category__name", "name", "status__name", "included_in__name")
        .iterator(chunk_size=CHUNK_SIZE)
    )
    lines = None
    try:
        for category_order, order, pk, category, name, status, included_in in items:
            if lines is None:  # the budget lines' query starts with the first item
                lines = Parts.of_items(
                    BudgetLine.objects.filter(item__in=shown), ("order", "id"), "amount"
                )
            amounts = lines.of((category_order, order, pk))
            if len(amounts) > width:  # a budget line was added since the header was made
                raise ScheduleChanged(name)
            yield row(
                id=pk,
                category=category,
                name=name,
                status=status,
                budget_lines=[amount for (amount,) in amounts],
                included_in=included_in,
                width=width,
                day=day,
            )
    finally:
        items.close()
        if lines is not None:
            lines.close()
