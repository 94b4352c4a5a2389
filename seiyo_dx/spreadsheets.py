"""Writing user data to CSV and .xlsx safely: no formula from user text, Japanese file names."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
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
