"""Writing user data to CSV and .xlsx safely: no formula from user text, Japanese file names."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NUMBER_FORMAT = '#,##0;"△"#,##0;0'
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def csv_safe(value: object) -> object:
    """CSV has no cell types: prefix formula-like text with ' so spreadsheets show it as text."""
    return "'" + value if is_formula_like(value) else value


def write_cell(ws, row: int, column: int, value: object, number_format: str | None = None):
    """Write one cell; text is always stored as text, never as a formula."""
    cell = ws.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    elif isinstance(value, dt.date):
        cell.number_format = number_format or DATE_FORMAT
    elif isinstance(value, int | float) and not isinstance(value, bool):
        cell.number_format = number_format or NUMBER_FORMAT
    return cell


def content_disposition(filename: str) -> str:
    """attachment; with an ASCII fallback and the UTF-8 name per RFC 5987/6266."""
    fallback = filename.encode("ascii", "ignore").decode() or "download"
    if "." in filename and not fallback.endswith(filename.rsplit(".", 1)[1]):
        fallback = "download." + filename.rsplit(".", 1)[1]
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """UTF-8 with BOM: what Excel in Japan opens without mojibake."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_safe(value) for value in row])
    response = HttpResponse(
        buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition(filename)
    return response


def data_sheet(ws, header: Sequence[str], rows: Iterable[Sequence], widths: Sequence[int] = ()):
    """A machine-readable table: one header row, one value per cell, no merged cells."""
    for column, title in enumerate(header, start=1):
        write_cell(ws, 1, column, title).font = Font(bold=True)
    for row_index, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            cell = write_cell(ws, row_index, column, value)
            if isinstance(value, str) and "\n" in value:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = "A2"
    return ws


def xlsx_response(workbook: Workbook, filename: str) -> HttpResponse:
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return response


# --- Forms: sheets that print like the paper (A4, borders, merged cells) -------------------

THIN = Side(style="thin", color="000000")
MEDIUM = Side(style="medium", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FORM_FONT = "ＭＳ 明朝"
DATE_FORMAT = "yyyy-mm-dd"


def setup_page(ws, *, landscape: bool = False, title_rows: str | None = None) -> None:
    """A4, fitted to the page width (any number of pages down), centred horizontally."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_margins.top = ws.page_margins.bottom = 0.7
    if title_rows:
        ws.print_title_rows = title_rows


def set_widths(ws, widths: Sequence[float]) -> None:
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width


def form_cell(
    ws,
    cell_range: str,
    value: object = None,
    *,
    bold: bool = False,
    size: int = 11,
    horizontal: str = "left",
    vertical: str = "center",
    border: bool = True,
    wrap: bool = True,
    number_format: str | None = None,
):
    """Write a (possibly merged) form cell: text stays text, every edge gets its border."""
    first = cell_range.split(":")[0]
    if ":" in cell_range:
        ws.merge_cells(cell_range)
    cell = ws[first]
    column, row = cell.column, cell.row
    write_cell(ws, row, column, value, number_format)
    cell.font = Font(name=FORM_FONT, bold=bold, size=size)
    cell.alignment = Alignment(horizontal=horizontal, vertical=vertical, wrap_text=wrap)
    if border:
        for row_cells in ws[cell_range] if ":" in cell_range else ((cell,),):
            for part in row_cells:
                part.border = BOX
    return cell
