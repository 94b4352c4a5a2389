"""Writing user data to CSV and .xlsx safely: no formula from user text, Japanese file names.

Styles are made once and shared: a font, alignment or border is an object openpyxl hashes and
looks up on every assignment, so building one per cell is what made large sheets slow. Data
sheets use the module's shared objects; form cells use one named style per combination of
parameters, registered once per workbook (``cell.style = name`` copies its ids).
Exports of many rows stream: CSV as a ``StreamingHttpResponse``, .xlsx written in openpyxl's
write-only mode into a temporary file that is then served in blocks.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import MergedCell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.merge import MergedCellRange

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NUMBER_FORMAT = '#,##0;"△"#,##0;0'
DATE_FORMAT = "yyyy-mm-dd"
# A date cell that prints in the era as the forms do (令和4年11月1日). Excel's
# [$-ja-JP-x-gannen] code shows a serial number in LibreOffice; the locale code 411 with the era
# codes prints 令和4年11月1日 in both (the first year of an era as 1年, not 元年).
ERA_DATE_FORMAT = '[$-411]ggge"年"m"月"d"日"'
PLAIN_INTEGER_FORMAT = "0"  # identifiers and years: no thousands separator, no △
PERCENT_FORMAT = "0.0%"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CHUNK_CHARS = 4_096  # characters of CSV per streamed chunk

# Shared by every data sheet: created once, never per cell.
HEADER_FONT = Font(bold=True)
WRAPPED = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class Formatted:
    """A data-sheet value with its own number format (an ID as 13, not 13 with a separator)."""

    value: object
    number_format: str


def xlsx_text(value: object) -> object:
    """Text an .xlsx can hold: a control character already stored (from before it was refused)
    shows as U+FFFD instead of making the whole file unwritable."""
    if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    return value


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def csv_safe(value: object) -> object:
    """CSV has no cell types: prefix formula-like text with ' so spreadsheets show it as text;
    a ``Formatted`` value is written as its value (CSV has no number formats either)."""
    if isinstance(value, Formatted):
        value = value.value
    return "'" + value if is_formula_like(value) else value


def _typed(cell, value: object, number_format: str | None = None):
    """Text stays text (never a formula); numbers and dates get their format."""
    if isinstance(value, str):
        cell.data_type = "s"
    elif isinstance(value, dt.date):
        cell.number_format = number_format or DATE_FORMAT
    elif isinstance(value, int | float) and not isinstance(value, bool):
        cell.number_format = number_format or NUMBER_FORMAT
    return cell


def write_cell(ws, row: int, column: int, value: object, number_format: str | None = None):
    """Write one cell; text is always stored as text, never as a formula."""
    cell = ws.cell(row=row, column=column)
    value = xlsx_text(value)
    cell.value = value
    return _typed(cell, value, number_format)


def data_cell(ws, value: object):
    """A value for ``ws.append`` (write-only or normal sheets), typed, with shared styles.

    Plain text and empty cells go as they are (openpyxl stores them as text); numbers, dates,
    multi-line and formula-like text become detached cells: appending a cell costs openpyxl
    far more than appending a value, so only the cells that need a format or a type get one.
    """
    number_format = None
    if isinstance(value, Formatted):
        value, number_format = value.value, value.number_format
        if value is None:
            return None
    value = xlsx_text(value)
    if number_format is None and (
        value is None
        or (isinstance(value, str) and "\n" not in value and not value.startswith("="))
    ):
        return value
    cell = _typed(WriteOnlyCell(ws, value), value, number_format)
    if isinstance(value, str) and "\n" in value:
        cell.alignment = WRAPPED
    return cell


def content_disposition(filename: str) -> str:
    """attachment; with an ASCII fallback and the UTF-8 name per RFC 5987/6266."""
    fallback = filename.encode("ascii", "ignore").decode()
    if not fallback or fallback.startswith("."):  # "全体.csv" would fall back to ".csv"
        fallback = "download" + fallback
    if "." in filename and not fallback.endswith(filename.rsplit(".", 1)[1]):
        fallback = "download." + filename.rsplit(".", 1)[1]
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


class _Line:
    """A file for ``csv.writer`` that hands each written line back instead of keeping it."""

    def write(self, line: str) -> str:
        return line


def csv_chunks(
    header: Sequence[str], rows: Iterable[Sequence], chunk_chars: int | None = None
) -> Iterator[bytes]:
    """UTF-8 with BOM first, CRLF, formula-like text prefixed with ', about 4 KB a chunk."""
    chunk_chars = chunk_chars or CSV_CHUNK_CHARS
    writer = csv.writer(_Line(), lineterminator="\r\n")
    yield writer.writerow(header).encode("utf-8-sig")
    lines, size = [], 0
    for row in rows:
        line = writer.writerow([csv_safe(value) for value in row])
        lines.append(line)
        size += len(line)
        if size >= chunk_chars:
            yield "".join(lines).encode("utf-8")
            lines, size = [], 0
    if lines:
        yield "".join(lines).encode("utf-8")


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence]
) -> StreamingHttpResponse:
    """UTF-8 with BOM: what Excel in Japan opens without mojibake; streamed as rows come."""
    response = StreamingHttpResponse(
        csv_chunks(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition(filename)
    return response


def data_sheet(ws, header: Sequence[str], rows: Iterable[Sequence], widths: Sequence[int] = ()):
    """A machine-readable table: one header row, one value per cell, no merged cells.

    Works on an empty normal worksheet and on a write-only one (widths and the frozen header
    are set before the first row, as write-only mode needs). Rows may be any iterable.
    """
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = "A2"
    header_cells = []
    for title in header:
        cell = _typed(WriteOnlyCell(ws, title), title)
        cell.font = HEADER_FONT
        header_cells.append(cell)
    ws.append(header_cells)
    for row in rows:
        ws.append([data_cell(ws, value) for value in row])
    return ws


def xlsx_response(workbook: Workbook, filename: str) -> HttpResponse:
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return response


def xlsx_file_response(workbook: Workbook, filename: str) -> FileResponse:
    """Save into a temporary file and serve it in blocks (for large, write-only workbooks)."""
    file = tempfile.TemporaryFile()
    try:
        workbook.save(file)
        file.seek(0)
    except BaseException:
        file.close()
        raise
    response = FileResponse(file, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return response


# --- Forms: sheets that print like the paper (A4, borders, merged cells) -------------------

THIN = Side(style="thin", color="000000")
MEDIUM = Side(style="medium", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FORM_FONT = "ＭＳ 明朝"


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


@functools.cache
def form_font(*, bold: bool = False, size: int = 11) -> Font:
    """The form's Mincho font, one object per (bold, size)."""
    return Font(name=FORM_FONT, bold=bold, size=size)


@functools.cache
def form_alignment(*, horizontal: str, vertical: str, wrap: bool) -> Alignment:
    return Alignment(horizontal=horizontal, vertical=vertical, wrap_text=wrap)


NO_BORDER = Border()


def form_style(
    workbook: Workbook,
    *,
    bold: bool = False,
    size: int = 11,
    horizontal: str = "left",
    vertical: str = "center",
    border: bool = True,
    wrap: bool = True,
) -> str:
    """The name of the form's named style for these parameters, registered once per workbook."""
    name = (
        f"帳票 {size}pt{' 太字' if bold else ''} {horizontal} {vertical}"
        f"{' 折返し' if wrap else ''}{' 罫線' if border else ''}"
    )
    if name not in workbook.named_styles:
        workbook.add_named_style(
            NamedStyle(
                name=name,
                font=form_font(bold=bold, size=size),
                alignment=form_alignment(horizontal=horizontal, vertical=vertical, wrap=wrap),
                border=BOX if border else NO_BORDER,
            )
        )
    return name


def merge(ws, cell_range: str) -> MergedCellRange:
    """``ws.merge_cells`` for form cells, without what makes a long form slow.

    openpyxl checks a new range against every merged range (quadratic: 6,000 merged ranges
    took 40 s) and then copies the top-left cell's borders and protection to every cell of
    the range (a new Border per edge cell). Forms never merge a range twice, and
    ``form_cell`` gives every cell of a bordered range its style itself; so the range is
    registered and its other cells become merged cells, as openpyxl does, and nothing more.
    """
    merged = MergedCellRange(ws, cell_range)
    ws.merged_cells.ranges.add(merged)
    cells = merged.cells
    next(cells)  # the top-left cell keeps the value
    for row, column in cells:
        ws._cells[row, column] = MergedCell(ws, row=row, column=column)
    return merged


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
    """Write a (possibly merged) form cell: text stays text, every edge gets its border.

    The font, alignment and border come from one named style per combination of parameters
    (``form_style``), so a long form does not build and look up new style objects per cell.
    """
    style = form_style(
        ws.parent,
        bold=bold,
        size=size,
        horizontal=horizontal,
        vertical=vertical,
        border=border,
        wrap=wrap,
    )
    if ":" not in cell_range:
        cell = ws[cell_range]
        cell.style = style
        return write_cell(ws, cell.row, cell.column, value, number_format)
    merged = merge(ws, cell_range)
    cell = ws.cell(row=merged.min_row, column=merged.min_col)
    cell.style = style
    write_cell(ws, cell.row, cell.column, value, number_format)
    if border:
        cells = merged.cells
        next(cells)
        for row, column in cells:
            ws.cell(row=row, column=column).style = style
    return cell


def form_date(ws, cell_range: str, day: dt.date | None, **options):
    """A form's date: a date cell printed in the era (令和4年11月1日), not text; no date: empty.

    The cell holds the date, so a reader sorts, compares and recalculates with it; the era
    is its number format (``ERA_DATE_FORMAT``), which Excel and LibreOffice both print.
    """
    return form_cell(ws, cell_range, day, number_format=ERA_DATE_FORMAT, **options)
