"""The seat plan's sheets in the meeting workbook: the printed table (form) and its data sheet."""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from core.formsheet import row_height
from core.japanese import fiscal_year_label, number
from core.organisation import brand
from core.spreadsheets import form_cell, set_widths, setup_page, write_cell
from reports.workbook import Sheet, WorkbookContext

from . import datasheet, selectors

HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
SHORT_FILL = PatternFill("solid", fgColor="FCE4D6")  # a floor or building short of seats
FLAG_FILL = PatternFill("solid", fgColor="FFF2CC")  # printed 過不足 disagrees
COUNT_FORMAT = '#,##0;"△"#,##0;0'
WIDTHS = (12, 38, 9, 9, 9, 9, 9, 9, 9, 30)
SECTION_WIDTH = WIDTHS[1]
NOTE_WIDTH = WIDTHS[-1]


def _counts(row) -> list[int]:
    return [
        row.staff_current,
        row.parttime_current,
        row.staff_planned,
        row.parttime_planned,
        row.seats_secured,
        row.seats_needed,
    ]


def flag_note(row: selectors.PlanRow) -> str:
    return _("印刷値%(printed)s、計算値（確保席数－必要数）%(computed)s") % {
        "printed": number(row.printed_balance),
        "computed": number(row.balance),
    }


class LayoutFormSheet(Sheet):
    """座席計画 as printed: A4 landscape, floor subtotals, building totals, flags marked."""

    key = "layout_form"
    title = "座席計画"
    order = 60
    permission = "layout.view_seatplan"

    def write(self, ws, context: WorkbookContext) -> None:
        as_of = context.as_of
        scope = selectors.default_scope(as_of)
        title = _("組織改革を反映したレイアウト（%(year)s、%(date)s時点）") % {
            "year": fiscal_year_label(scope.fiscal_year) if scope.fiscal_year else "",
            "date": as_of.label,
        }
        form_cell(ws, "A1:J1", title, bold=True, size=14, border=False, wrap=False)
        set_widths(ws, WIDTHS)
        setup_page(ws, landscape=True, title_rows="2:2")
        if scope.fiscal_year is None:
            write_cell(ws, 3, 1, _("座席計画は登録されていません。"))
            return
        table = selectors.layout_table(as_of, scope)
        for column, text in enumerate([*table.headers, _("確認")], start=1):
            cell = form_cell(
                ws, ws.cell(2, column).coordinate, text, bold=True, horizontal="center"
            )
            cell.fill = HEADER_FILL
        # What 過不足 and 確認 mean, where a reader looks for it and the printed page does not
        # show it (the paper has no footnote): a comment on each header.
        ws["I2"].comment = Comment(_("確保席数－必要数（△は不足）。印刷値がある行は印刷値。"), "")
        ws["J2"].comment = Comment(
            _("印刷された過不足が計算（確保席数－必要数）と違う行に、両方を示します。"), brand()
        )
        row = 3
        for building in table.buildings:
            for floor in building.floors:
                for plan in floor.rows:
                    self._row(
                        ws,
                        row,
                        plan.floor,
                        plan.section,
                        _counts(plan),
                        datasheet.shown_balance(plan),
                    )
                    if plan.mismatch:
                        for column in ("I", "J"):
                            ws[f"{column}{row}"].fill = FLAG_FILL
                        note = flag_note(plan)
                        form_cell(ws, f"J{row}", note, size=9)
                        ws.row_dimensions[row].height = row_height(
                            note, NOTE_WIDTH, minimum=18, size=9
                        )
                    row += 1
                total = floor.total
                self._row(ws, row, total.label, _("計"), _counts(total), total.balance, total=True)
                row += 1
            total = building.total
            self._row(ws, row, total.label, _("建物計"), _counts(total), total.balance, total=True)
            row += 1
        grand = table.grand
        self._row(ws, row, _("合計"), None, _counts(grand), grand.balance, total=True)
        last = row
        if table.cut:
            # Only a plan longer than a printed page is cut; the paper never is, so this is
            # the one line under the table, and only then.
            last = row + 1
            note = _(
                "全%(count)s行のうち先頭の%(shown)s行を載せています（計はすべての行の合計）。"
            ) % {"count": number(table.count), "shown": number(table.shown)}
            form_cell(ws, f"A{last}:J{last}", note, border=False, size=9, wrap=False)
        ws.freeze_panes = "C3"
        ws.print_area = f"A1:J{last}"

    @staticmethod
    def _row(ws, row, floor, section, counts, balance, *, total=False):
        form_cell(ws, f"A{row}", floor, bold=total)
        form_cell(ws, f"B{row}", section, bold=total)
        for offset, value in enumerate([*counts, balance]):
            form_cell(
                ws,
                ws.cell(row, 3 + offset).coordinate,
                value,
                horizontal="right",
                bold=total,
                number_format=COUNT_FORMAT,
            )
        if not ws[f"J{row}"].value:
            form_cell(ws, f"J{row}", None)
        if total:
            for column in "ABCDEFGHJ":
                ws[f"{column}{row}"].fill = TOTAL_FILL
            ws[f"I{row}"].fill = SHORT_FILL if balance < 0 else TOTAL_FILL
        ws.row_dimensions[row].height = max(
            ws.row_dimensions[row].height or 0,
            row_height(str(section or ""), SECTION_WIDTH, minimum=18),
        )


class LayoutDataSheet(Sheet):
    """座席計画(データ): the same rows as a machine-readable table (what the import reads)."""

    key = "layout_data"
    title = datasheet.SHEET_TITLE
    order = 61
    permission = "layout.view_seatplan"

    def write(self, ws, context: WorkbookContext) -> None:
        scope = selectors.default_scope(context.as_of)
        if scope.fiscal_year is None:
            write_cell(ws, 1, 1, _("座席計画は登録されていません。"))
            return
        datasheet.write(ws, scope.fiscal_year, selectors.iter_rows(context.as_of, scope))
        setup_page(ws, landscape=True, title_rows="1:1")
