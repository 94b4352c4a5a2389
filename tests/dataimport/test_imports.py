"""The import machinery (dataimport/imports.py): reading files, headers, numbers, results."""

import csv
import datetime as dt
import io

import openpyxl
import pytest

from dataimport.imports import (
    INVALID,
    CellError,
    Column,
    Importer,
    ImportFileError,
    Result,
    Writer,
    cell_text,
    check_upload,
    choice,
    clean_text,
    decode_csv,
    integer,
    parse_integer,
    prepare,
    read_table,
    split_lines,
    text_lines,
)

NAMES = "髙橋 﨑山 ① ㈱ ～"


class Recorder(Importer):
    """A minimal importer: two required columns; ``build`` keeps the rows it is given."""

    key = "tests.recorder"
    title = "テスト"
    sheet_name = "データ"
    columns = (
        Column("名前", required=True, blank=False),
        Column("金額（円）", integer, required=True),
        Column("備考"),
    )
    label_column = "名前"

    def build(self, sheet, result):
        result.plan = sheet


def csv_bytes(rows, encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(sheets: dict[str, list[list]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- Encodings ---------------------------------------------------------------------------------


def test_csv_with_bom_is_utf8():
    assert decode_csv(("名前," + NAMES).encode("utf-8-sig")) == ("名前," + NAMES, "UTF-8・BOM付き")


def test_csv_without_bom_that_is_valid_utf8_is_utf8():
    assert decode_csv(NAMES.encode("utf-8")) == (NAMES, "UTF-8")


def test_csv_from_excel_in_japan_is_read_as_cp932_not_shift_jis():
    content = NAMES.encode("cp932")
    with pytest.raises(UnicodeDecodeError):
        content.decode("shift_jis")  # 髙, 﨑, ①, ㈱ are CP932 extensions
    assert decode_csv(content) == (NAMES, "Shift_JIS（CP932）")


def test_undecodable_csv_says_which_encodings_are_read():
    with pytest.raises(ImportFileError, match=r"UTF-8（BOM付き・なし）またはShift_JIS（CP932）"):
        decode_csv(b"\x81\xff\xfe")  # neither UTF-8 nor CP932


def test_csv_rows_are_numbered_as_excel_shows_them_even_with_line_breaks_in_cells():
    content = csv_bytes([["名前", "計画"], ["A", "一行目\n二行目"], ["B", ""]])
    table = read_table(content, "a.csv")
    assert table.rows == [(1, ["名前", "計画"]), (2, ["A", "一行目\n二行目"]), (3, ["B", ""])]
    assert table.source == "CSV（UTF-8・BOM付き）"


# --- Excel -------------------------------------------------------------------------------------


def test_xlsx_reads_the_named_sheet_and_cells_as_text():
    content = xlsx_bytes(
        {
            "表紙": [["全体のスケジュール"]],
            "データ": [
                ["名前", "金額（円）", "日付"],
                ["A", 9000.0, dt.datetime(2022, 11, 1)],
                [None, None, None],
                ["B", 1.5, True],
            ],
        }
    )
    table = read_table(content, "a.xlsx", sheet_name="データ")
    assert table.source == "Excel（シート「データ」）"
    assert table.rows == [
        (1, ["名前", "金額（円）", "日付"]),
        (2, ["A", "9000", "2022-11-01"]),
        (3, []),
        (4, ["B", "1.5", "TRUE"]),
    ]
    assert table.notices == []


def test_xlsx_without_the_named_sheet_reads_the_first_and_says_so():
    content = xlsx_bytes({"Sheet1": [["名前"]], "Sheet2": [["x"]]})
    table = read_table(content, "a.xlsx", sheet_name="データ")
    assert table.rows == [(1, ["名前"])]
    assert table.notices == [
        "「データ」という名前のシートがないため、先頭のシート「Sheet1」を読み込みました。"
    ]


def test_xlsx_with_a_wrong_recorded_size_is_read_in_full():
    import re
    import zipfile

    content = xlsx_bytes({"データ": [["名前", "金額（円）"], ["A", 1], ["B", 2]]})
    source, target = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', data)
            out.writestr(info, data)
    table = read_table(target.getvalue(), "a.xlsx")
    assert [cells for _, cells in table.rows] == [["名前", "金額（円）"], ["A", "1"], ["B", "2"]]


def test_cell_text():
    assert cell_text(None) == ""
    assert cell_text(8800) == "8800"
    assert cell_text(8800.0) == "8800"
    assert cell_text(0.5) == "0.5"
    assert cell_text(dt.date(2022, 11, 1)) == "2022-11-01"
    assert cell_text(dt.datetime(2022, 11, 1, 9, 30)) == "2022-11-01 09:30:00"


def test_a_file_that_is_not_a_workbook_is_refused():
    with pytest.raises(ImportFileError, match=r"Excelファイル（\.xlsx）として読めません"):
        read_table(b"PK\x03\x04 junk", "a.xlsx")


@pytest.mark.parametrize(
    ("filename", "size", "message"),
    [
        (
            "a.xls",
            10,
            "古い形式のExcelファイル（.xls）は読み込めません。"
            "Excelで「名前を付けて保存」から「Excelブック（.xlsx）」を選んで保存し直してください。",
        ),
        ("a.ods", 10, "読み込めるのはExcelファイル（.xlsx）とCSVファイル（.csv）だけです。"),
        (
            "a.CSV",
            6 * 1024 * 1024,
            "ファイルが大きすぎます（6.0MB）。5MBまでのファイルを選んでください。",
        ),
        ("a.xlsx", 0, "ファイルが空です。"),
    ],
)
def test_uploads_are_checked_by_name_and_size(filename, size, message):
    with pytest.raises(ImportFileError) as error:
        check_upload(filename, size)
    assert str(error.value) == message


# --- Cells -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("", None),
        ("  ", None),
        ("8800", 8800),
        ("１２３", 123),
        ("10,000", 10000),
        ("１０，０００", 10000),
        ("1,234,567", 1234567),
        ("△7", -7),
        ("▲1,000", -1000),
        ("-7", -7),
        ("－７", -7),
        ("9000.0", 9000),
        (" 42 ", 42),
    ],
)
def test_integers_are_read_leniently_in_form(text, value):
    assert parse_integer(text) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "「abc」は数値として読めません。数字で入力してください。"),
        ("1.5", "「1.5」は整数ではありません。小数は入力できません。"),
        ("１．５", "「１．５」は整数ではありません。小数は入力できません。"),
        ("1,00", "「1,00」は数値として読めません（桁区切りのカンマの位置が違います）。"),
        ("12円", "「12円」は数値として読めません。数字で入力してください。"),
        ("R4.5.9", "「R4.5.9」は数値として読めません。数字で入力してください。"),
    ],
)
def test_integers_are_parsed_strictly_in_value(text, message):
    with pytest.raises(CellError) as error:
        parse_integer(text)
    assert str(error.value) == message


def test_clean_text_undoes_the_formula_apostrophe_of_our_csv_export():
    assert clean_text("'=SUM(A1)") == "=SUM(A1)"
    assert clean_text("'+81") == "+81"
    assert clean_text("'-5") == "-5"
    assert clean_text("'@here") == "@here"
    assert clean_text("'引用") == "'引用"  # an apostrophe before ordinary text is kept
    assert clean_text("  一行目\r\n二行目\r三行目 ") == "一行目\n二行目\n三行目"
    assert clean_text(None) == ""


def test_split_lines_drops_empty_lines():
    assert split_lines(" 運用 \n\n 効果の検証\n") == ["運用", "効果の検証"]
    assert split_lines("") == []


# --- Header, titles, totals --------------------------------------------------------------------


def test_header_is_found_below_a_title_and_a_total_row_is_skipped():
    content = csv_bytes(
        [
            ["令和4年度 予算一覧", "", ""],
            ["", "", ""],
            ["名前", "金額（円）", "担当"],
            ["A", "100", "x"],
            ["", "", ""],
            ["B", "200", "y"],
            ["合　計", "300", ""],
        ]
    )
    result = prepare(Recorder(), content, "a.csv")
    assert result.errors == []
    sheet = result.plan
    assert sheet.header_row == 3 and sheet.columns == ["名前", "金額（円）"]
    assert [(row.number, row.values) for row in sheet.rows] == [
        (4, {"名前": "A", "金額（円）": "100"}),
        (6, {"名前": "B", "金額（円）": "200"}),
    ]
    assert result.notices == [
        "1行目はタイトル行とみなして読み飛ばしました。",
        "列「担当」は取り込みの対象ではないため無視しました。",
        "7行目は合計行のため取り込みません（合計は明細から計算されます）。",
    ]


def test_values_under_no_header_are_an_error_by_row_and_column():
    content = csv_bytes([["名前", "金額（円）"], ["A", "1", "メモ"]])
    result = prepare(Recorder(), content, "a.csv")
    assert [(e.row, e.column) for e in result.errors] == [(2, "C列")]
    assert "見出しのない列に値があります" in result.errors[0].message


def test_a_total_row_is_recognised_by_its_first_cell_or_its_name():
    content = csv_bytes([["金額（円）", "名前"], ["100", "A"], ["計", ""], ["100", "合計"]])
    result = prepare(Recorder(), content, "a.csv")
    assert [row.number for row in result.plan.rows] == [2]
    assert "3行目は合計行のため取り込みません（合計は明細から計算されます）。" in result.notices
    assert "4行目は合計行のため取り込みません（合計は明細から計算されます）。" in result.notices


def test_headers_match_in_full_or_half_width():
    content = csv_bytes([["名前", "金額(円)"], ["A", "1"]])
    result = prepare(Recorder(), content, "a.csv")
    assert result.errors == [] and result.plan.columns == ["名前", "金額（円）"]


def test_a_missing_required_column_is_named():
    result = prepare(Recorder(), csv_bytes([["名前", "備考"], ["A", ""]]), "a.csv")
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (1, "金額（円）", "必須の列「金額（円）」がありません。")
    ]


def test_no_header_at_all_says_what_is_expected():
    result = prepare(Recorder(), csv_bytes([["a", "b"], ["1", "2"]]), "a.csv")
    assert [str(e) for e in result.errors] == [
        "見出しの行が見つかりません。「名前」・「金額（円）」の列名を1行に並べた見出し行が必要です"
        "（ダウンロードしたファイルの1行目と同じ見出しです）。"
    ]


def test_a_duplicated_column_is_an_error():
    result = prepare(Recorder(), csv_bytes([["名前", "金額（円）", "名前"]]), "a.csv")
    assert [str(e) for e in result.errors] == [
        "1行目「名前」：列「名前」が2つあります。1つにしてください。"
    ]


def test_errors_are_collected_with_row_and_column_not_raised_on_the_first():
    content = csv_bytes([["名前", "金額（円）"], ["A", "abc"], ["B", "1"], ["C", "1.5"]])
    result = prepare(Recorder(), content, "a.csv")
    assert [str(e) for e in result.errors] == [
        "2行目「金額（円）」：「abc」は数値として読めません。数字で入力してください。",
        "4行目「金額（円）」：「1.5」は整数ではありません。小数は入力できません。",
    ]
    assert not result.can_apply and result.summary == "エラー2件"


def test_an_unreadable_file_is_an_error_of_the_result():
    result = prepare(Recorder(), b"\x81\xff\xfe", "a.csv")
    assert len(result.errors) == 1 and result.errors[0].row is None


# --- Results -----------------------------------------------------------------------------------


def test_digest_follows_the_changes_and_their_before_values():
    first, second, third = Result(), Result(), Result()
    for result, before in ((first, "8,800"), (second, "8,800"), (third, "8,900")):
        result.change("変更", "キャッシュレス", [("予算額1", before, "9,000")])
    assert first.digest == second.digest != third.digest


def test_summary_and_required_permissions():
    result = Result()
    assert result.summary == "変更はありません" and not result.can_apply
    result.change("追加", "A")
    result.change("変更", "B")
    result.change("削除", "C")
    result.change("削除", "D")
    assert result.summary == "4件の変更（追加1件・変更1件・削除2件）"
    assert result.required_permissions() == {"add", "change", "delete"}
    assert result.can_apply


def test_writer_marks_the_reason_and_the_user():
    saved = []

    class Model:
        def save(self):
            saved.append((self._change_reason, self._history_user))

    writer = Writer(user="tanaka", reason="Excel取込：a.xlsx")
    writer.save(Model())
    assert saved == [("Excel取込：a.xlsx", "tanaka")]


# --- Declared columns ---------------------------------------------------------------------------


def test_a_column_reads_its_cell_within_its_bounds():
    amount = Column("予算額1（千円）", integer, min_value=0, max_value=999_999)
    assert amount.read("１２，３４５") == 12_345 and amount.read("") is None
    with pytest.raises(CellError, match="0以上の数で入力してください"):
        amount.read("△1")
    with pytest.raises(CellError, match="999999以下の数で入力してください"):
        amount.read("1,000,000")
    name = Column("項目", blank=False, one_line=True, max_length=5)
    with pytest.raises(CellError, match="項目を入力してください"):
        name.read("")
    with pytest.raises(CellError, match="1行で入力してください"):
        name.read("一\n二")
    with pytest.raises(CellError, match="5文字以内で入力してください"):
        name.read("六文字の名前")
    concerns = Column("懸案など", text_lines, max_length=3)
    assert concerns.read("あ\n\n いう ") == ["あ", "いう"]
    with pytest.raises(CellError, match=r"3文字以内.*「長すぎる行…」"):
        concerns.read("短い\n長すぎる行")


def test_a_choice_finds_its_option_by_label_and_lists_them_when_not():
    parse = choice(["窓口フロントスタッフ", "教育ICT"])
    assert parse("教育ＩＣＴ") == "教育ICT"  # full-width letters read as the label
    with pytest.raises(
        CellError, match=r"「窓口」は登録されていません.*窓口フロントスタッフ、教育ICT"
    ):
        parse("窓口")


def test_the_core_reads_every_declared_column_and_names_each_bad_cell():
    content = csv_bytes([["名前", "金額（円）"], ["", "abc"], ["B", "2"]])
    result = prepare(Recorder(), content, "a.csv")
    assert [str(e) for e in result.errors] == [
        "2行目「名前」：名前を入力してください。",
        "2行目「金額（円）」：「abc」は数値として読めません。数字で入力してください。",
    ]
    first, second = result.plan.rows
    assert first.has_errors and first.get("金額（円）") is INVALID
    assert second.get("金額（円）") == 2 and second.get("備考") is None
