"""Form-sheet sizing: row heights from the text, merged ranges, bullets, outlines."""

from openpyxl import Workbook

from core.formsheet import (
    bullets,
    column_range,
    display_width,
    height_of_lines,
    line_count,
    outline,
    row_height,
)
from core.spreadsheets import MEDIUM


def test_kanji_and_full_width_signs_take_two_units_ascii_one():
    assert display_width("西予市") == 6
    assert display_width("DX") == 2
    assert display_width("（R04）") == 2 + 3 + 2


def test_text_wraps_to_the_lines_the_cell_width_allows():
    # 20 units wide, 18 usable: nine kanji a line.
    assert line_count("あ" * 9, 20) == 1
    assert line_count("あ" * 10, 20) == 2
    assert line_count("一行目\n二行目", 20) == 2
    assert line_count("", 20) == 1  # an empty cell still takes a line
    assert line_count("\n\n", 20) == 3  # blank lines count


def test_row_height_grows_with_lines_and_keeps_its_minimum():
    assert height_of_lines(1) == 22.5  # 16.5 points a line + 6 of padding
    assert row_height("あ" * 10, 20) == height_of_lines(2) == 39.0
    assert row_height("短い", 20, minimum=30) == 30
    assert row_height("x", 20, size=22) == round(2 * 16.5 + 6, 1)  # twice the font, twice the line


def test_bullets_put_one_point_on_each_line():
    assert bullets(["申請書の統合", "窓口の一本化"]) == "・申請書の統合\n・窓口の一本化"
    assert bullets([]) == ""


def test_a_column_range_is_merged_only_over_more_than_one_row():
    assert column_range("B", 3, 4) == "B3:B4"
    assert column_range("B", 3, 3) == "B3"


def test_outline_draws_the_outer_edges_and_keeps_the_inner_ones():
    ws = Workbook().active
    outline(ws, "B2:C3", MEDIUM)
    assert ws["B2"].border.left.style == "medium" and ws["B2"].border.top.style == "medium"
    assert ws["C3"].border.right.style == "medium" and ws["C3"].border.bottom.style == "medium"
    assert ws["B2"].border.right.style is None  # inside the block: untouched
    assert ws["A1"].border.left.style is None  # outside the block: untouched


def test_a_listed_form_fits_each_row_prints_dates_in_the_era_and_says_when_empty():
    import datetime as dt

    from core.formsheet import ListedForm, row_height
    from core.spreadsheets import ERA_DATE_FORMAT

    ws = Workbook().active
    form = ListedForm(ws, "見出し", ["日付", "内容"], (14, 20))
    form.add([dt.date(2022, 11, 1), "長い内容" * 10])
    form.finish(empty="ありません")

    assert ws["A1"].value == "見出し" and [ws["A2"].value, ws["B2"].value] == ["日付", "内容"]
    assert ws["A3"].value == dt.date(2022, 11, 1) and ws["A3"].number_format == ERA_DATE_FORMAT
    assert ws.row_dimensions[3].height == row_height("長い内容" * 10, 19)
    assert ws["A4"].value is None  # rows were listed: no empty line
    assert ws.print_area.endswith("$A$1:$B$3")
    assert ws.print_title_rows == "$2:$2"

    empty = Workbook().active
    form = ListedForm(empty, "見出し", ["日付", "内容"], (14, 20))
    form.finish(empty="ありません")
    assert empty["A3"].value == "ありません" and empty.print_area.endswith("$A$1:$B$3")
