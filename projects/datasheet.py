"""全体のスケジュール(データ): the schedule as a machine-readable table.

Follows the Ministry of Internal Affairs' rules for machine-readable tables: one header row,
one value per cell, numbers as numbers, no merged cells, dates with the Western year. The same
columns serve the page's CSV/.xlsx export, the workbook's data sheet and the Excel import
(``projects/imports.py``), so a downloaded sheet can be edited and uploaded again.
"""

from __future__ import annotations

from core.japanese import fiscal_year_label
from core.spreadsheets import data_sheet

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


def header(snapshot: ScheduleSnapshot, items: list[ItemSnapshot] | None = None) -> list[str]:
    items = snapshot.items if items is None else items
    budgets = [budget_column(n) for n in range(1, budget_column_count(items) + 1)]
    plans = [plan_column(year) for year in snapshot.years]
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


def rows(snapshot: ScheduleSnapshot, items: list[ItemSnapshot] | None = None) -> list[list]:
    """One row per item; multi-line plans and concerns are one text value each (one per line)."""
    items = snapshot.items if items is None else items
    width = budget_column_count(items)
    table = []
    for item in items:
        budgets = item.budget_lines + [None] * (width - len(item.budget_lines))
        plans = ["\n".join(item.plans.get(year, [])) or None for year in snapshot.years]
        table.append(
            [
                item.id,
                item.category,
                item.name,
                item.status,
                item.budget_total,
                *budgets,
                item.included_in,
                *plans,
                "\n".join(item.concerns) or None,
                snapshot.as_of.day,
            ]
        )
    return table


SHEET_TITLE = "全体のスケジュール(データ)"


def write(ws, snapshot: ScheduleSnapshot, items: list[ItemSnapshot] | None = None) -> None:
    columns = header(snapshot, items)
    ws.title = SHEET_TITLE
    widths = {ID: 8, CATEGORY: 18, NAME: 30, STATUS: 12, INCLUDED_IN: 18, CONCERNS: 34, AS_OF: 12}
    data_sheet(
        ws,
        columns,
        rows(snapshot, items),
        [widths.get(c, 30 if "計画" in c else 14) for c in columns],
    )
