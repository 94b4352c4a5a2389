"""core.spreadsheets: typed cells, shared styles, streamed CSV and write-only data sheets."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font

from core import spreadsheets
from core.spreadsheets import (
    BOX,
    FORM_FONT,
    csv_chunks,
    csv_response,
    data_sheet,
    form_cell,
    xlsx_file_response,
)

ROWS = [
    [1, "=1+1", 8800, dt.date(2022, 11, 1), "一行目\n二行目", None],
    [2, "+81", -5, dt.date(2023, 4, 1), "髙﨑①", 1.5],
]


@pytest.fixture
def constructed(monkeypatch):
    """Counts the Font, Alignment and Border objects built while it is in use."""
    counts = {Font: 0, Alignment: 0, Border: 0}
    for cls in counts:
        original = cls.__init__

        def counting(self, *args, _cls=cls, _original=original, **kwargs):
            counts[_cls] += 1
            _original(self, *args, **kwargs)

        monkeypatch.setattr(cls, "__init__", counting)
    return counts


def saved(workbook) -> Workbook:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return load_workbook(io.BytesIO(buffer.getvalue()))


@pytest.mark.parametrize("write_only", [False, True])
def test_data_sheet_reads_back_typed_in_both_modes(write_only):
    workbook = Workbook(write_only=write_only)
    ws = workbook.create_sheet("データ") if write_only else workbook.active
    data_sheet(ws, ["ID", "名前", "額", "日付", "メモ", "率"], iter(ROWS), widths=[8, 30])
    sheet = saved(workbook).worksheets[0]
    assert [c.value for c in sheet[1]] == ["ID", "名前", "額", "日付", "メモ", "率"]
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 8 and sheet.column_dimensions["B"].width == 30
    formula, plus = sheet["B2"], sheet["B3"]
    assert (formula.data_type, formula.value) == ("s", "=1+1")
    assert (plus.data_type, plus.value) == ("s", "+81")
    for cell in (sheet["A2"], sheet["C2"], sheet["C3"], sheet["F3"]):
        assert cell.data_type == "n" and cell.number_format == spreadsheets.NUMBER_FORMAT
    assert sheet["C3"].value == -5
    assert sheet["D2"].is_date and sheet["D2"].number_format == "yyyy-mm-dd"
    assert sheet["D2"].value.date() == dt.date(2022, 11, 1)
    assert sheet["E2"].alignment.wrap_text and sheet["E2"].alignment.vertical == "top"
    assert not sheet["E3"].alignment.wrap_text and sheet["E3"].value == "髙﨑①"
    assert sheet["F2"].value is None and not sheet["F2"].font.bold


@pytest.mark.parametrize("write_only", [False, True])
def test_data_sheet_builds_no_style_objects_per_row(constructed, write_only):
    workbook = Workbook(write_only=write_only)
    ws = workbook.create_sheet() if write_only else workbook.active
    for counter in constructed:
        constructed[counter] = 0
    data_sheet(ws, ["a", "b", "c", "d", "e", "f"], ROWS * 500)
    assert constructed == {Font: 0, Alignment: 0, Border: 0}
    assert len(workbook._fonts) <= 2 and len(workbook._alignments) <= 2
    workbook.save(io.BytesIO())


def test_form_cells_share_one_named_style_per_parameters(constructed):
    workbook = Workbook()
    ws = workbook.active
    form_cell(ws, "A1", "warm up", vertical="top")
    form_cell(ws, "B1:C2", "warm up", bold=True, horizontal="center")
    for counter in constructed:
        constructed[counter] = 0
    styles = len(workbook.named_styles)
    for row in range(3, 203, 2):
        form_cell(ws, f"A{row}", f"項目{row}", vertical="top")
        form_cell(ws, f"B{row}:C{row + 1}", "=SUM(A1:A2)", bold=True, horizontal="center")
        form_cell(ws, f"D{row}", 1234, vertical="top", number_format="#,##0")
    assert constructed == {Font: 0, Alignment: 0, Border: 0}
    assert len(workbook.named_styles) == styles
    assert ws["A3"].style_id == ws["A5"].style_id == ws["A201"].style_id
    assert ws["A3"].style == ws["A5"].style and ws["B3"].style == ws["B5"].style
    assert ws["A3"].style != ws["B3"].style
    assert ws["D3"].number_format == "#,##0" and ws["D3"].style_id == ws["D5"].style_id


def test_form_cell_writes_text_as_text_with_font_alignment_and_borders():
    workbook = Workbook()
    ws = workbook.active
    form_cell(ws, "B2:D3", "=1+1", bold=True, size=14, horizontal="center", vertical="top")
    form_cell(ws, "A5", "注記", border=False, wrap=False, size=9)
    form_cell(ws, "A6", dt.date(2022, 11, 1))
    for coordinate in ("B2", "C2", "D2", "B3", "C3", "D3"):
        assert ws[coordinate].border == BOX, coordinate  # every part, as Excel draws them
    sheet = saved(workbook).active
    cell = sheet["B2"]
    assert (cell.data_type, cell.value) == ("s", "=1+1")
    assert (cell.font.name, cell.font.bold, cell.font.sz) == (FORM_FONT, True, 14)
    assert (cell.alignment.horizontal, cell.alignment.vertical) == ("center", "top")
    assert cell.alignment.wrap_text
    assert [str(r) for r in sheet.merged_cells.ranges] == ["B2:D3"]
    assert sheet["B2"].border.left.style == sheet["B2"].border.top.style == "thin"
    assert sheet["D3"].border.right.style == sheet["D3"].border.bottom.style == "thin"
    note = sheet["A5"]
    assert note.border.left is None and not note.alignment.wrap_text
    assert note.font.sz == 9 and note.font.name == FORM_FONT
    assert sheet["A6"].is_date and sheet["A6"].number_format == "yyyy-mm-dd"
    assert BOX.left.style == "thin"


def test_form_styles_are_registered_per_workbook():
    first, second = Workbook(), Workbook()
    form_cell(first.active, "A1", "x", size=14)
    form_cell(second.active, "A1", "x", bold=True)
    form_cell(second.active, "A2", "x", size=14)
    assert saved(first).active["A1"].font.sz == 14
    book = saved(second)
    assert book.active["A1"].font.bold and book.active["A2"].font.sz == 14
    assert not book.active["A2"].font.bold


def test_many_merged_form_cells_stay_fast_and_correct():
    workbook = Workbook()
    ws = workbook.active
    for row in range(1, 4001, 2):
        form_cell(ws, f"A{row}:A{row + 1}", f"項目{row}", vertical="top")
    assert len(ws.merged_cells.ranges) == 2000
    assert "A3999:A4000" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A2"].__class__.__name__ == "MergedCell"


def test_csv_chunks_have_one_bom_crlf_and_neutralised_formulas():
    chunks = list(csv_chunks(["名前", "額"], ([f"=項目{n}", n] for n in range(5)), chunk_chars=18))
    assert len(chunks) == 4  # header, then 2 + 2 + 1 rows (9 characters a row)
    content = b"".join(chunks)
    assert content.startswith(b"\xef\xbb\xbf") and content.count(b"\xef\xbb\xbf") == 1
    assert content.decode("utf-8-sig").split("\r\n") == [
        "名前,額",
        "'=項目0,0",
        "'=項目1,1",
        "'=項目2,2",
        "'=項目3,3",
        "'=項目4,4",
        "",
    ]


def test_csv_response_streams_with_the_japanese_file_name():
    response = csv_response("全体.csv", ["a"], iter([["髙"], ["-1"]]))
    assert response.streaming
    assert response["Content-Disposition"] == (
        "attachment; filename=\"download.csv\"; filename*=UTF-8''%E5%85%A8%E4%BD%93.csv"
    )
    assert response.getvalue() == "\ufeffa\r\n髙\r\n'-1\r\n".encode()


def test_xlsx_file_response_serves_the_saved_workbook():
    workbook = Workbook(write_only=True)
    data_sheet(workbook.create_sheet("表"), ["a"], [[1]])
    response = xlsx_file_response(workbook, "表.xlsx")
    content = response.getvalue()
    assert int(response["Content-Length"]) == len(content)
    assert "filename*=UTF-8''%E8%A1%A8.xlsx" in response["Content-Disposition"]
    assert load_workbook(io.BytesIO(content))["表"]["A2"].value == 1


def test_a_form_date_is_a_date_cell_in_the_era_format():
    import datetime as dt

    from openpyxl import Workbook

    from core.spreadsheets import ERA_DATE_FORMAT, form_date

    ws = Workbook().active
    cell = form_date(ws, "B2:D2", dt.date(2022, 11, 1), horizontal="right")
    assert cell.value == dt.date(2022, 11, 1) and cell.is_date  # a date, not text
    assert cell.number_format == ERA_DATE_FORMAT == '[$-411]ggge"年"m"月"d"日"'
    assert "B2:D2" in {str(r) for r in ws.merged_cells.ranges}


def test_a_formatted_value_keeps_its_format_in_a_data_sheet_and_is_plain_in_csv():
    from openpyxl import Workbook

    from core.spreadsheets import Formatted, csv_chunks, data_sheet

    ws = Workbook().active
    data_sheet(ws, ["項目ID", "予算額"], [[Formatted(1234, "0"), 1234]])
    assert (ws["A2"].value, ws["A2"].number_format) == (1234, "0")
    assert ws["B2"].number_format == '#,##0;"△"#,##0;0'
    text = b"".join(csv_chunks(["項目ID"], [[Formatted(1234, "0")]])).decode("utf-8-sig")
    assert text == "項目ID\r\n1234\r\n"
