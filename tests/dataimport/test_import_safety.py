"""Files shaped as city systems and people really write them: an import never loses or
invents data. Each case is refused with its row and column and writes nothing (the history
tables keep their counts), or does exactly the change the user chose.

The files are real: the schedule's own download, saved as CP932 with CRLF, cut at a byte
offset, an .xlsx that holds a formula with its cached result, and so on.
"""

import io
import json
import re
import zipfile

import openpyxl
import pytest

from dataimport.imports import MAX_COLUMNS
from dataimport.models import ImportBatch
from projects.models import BudgetLine, ScheduleItem
from tests.projects.test_schedule_import import history_count
from tests.projects.test_schedule_import import upload as schedule_upload


@pytest.fixture
def csv_text(viewer_client, source_data) -> str:
    """The schedule's CSV as downloaded (UTF-8 with BOM, CRLF), as text."""
    return viewer_client.get("/schedule/?export=csv").getvalue().decode("utf-8-sig")


@pytest.fixture
def xlsx_book(viewer_client, source_data):
    return openpyxl.load_workbook(
        io.BytesIO(viewer_client.get("/schedule/?export=xlsx").getvalue())
    )


def upload(client, filename: str, content: bytes, query: str = ""):
    return schedule_upload(client, filename, content, delete_missing="delete_missing" in query)


def result_of(preview):
    return preview.context["result"]


def errors(preview) -> list[tuple]:
    return [(e.row, e.column, e.message) for e in result_of(preview).errors]


def refused_and_nothing_written(client, preview) -> None:
    """The preview offers no apply, and an apply forced anyway writes nothing."""
    before = history_count()
    assert result_of(preview).errors
    assert 'value="適用する"' not in preview.content.decode()
    forced = client.post(
        preview.wsgi_request.path, {"digest": result_of(preview).digest, "apply": "1"}
    )
    assert forced.status_code == 200
    assert history_count() == before


def xlsx_bytes(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def row_of(ws, name: str) -> int:
    return next(cell.row for cell in ws["C"] if cell.value == name)


# --- A file cut short ---------------------------------------------------------------------------


def test_a_cp932_file_cut_mid_number_on_its_last_line_is_refused(csv_text, editor_web):
    """42,004 cut to 4,200: the last line has no line end, so the file is not read at all."""
    content = csv_text.encode("cp932")
    assert content.endswith(b"\r\n")
    cut = content[:-5]  # the last row's last cell loses its final digits and the line end
    before = history_count()
    preview = upload(editor_web, "cut.csv", cut)
    assert len(errors(preview)) == 1
    assert "改行で終わっていません" in errors(preview)[0][2]
    assert "途中で切れている" in errors(preview)[0][2]
    refused_and_nothing_written(editor_web, preview)
    assert history_count() == before
    assert BudgetLine.objects.filter(amount=42_004).exists()


def test_a_file_cut_inside_a_quoted_cell_is_refused(csv_text, editor_web):
    """A cell may span lines inside quotes (an older file's plans, a user's edit): a cut there
    leaves the quote open at the end. (The export itself writes one line per cell now.)"""
    csv_text = csv_text.replace(",テレワーク環境,", ',"テレワーク\n環境",')
    multi_line = re.search(r'"[^"]*\r?\n[^"]*"', csv_text)
    assert multi_line is not None
    cut = csv_text[: multi_line.start() + 5].encode("utf-8-sig")
    preview = upload(editor_web, "cut.csv", cut)
    message = errors(preview)[0][2]
    assert "CSVファイルとして読めません" in message and "引用符" in message
    refused_and_nothing_written(editor_web, preview)


def test_a_row_with_fewer_cells_than_the_header_is_refused_by_its_row(csv_text, editor_web):
    lines = csv_text.split("\r\n")
    cells = lines[3].split(",")
    lines[3] = ",".join(cells[:4])  # a row cut after 状況, its line end kept
    preview = upload(editor_web, "short.csv", "\r\n".join(lines).encode("cp932"))
    (row, column, message), *_rest = errors(preview)
    assert row == 4 and column is None
    assert "この行は4列しかありません" in message and "途中で切れている" in message
    refused_and_nothing_written(editor_web, preview)


# --- Nothing is deleted unless asked ------------------------------------------------------------


def test_a_header_only_file_deletes_nothing_by_default(csv_text, editor_web):
    header_only = csv_text.split("\r\n")[0] + "\r\n"
    before = history_count()
    preview = upload(editor_web, "header.csv", header_only.encode("utf-8-sig"))
    result = result_of(preview)
    assert result.errors == [] and result.changes == []
    assert len(result.missing) == ScheduleItem.objects.count() == 13
    html = preview.content.decode()
    assert "ファイルにない項目（13件）" in html and "削除しません" in html
    assert 'value="適用する"' not in html
    assert history_count() == before


def test_a_filtered_download_uploaded_back_deletes_nothing(viewer_client, source_data, editor_web):
    category = ScheduleItem.objects.get(name="書類整理").category_id
    content = viewer_client.get(f"/schedule/?category={category}&export=xlsx").getvalue()
    book = openpyxl.load_workbook(io.BytesIO(content))
    ws = book.active
    ws.cell(row_of(ws, "書類整理"), 4).value = "完了"
    preview = upload(editor_web, "filtered.xlsx", xlsx_bytes(book))
    result = result_of(preview)
    assert [(c.kind, c.label) for c in result.changes] == [("変更", "書類整理")]
    assert len(result.missing) == 13 - ScheduleItem.objects.filter(category=category).count()
    response = editor_web.post(
        preview.wsgi_request.path, {"digest": result.digest, "delete_missing": "0", "apply": "1"}
    )
    assert response.status_code == 302
    assert ScheduleItem.objects.count() == 13
    assert ScheduleItem.objects.get(name="書類整理").status.name == "完了"


def test_deleting_is_a_separate_choice_bound_to_its_preview(csv_text, editor_web):
    """The deletion preview's digest does not apply without the choice, and vice versa."""
    lines = [line for line in csv_text.split("\r\n") if ",書類整理," not in line]
    content = "\r\n".join(lines).encode("utf-8-sig")
    chosen = upload(editor_web, "s.csv", content, "?delete_missing=1")
    assert [(c.kind, c.label) for c in result_of(chosen).changes] == [("削除", "書類整理")]
    before = history_count()
    mismatched = editor_web.post(
        chosen.wsgi_request.path,
        {"digest": result_of(chosen).digest, "delete_missing": "0", "apply": "1"},
    )
    assert mismatched.status_code == 200 and history_count() == before
    applied = editor_web.post(
        chosen.wsgi_request.path,
        {"digest": result_of(chosen).digest, "delete_missing": "1", "apply": "1"},
    )
    assert applied.status_code == 302
    assert not ScheduleItem.objects.filter(name="書類整理").exists()


# --- Columns ------------------------------------------------------------------------------------


def test_a_budget_column_renamed_to_yen_is_an_error_not_a_deletion(xlsx_book, editor_web):
    ws = xlsx_book.active
    header = {cell.value: cell for cell in ws[1]}
    header["予算額2（千円）"].value = "予算額2（円）"  # テレワーク環境's 42,004 is in it
    preview = upload(editor_web, "renamed.xlsx", xlsx_bytes(xlsx_book))
    found = [(row, column) for row, column, _m in errors(preview)]
    # The header is named; the total that no longer adds up (3,802 + ? ≠ 45,806) too.
    assert found == [(1, "予算額2（円）"), (row_of(ws, "テレワーク環境"), "予算額計（千円）")]
    assert "同じ列名に直してください" in errors(preview)[0][2]
    refused_and_nothing_written(editor_web, preview)
    assert BudgetLine.objects.filter(amount=42_004).exists()


def test_an_extra_column_of_notes_is_ignored_with_a_notice(xlsx_book, editor_web):
    ws = xlsx_book.active
    ws.cell(1, ws.max_column + 1).value = "備考"
    ws.cell(2, ws.max_column).value = "メモ"
    preview = upload(editor_web, "notes.xlsx", xlsx_bytes(xlsx_book))
    assert errors(preview) == []
    assert "列「備考」は取り込みの対象ではないため無視しました。" in result_of(preview).notices


# --- Cells that are never data ------------------------------------------------------------------


def _with_cached_value(content: bytes, formula: str, cached: str) -> bytes:
    """Store a formula's cached result in the file, as Excel does on save."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(
                    f"<f>{formula}</f><v />".encode(), f"<f>{formula}</f><v>{cached}</v>".encode()
                )
            target.writestr(info, data)
    return out.getvalue()


def test_a_formula_cell_is_refused_and_never_replaced_by_its_cached_result(xlsx_book, editor_web):
    ws = xlsx_book.active
    row = row_of(ws, "書類整理")
    ws.cell(row, 3).value = "=1+1"
    content = _with_cached_value(xlsx_bytes(xlsx_book), "1+1", "2")
    cached = openpyxl.load_workbook(io.BytesIO(content), data_only=True).active
    assert cached.cell(row, 3).value == 2  # what a data-only reader would have imported
    preview = upload(editor_web, "formula.xlsx", content)
    (error_row, column, message), *_rest = errors(preview)
    assert (error_row, column) == (row, "項目")
    assert "数式（=1+1）は取り込めません" in message and "値の貼り付け" in message
    refused_and_nothing_written(editor_web, preview)
    assert not ScheduleItem.objects.filter(name="2").exists()


@pytest.mark.parametrize("character", ["\x0b", "\x00", "\x1f", "\x7f"])
def test_a_control_character_is_refused_by_row_and_column(csv_text, editor_web, character):
    lines = csv_text.split("\r\n")
    lines[2] = lines[2].replace(",継続,", f",継続{character},", 1)
    if character not in lines[2]:
        lines[2] = lines[2].replace(",", f",{character}", 3)
    preview = upload(editor_web, "control.csv", "\r\n".join(lines).encode("utf-8-sig"))
    problems = [(row, message) for row, _column, message in errors(preview)]
    assert problems and all(row == 3 for row, _m in problems)
    assert any(f"制御文字（U+{ord(character):04X}）" in message for _r, message in problems)
    refused_and_nothing_written(editor_web, preview)


def test_a_character_cp932_cannot_hold_is_reported_as_an_encoding_loss(
    source_data, viewer_client, editor_web
):
    ScheduleItem.objects.filter(name="書類整理").update(name="𠮷田さんの書類整理")
    text = viewer_client.get("/schedule/?export=csv").getvalue().decode("utf-8-sig")
    content = text.encode("cp932", errors="replace")  # what Excel's "CSV (コンマ区切り)" does
    assert "?田さんの書類整理".encode("cp932") in content
    preview = upload(editor_web, "sjis.csv", content)
    (_row, column, message), *_rest = errors(preview)
    assert column == "項目" and "「𠮷」が「?」になっています" in message
    refused_and_nothing_written(editor_web, preview)
    assert ScheduleItem.objects.filter(name="𠮷田さんの書類整理").exists()


# --- Size, and reading the file once ------------------------------------------------------------


def test_an_xlsx_declaring_a_huge_sheet_is_refused_before_its_cells_are_read(
    editor_web, source_data
):
    book = openpyxl.Workbook()
    book.active["A1"] = "項目ID"
    book.active.cell(800, 16_384).value = "x"  # 800 × 16,384 cells declared
    preview = upload(editor_web, "wide.xlsx", xlsx_bytes(book))
    assert "列が多すぎます" in errors(preview)[0][2]


def test_an_xlsx_that_unpacks_to_too_much_is_refused(xlsx_book, editor_web):
    content = io.BytesIO(xlsx_bytes(xlsx_book))
    with zipfile.ZipFile(content, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (60 * 1024 * 1024))
    assert len(content.getvalue()) < 1024 * 1024  # small on disk, large unpacked
    preview = upload(editor_web, "bomb.xlsx", content.getvalue())
    assert "展開後" in errors(preview)[0][2]


def test_a_very_wide_csv_row_is_an_error_not_a_crash(csv_text, editor_web):
    lines = csv_text.split("\r\n")
    lines[2] += "," * (MAX_COLUMNS + 50)
    preview = upload(editor_web, "wide.csv", "\r\n".join(lines).encode("utf-8-sig"))
    assert "3行目の列が多すぎます" in errors(preview)[0][2]


def test_the_preview_and_the_apply_never_read_the_file_again(xlsx_book, editor_web):
    ws = xlsx_book.active
    ws.cell(row_of(ws, "書類整理"), 4).value = "完了"
    preview = upload(editor_web, "s.xlsx", xlsx_bytes(xlsx_book))
    batch = ImportBatch.objects.get()
    assert json.loads(bytes(batch.parsed))["table"]["rows"][0][1][:3] == ["項目ID", "区分", "項目"]
    ImportBatch.objects.filter(pk=batch.pk).update(content=b"no longer a workbook")
    again = editor_web.get(preview.wsgi_request.path)
    assert errors(again) == [] and len(result_of(again).changes) == 1
    applied = editor_web.post(
        preview.wsgi_request.path,
        {"digest": result_of(again).digest, "delete_missing": "0", "apply": "1"},
    )
    assert applied.status_code == 302
    assert ScheduleItem.objects.get(name="書類整理").status.name == "完了"
