"""The schedule's sheets in the meeting workbook: the printed form and its data sheet."""

from django.utils.translation import gettext as _
from openpyxl.styles import PatternFill

from core.formsheet import (
    bullets,
    column_range,
    fitting_width,
    height_of_lines,
    line_count,
)
from core.japanese import fiscal_year_label, wareki
from core.spreadsheets import form_cell, set_widths, setup_page
from reports.changes import comparison
from reports.workbook import Sheet, WorkbookContext

from . import datasheet
from .changes import ScheduleChanges
from .models import budget_cell
from .selectors import ItemSnapshot, schedule_snapshot

BUDGET_FORMAT = "#,##0"
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")


PLAN_WIDTH = 30  # column width of the plan and concern columns
CATEGORY_WIDTH = 12  # at least; wider when a category's name needs it
BUDGET_WIDTH = 11


def budget_cells(item: ItemSnapshot) -> list:
    """What the budget column shows, one value per sheet row: numbers, or one text."""
    return budget_cell(item.budget_lines, item.included_in)


def schedule_title(context: WorkbookContext) -> str:
    """The form's title says from data what the papers wrote by hand: unchanged since the
    previous meeting's papers, or changed in n places (the rows of the changes sheet).

    The previous meeting comes from the registry (``reports.changes``): the schedule does not
    know the meetings. Without a meeting to compare with (or the right to see meetings), the
    title says the date the schedule is shown as of.
    """
    found = comparison(context.as_of, context.user, limit=None)
    if found.baseline is None:
        return _("全体のスケジュール（%(date)s時点）") % {"date": context.as_of.label}
    count = sum(
        len(change.fields) or 1
        for area in found.areas
        if area.source.key == ScheduleChanges.key
        for group in area.groups
        for change in group.changes
    )
    meeting = wareki(found.baseline.day)
    if not count:
        return _("全体のスケジュール（%(meeting)sの会議資料より変更なし）") % {"meeting": meeting}
    return _("全体のスケジュール（%(meeting)sの会議資料から変更あり：%(count)d件）") % {
        "meeting": meeting,
        "count": count,
    }


class ScheduleFormSheet(Sheet):
    """全体のスケジュール as printed: A4 landscape, grouped by category, the 計 row computed."""

    key = "schedule_form"
    title = "全体のスケジュール"
    order = 30
    permission = "projects.view_scheduleitem"

    def write(self, ws, context: WorkbookContext) -> None:
        snapshot = schedule_snapshot(context.as_of)
        years = snapshot.years
        last_column = 5 + len(years)
        header = [
            "",
            _("項目"),
            _("予算額"),
            _("状況"),
            *map(fiscal_year_label, years),
            _("懸案など"),
        ]

        title = schedule_title(context)
        end = ws.cell(1, last_column).column_letter
        form_cell(ws, f"A1:{end}1", title, bold=True, size=14, border=False, wrap=False)
        for column, text in enumerate(header, start=1):
            cell = form_cell(
                ws, ws.cell(2, column).coordinate, text, bold=True, horizontal="center"
            )
            cell.fill = HEADER_FILL

        row = 3
        groups: dict[str, list[ItemSnapshot]] = {}
        for item in snapshot.items:
            groups.setdefault(item.category, []).append(item)
        for category, items in groups.items():
            first = row
            for item in items:
                row = self._write_item(ws, row, item, years, end)
            form_cell(ws, column_range("A", first, row - 1), category, horizontal="center")

        form_cell(ws, f"B{row}", _("計"), bold=True, horizontal="center")
        form_cell(
            ws,
            f"C{row}",
            snapshot.budget_total.value,
            bold=True,
            horizontal="right",
            number_format=BUDGET_FORMAT,
        )
        for column in range(4, last_column + 1):
            form_cell(ws, ws.cell(row, column).coordinate, None)
        form_cell(ws, f"A{row}", None)
        # No footnote: the paper has none (the title says as of when; the data sheet gives the unit).

        category_width = fitting_width(groups, CATEGORY_WIDTH)
        budget_width = fitting_width(
            [
                text
                for item in snapshot.items
                for text in budget_cells(item)
                if isinstance(text, str)
            ],
            BUDGET_WIDTH,
        )
        set_widths(ws, [category_width, 26, budget_width, 10, *([PLAN_WIDTH] * (len(years) + 1))])
        setup_page(ws, landscape=True, title_rows="2:2")
        ws.freeze_panes = "C3"
        ws.print_area = f"A1:{end}{row}"

    @staticmethod
    def _write_item(ws, row: int, item: ItemSnapshot, years: list[int], end: str) -> int:
        """One item: one sheet row per budget amount, the other columns merged over them."""
        budgets = budget_cells(item)
        last = row + len(budgets) - 1
        form_cell(ws, column_range("B", row, last), item.name, vertical="top")
        for offset, value in enumerate(budgets):
            form_cell(
                ws,
                f"C{row + offset}",
                value,
                horizontal="right",
                vertical="top",
                number_format=BUDGET_FORMAT,
            )
        form_cell(
            ws, column_range("D", row, last), item.status, vertical="top", horizontal="center"
        )
        for index, year in enumerate(years):
            column = ws.cell(row, 5 + index).column_letter
            form_cell(
                ws,
                column_range(column, row, last),
                bullets(item.plans.get(year, [])),
                vertical="top",
            )
        form_cell(ws, column_range(end, row, last), bullets(item.concerns), vertical="top")
        texts = [bullets(item.concerns), *(bullets(item.plans.get(y, [])) for y in years)]
        lines = max(line_count(text, PLAN_WIDTH) for text in texts)
        # The item's rows share its height (one row per budget amount).
        for r in range(row, last + 1):
            ws.row_dimensions[r].height = max(18, height_of_lines(lines) / len(budgets))
        return last + 1


class ScheduleDataSheet(Sheet):
    """全体のスケジュール(データ): the same schedule as a machine-readable table."""

    key = "schedule_data"
    title = datasheet.SHEET_TITLE
    order = 31
    permission = "projects.view_scheduleitem"

    def write(self, ws, context: WorkbookContext) -> None:
        datasheet.write(ws, schedule_snapshot(context.as_of))
        setup_page(ws, landscape=True, title_rows="1:1")


class SchedulePlansDataSheet(Sheet):
    """全体のスケジュール_計画(データ): each item's plan, one line per row (a long table)."""

    key = "schedule_plans_data"
    title = datasheet.PLANS_TITLE
    order = 32
    permission = "projects.view_scheduleitem"

    def write(self, ws, context: WorkbookContext) -> None:
        snapshot = schedule_snapshot(context.as_of)
        datasheet.write_table(ws, datasheet.PLAN_HEADER, datasheet.snapshot_plan_rows(snapshot))
        setup_page(ws, title_rows="1:1")


class ScheduleConcernsDataSheet(Sheet):
    """全体のスケジュール_懸案(データ): each item's concerns, one per row (a long table)."""

    key = "schedule_concerns_data"
    title = datasheet.CONCERNS_TITLE
    order = 33
    permission = "projects.view_scheduleitem"

    def write(self, ws, context: WorkbookContext) -> None:
        snapshot = schedule_snapshot(context.as_of)
        datasheet.write_table(
            ws, datasheet.CONCERN_HEADER, datasheet.snapshot_concern_rows(snapshot)
        )
        setup_page(ws, title_rows="1:1")
