"""Sizing and shaping of form sheets: sheets laid out like the city's printed papers.

Excel does not grow a row to fit wrapped text in merged cells, so a form sets each row's
height from the text it holds; these helpers compute it the same way for every area's form.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections.abc import Sequence

from openpyxl.styles import Border
from openpyxl.utils import get_column_letter, range_boundaries

from .japanese import wareki
from .spreadsheets import THIN, form_cell, form_date, set_widths, setup_page

FONT_SIZE = 11
LINE_HEIGHT = 16.5  # points per line of 11pt Mincho
PADDING = 6.0  # points above and below the text in a row
BULLET = "・"


def display_width(text: str) -> int:
    """Width in half-width characters: kanji, kana and full-width signs count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text)


CELL_MARGIN = 3  # a cell's inner margins and the font's slack, in width units


def fitting_width(texts, minimum: float) -> float:
    """A column width that prints each of ``texts`` on one line: never broken mid-word
    (窓口フロントス／タッフ, オンライン窓／口を含む, 番号ポータビリテ／ィ)."""
    return max([minimum, *(display_width(str(t)) + CELL_MARGIN for t in texts)])


def line_count(text: str, width: float) -> int:
    """How many lines ``text`` wraps to in a cell ``width`` units wide (at least one)."""
    usable = max(width - 2, 1)  # the cell's inner margins
    return max(
        1,
        sum(max(1, math.ceil(display_width(line) / usable)) for line in text.split("\n")),
    )


def height_of_lines(lines: int, *, size: int = FONT_SIZE) -> float:
    """The height (points) of a row that shows ``lines`` lines of text."""
    return round(lines * LINE_HEIGHT * size / FONT_SIZE + PADDING, 1)


def row_height(text: str, width: float, *, minimum: float = 0, size: int = FONT_SIZE) -> float:
    """A row height (points) that shows all of ``text`` wrapped in a cell ``width`` wide."""
    return max(minimum, height_of_lines(line_count(text, width), size=size))


def bullets(lines: Sequence[str]) -> str:
    """One bullet point per line, as the papers print plans and concerns (・…)."""
    return "\n".join(f"{BULLET}{line}" for line in lines)


def column_range(column: str, first: int, last: int) -> str:
    """A column's cells over rows first..last: a range to merge ("B3:B4"), or one cell."""
    return f"{column}{first}:{column}{last}" if last > first else f"{column}{first}"


def outline(ws, cell_range: str, side=THIN) -> None:
    """Draw the outer edges of a block, keeping the edges its cells already have inside."""
    min_col, min_row, max_col, max_row = range_boundaries(cell_range)
    for row in range(min_row, max_row + 1):
        for column in range(min_col, max_col + 1):
            cell = ws.cell(row=row, column=column)
            edge = cell.border
            cell.border = Border(
                left=side if column == min_col else edge.left,
                right=side if column == max_col else edge.right,
                top=side if row == min_row else edge.top,
                bottom=side if row == max_row else edge.bottom,
            )


class ListedForm:
    """A form that lists rows under a heading (前回までの指示事項の対応状況, 前回の会議からの変更):
    A4 landscape, the heading on row 1, the column titles on row 2 (repeated on every printed
    page), one row per entry fitted to its text, a centred line when there is nothing to list.

    Each row is as tall as its longest wrapped cell.
    """

    def __init__(self, ws, heading: str, header: Sequence[str], widths: Sequence[float]):
        self.ws, self.widths = ws, list(widths)
        self.end = get_column_letter(len(self.widths))
        form_cell(ws, f"A1:{self.end}1", heading, bold=True, size=14, border=False, wrap=False)
        for column, text in enumerate(header, start=1):
            form_cell(ws, f"{get_column_letter(column)}2", text, bold=True, horizontal="center")
        self.row = 3

    def add(self, values: Sequence) -> None:
        """One row from column A; a date is a date cell printed in the era (令和4年11月1日)."""
        texts = []
        for column, value in enumerate(values, start=1):
            cell = f"{get_column_letter(column)}{self.row}"
            if isinstance(value, dt.date):
                form_date(self.ws, cell, value, vertical="top")
                texts.append(wareki(value))
            else:
                form_cell(self.ws, cell, value, vertical="top")
                texts.append(str(value or ""))
        self.ws.row_dimensions[self.row].height = max(
            row_height(text, width - 1) for text, width in zip(texts, self.widths, strict=True)
        )
        self.row += 1

    def finish(self, empty: str | None = None) -> None:
        """Page set-up and print area; ``empty`` is printed when no row was added."""
        if empty and self.row == 3:
            form_cell(self.ws, f"A3:{self.end}3", empty, horizontal="center")
            self.row = 4
        set_widths(self.ws, self.widths)
        setup_page(self.ws, landscape=True, title_rows="2:2")
        self.ws.print_area = f"A1:{self.end}{max(self.row - 1, 2)}"
