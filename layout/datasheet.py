"""The seat plan as a data sheet in the city's layout: the printed columns, one row per section.

The same columns are downloaded (CSV, .xlsx), written into the workbook and read back by the
import (``imports.py``), except that the plan's year is named as data sheets name years
(2023年度（令和5年度）職員数, where the paper prints R5職員数): 階数 and フロア as printed, 過不足 as printed (△ for negatives; the
computed value where nothing was printed), then two columns the import reads for reference
only: 過不足（計算） and 必要数－人数.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _

from core.japanese import fiscal_year_heading
from core.spreadsheets import data_sheet

from .selectors import PlanRow, column_headers

SHEET_TITLE = "座席計画(データ)"
COMPUTED = "過不足（計算）"
OVER_HEADCOUNT = "必要数－人数"
WIDTHS = (12, 40, 10, 10, 10, 10, 10, 10, 10, 12, 12)


def header(fiscal_year: int) -> list[str]:
    """The data sheet's and the CSV's header: the plan's columns named 2023年度（令和5年度）職員数."""
    return [
        *column_headers(fiscal_year, year_label=fiscal_year_heading),
        _(COMPUTED),
        _(OVER_HEADCOUNT),
    ]


def shown_balance(row: PlanRow) -> int:
    """過不足 as the table prints it: the printed figure where there is one."""
    return row.balance if row.printed_balance is None else row.printed_balance


def row_values(row: PlanRow) -> list:
    return [
        row.floor,
        row.section,
        row.staff_current,
        row.parttime_current,
        row.staff_planned,
        row.parttime_planned,
        row.seats_secured,
        row.seats_needed,
        shown_balance(row),
        row.balance,
        row.needed_over_headcount,
    ]


def body(rows: Iterable[PlanRow]) -> Iterator[list]:
    for row in rows:
        yield row_values(row)


def write(ws, fiscal_year: int, rows: Iterable[PlanRow]) -> None:
    data_sheet(ws, header(fiscal_year), body(rows), WIDTHS)
