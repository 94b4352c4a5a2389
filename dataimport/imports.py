"""Importing an edited spreadsheet: parse → validate → preview → apply.

Generic machinery; an area writes an ``Importer`` subclass (see ``projects/imports.py``) and adds
``ImportAdminMixin`` (``dataimport/admin.py``) to its model admin.

- ``read_table`` turns an uploaded .xlsx or .csv (UTF-8 with BOM, UTF-8 or CP932) into rows of
  strings, each with its row number as Excel shows it.
- ``prepare`` finds the header row, skips title rows, total rows (合計/計) and empty rows with a
  notice, and hands the rows to the importer, which collects every error (never stopping at the
  first) and describes each change it would make (追加/変更/削除, field by field).
- ``apply_batch`` re-reads the stored upload inside one transaction, refuses if there is any error
  or if the changes differ from the ones previewed, and lets the importer write through the ORM
  (``Writer.save``/``delete``), so django-simple-history records each change under the uploading
  user with the reason "Excel取込：<file name>".
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import gc
import hashlib
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connections, models, router, transaction
from django.db.models.deletion import Collector
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from simple_history.utils import get_change_reason_from_object

from core.db import analyze
from core.history import FieldChange
from core.japanese import number as format_number
from core.spreadsheets import FORMULA_TRIGGERS

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
MAX_COLUMNS = 200  # a sheet wider than this is not one of ours: refused before it is read
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024  # an .xlsx is a zip: its cells, unpacked
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # tab and newline are text
BLANKS = " \t\n\r\u3000\xa0"  # what is stripped from a cell (never a control character)
EXTENSIONS = (".xlsx", ".csv")
TOTAL_LABELS = frozenset({"合計", "計", "総計"})
NEGATIVE_SIGNS = ("△", "▲", "-", "−")

MAX_LISTED = 10  # options named in an error message
ADDED, CHANGED, REMOVED = "追加", "変更", "削除"
KIND_PERMISSIONS = {ADDED: "add", CHANGED: "change", REMOVED: "delete"}


class ImportFileError(Exception):
    """The file cannot be read at all (wrong type, broken, unknown encoding)."""


class CellError(ValueError):
    """A cell's value cannot be used; the message is shown to the user as is."""


class Refused(Exception):
    """Apply refused: ``message`` says why; ``result`` is the fresh preview, if there is one."""

    def __init__(self, message: str, result: Result | None = None):
        super().__init__(message)
        self.message = message
        self.result = result


# --- Reading a file ----------------------------------------------------------------------------


@dataclass
class RawTable:
    """A sheet as strings: ``rows`` are (row number as Excel shows it, cells).

    Made once when a file is uploaded and kept with its batch (``as_data``/``from_data``), so
    the preview and the apply never read the file again.
    """

    rows: list[tuple[int, list[str]]]
    source: str  # "Excel（シート「…」）", "CSV（UTF-8・BOM付き）"
    notices: list[str] = field(default_factory=list)
    # A CSV row holds every cell up to its last column; an .xlsx row may end early.
    complete_rows: bool = False
    formulas: list[tuple[int, int]] = field(default_factory=list)  # (row, position) of formulas

    def as_data(self) -> dict:
        return {
            "rows": self.rows,
            "source": self.source,
            "notices": self.notices,
            "complete_rows": self.complete_rows,
            "formulas": self.formulas,
        }

    @classmethod
    def from_data(cls, data: dict) -> RawTable:
        return cls(
            rows=[(number, cells) for number, cells in data["rows"]],
            source=data["source"],
            notices=data["notices"],
            complete_rows=data["complete_rows"],
            formulas=[(row, position) for row, position in data["formulas"]],
        )


def check_upload(filename: str, size: int) -> None:
    """Refuse a file by its name and size before reading it."""
    lowered = filename.lower()
    if lowered.endswith(".xls"):
        raise ImportFileError(
            _(
                "古い形式のExcelファイル（.xls）は読み込めません。"
                "Excelで「名前を付けて保存」から「Excelブック（.xlsx）」を選んで保存し直してください。"
            )
        )
    if not lowered.endswith(EXTENSIONS):
        raise ImportFileError(
            _("読み込めるのはExcelファイル（.xlsx）とCSVファイル（.csv）だけです。")
        )
    if size > MAX_UPLOAD_BYTES:
        raise ImportFileError(
            _("ファイルが大きすぎます（%(size).1fMB）。%(limit)sMBまでのファイルを選んでください。")
            % {"size": size / 1024 / 1024, "limit": MAX_UPLOAD_BYTES // 1024 // 1024}
        )
    if size == 0:
        raise ImportFileError(_("ファイルが空です。"))


def read_table(content: bytes, filename: str, sheet_name: str | None = None) -> RawTable:
    check_upload(filename, len(content))
    if filename.lower().endswith(".xlsx"):
        return _read_xlsx(content, sheet_name)
    return _read_csv(content)


def decode_csv(content: bytes) -> tuple[str, str]:
    """The text and a label of its encoding: UTF-8 with BOM, UTF-8, else CP932 (Windows-31J).

    CP932, not shift_jis: 髙, 﨑, ①, ㈱ exist only in CP932, and Excel in Japan writes it.
    """
    if content.startswith(b"\xef\xbb\xbf"):
        try:
            return content[3:].decode("utf-8"), _("UTF-8・BOM付き")
        except UnicodeDecodeError as error:
            raise ImportFileError(
                _(
                    "ファイルの先頭はUTF-8ですが、途中に読めない文字があります。"
                    "Excelで「CSV UTF-8（コンマ区切り）」として保存し直してください。"
                )
            ) from error
    try:
        return content.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp932"), _("Shift_JIS（CP932）")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _(
                "CSVファイルの文字コードを判別できません。"
                "UTF-8（BOM付き・なし）またはShift_JIS（CP932）で保存したファイルを選んでください。"
            )
        ) from error


def _read_csv(content: bytes) -> RawTable:
    text, encoding = decode_csv(content)
    # strict: a quote left open at the end (a file cut inside a cell) is an error, not data.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = []
    try:
        for number, cells in enumerate(reader, start=1):
            _check_size(number, len(cells))
            rows.append((number, [clean_text(cell) for cell in cells]))
    except csv.Error as error:
        raise ImportFileError(
            _(
                "CSVファイルとして読めません（%(row)s行目付近：%(error)s）。"
                'ファイルが途中で切れていないか、引用符（"）が閉じているか確かめてください。'
            )
            % {"row": reader.line_num, "error": error}
        ) from error
    if text and not text.endswith(("\n", "\r")):
        # Excel, LibreOffice and our own export end every line, the last one too: a last line
        # without its end is a file cut short (a budget of 42,004 read as 4,200).
        raise ImportFileError(
            _(
                "ファイルの最後の行（%(row)s行目）が改行で終わっていません。"
                "ファイルが途中で切れている可能性があるため、読み込みません。"
                "もう一度保存したファイルを選んでください。"
            )
            % {"row": len(rows)}
        )
    return RawTable(
        rows=rows,
        source=_("CSV（%(encoding)s）") % {"encoding": encoding},
        complete_rows=True,
    )


def _check_size(rows: int, columns: int) -> None:
    if rows > MAX_ROWS:
        raise ImportFileError(
            _("行が多すぎます。%(max_rows)s行までのファイルにしてください。")
            % {"max_rows": f"{MAX_ROWS:,}"}
        )
    if columns > MAX_COLUMNS:
        raise ImportFileError(
            _(
                "%(row)s行目の列が多すぎます（%(columns)s列）。"
                "%(max_columns)s列までのファイルにしてください。"
            )
            % {"row": rows, "columns": f"{columns:,}", "max_columns": MAX_COLUMNS}
        )


def _read_xlsx(content: bytes, sheet_name: str | None) -> RawTable:
    return _read_xlsx_sheets(content, sheet_name)[0]


def _read_xlsx_sheets(
    content: bytes, sheet_name: str | None, part_sheets: Sequence[str] = ()
) -> tuple[RawTable, dict[str, RawTable]]:
    """The main sheet, and those of ``part_sheets`` the workbook has, read in one opening."""
    _check_unpacked_size(content)
    try:
        # Not data_only: a formula must be seen as a formula, never as its cached result.
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportFileError(
            _("Excelファイル（.xlsx）として読めません。ファイルが壊れていないか確かめてください。")
        ) from error
    try:
        notices = []
        if sheet_name and sheet_name in workbook.sheetnames:
            sheet = workbook[sheet_name]
        else:
            sheet = workbook.worksheets[0]
            if sheet_name and len(workbook.sheetnames) > 1:
                notices.append(
                    _(
                        "「%(wanted)s」という名前のシートがないため、"
                        "先頭のシート「%(sheet)s」を読み込みました。"
                    )
                    % {"wanted": sheet_name, "sheet": sheet.title}
                )
        main = _read_sheet(sheet, notices)
        parts = {
            name: _read_sheet(workbook[name], [])
            for name in part_sheets
            if name in workbook.sheetnames and name != sheet.title
        }
        return main, parts
    finally:
        workbook.close()


def _read_sheet(sheet, notices: list[str]) -> RawTable:
    # Refuse by the declared size before reading a cell (800 × 16,384 cells held a worker
    # for minutes); then read every row, since some writers declare too small a size.
    if sheet.max_row and sheet.max_column:
        _check_size(sheet.max_row, sheet.max_column)
    sheet.reset_dimensions()
    rows, formulas = [], []
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        while cells and cells[-1].value is None:  # styled but empty cells at the end
            cells = cells[:-1]
        _check_size(number, len(cells))  # the first row too wide stops the reading
        texts = []
        for position, cell in enumerate(cells):
            if cell.data_type == "f":
                formulas.append((number, position))
            texts.append(clean_text(cell_text(cell.value)))
        rows.append((number, texts))
    return RawTable(
        rows=rows,
        source=_("Excel（シート「%(sheet)s」）") % {"sheet": sheet.title},
        notices=notices,
        formulas=formulas,
    )


def _check_unpacked_size(content: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        return  # not a zip: load_workbook says the file cannot be read
    if unpacked > MAX_UNCOMPRESSED_BYTES:
        raise ImportFileError(
            _(
                "Excelファイルの中身が大きすぎます（展開後%(size)sMB）。"
                "不要なシートや書式を削除するか、CSVで保存してください。"
            )
            % {"size": f"{unpacked / 1024 / 1024:,.0f}"}
        )


def cell_text(value: object) -> str:
    """An Excel cell value as the text a user sees (9000.0 → "9000", dates in ISO form)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if not isinstance(value, str | int | float):  # an array formula's object
        return getattr(value, "text", "") or str(value)
    return str(value)


# --- Cell helpers ------------------------------------------------------------------------------


def clean_text(value: object) -> str:
    """Strip, unify line ends, and undo the apostrophe our CSV export puts before "=", "+" …."""
    text = "" if value is None else str(value)
    # Blanks only: a control character is kept, so that it is refused with its row and column.
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip(BLANKS)
    if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS):
        text = text[1:]
    return text


def normalise_label(text: str) -> str:
    """For comparing headers and labels: NFKC (full-width → half-width), no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def split_lines(text: str) -> list[str]:
    """One entry per non-empty line (plans, concerns: one bullet a line)."""
    return [line.strip() for line in (text or "").split("\n") if line.strip()]


def parse_integer(text: str) -> int | None:
    """An integer from a cell; ``None`` for an empty cell; ``CellError`` for anything else.

    Accepts full-width digits (１２３), thousands separators (10,000) and △/▲/- as the
    negative sign. Refuses decimals (1.5) and text (abc) with a message saying what was typed.
    """
    original = (text or "").strip()
    value = normalise_label(original)
    if not value:
        return None
    negative = value.startswith(NEGATIVE_SIGNS)
    if negative:
        value = value[1:]
    if "," in value:
        if not re.fullmatch(r"\d{1,3}(,\d{3})+(\.0+)?", value):
            raise CellError(
                _("「%(value)s」は数値として読めません（桁区切りのカンマの位置が違います）。")
                % {"value": original}
            )
        value = value.replace(",", "")
    match = re.fullmatch(r"(\d+)(?:\.0+)?", value)
    if match is None:
        if re.fullmatch(r"\d*\.\d+", value):
            raise CellError(
                _("「%(value)s」は整数ではありません。小数は入力できません。") % {"value": original}
            )
        raise CellError(
            _("「%(value)s」は数値として読めません。数字で入力してください。") % {"value": original}
        )
    digits = match.group(1).lstrip("0") or "0"
    if len(digits) > 18:  # beyond any integer column (2**63 has 19 digits): never int() it
        raise CellError(
            _("「%(value)s」は大きすぎます。保存できる範囲の数で入力してください。")
            % {"value": original[:30]}
        )
    number = int(digits)
    return -number if negative else number


# --- Declared columns -------------------------------------------------------------------------


def text(value: str) -> str:
    return value


def integer(value: str) -> int | None:
    return parse_integer(value)


def text_lines(value: str) -> list[str]:
    return split_lines(value)


def choice(options: Iterable, name_of: Callable[[Any], str] = str) -> Callable[[str], Any]:
    """A parser that finds one of ``options`` by its name (compared as labels are)."""
    by_label = {normalise_label(name_of(option)): option for option in options}

    def parse(value: str):
        found = by_label.get(normalise_label(value))
        if found is None:
            names = [name_of(option) for option in by_label.values()]
            listed = "、".join(names[:MAX_LISTED]) + (_("ほか") if len(names) > MAX_LISTED else "")
            raise CellError(
                _(
                    "「%(value)s」は登録されていません。次のいずれかを入力してください：%(options)s。"
                )
                % {"value": value, "options": listed or _("（なし）")}
            )
        return found

    return parse


@dataclass(frozen=True)
class Column:
    """A column an importer reads: its header, how a cell becomes a value, and its bounds.

    The core parses and checks every cell of the declared columns and records each problem by
    row and column; an importer writes only the rules that span cells or rows.
    """

    name: str
    parse: Callable[[str], Any] = text
    required: bool = False  # the header must have this column
    blank: bool = True  # an empty cell is allowed (its value is None)
    max_length: int | None = None  # of the text, or of each line of a list
    min_value: int | None = None
    max_value: int | None = None
    one_line: bool = False
    imported: bool = True  # False: read for reference only (a download's 基準日)

    def read(self, value: str) -> Any:
        """The cell's value, or ``CellError`` with a message for the user."""
        if not value:
            if not self.blank:
                raise CellError(_("%(column)sを入力してください。") % {"column": self.name})
            return None
        if self.one_line and "\n" in value:
            raise CellError(_("1行で入力してください。"))
        parsed = self.parse(value)
        for part in parsed if isinstance(parsed, list) else [parsed]:
            if (
                self.max_length is not None
                and isinstance(part, str)
                and len(part) > self.max_length
            ):
                raise CellError(
                    _("%(max)s文字以内で入力してください（「%(start)s…」）。")
                    % {"max": self.max_length, "start": part[:20]}
                )
        if self.min_value is not None and parsed is not None and parsed < self.min_value:
            raise CellError(_("%(min)s以上の数で入力してください。") % {"min": self.min_value})
        if self.max_value is not None and parsed is not None and parsed > self.max_value:
            raise CellError(_("%(max)s以下の数で入力してください。") % {"max": self.max_value})
        return parsed


# --- Results: errors, notices, changes ---------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """An error in the file: where (sheet row as Excel shows it, column) and what."""

    row: int | None
    column: str | None
    message: str

    @property
    def location(self) -> str:
        parts = []
        if self.row is not None:
            parts.append(_("%(row)s行目") % {"row": self.row})
        if self.column:
            parts.append(_("「%(column)s」") % {"column": self.column})
        return "".join(parts)

    def __str__(self):
        if not self.location:
            return self.message
        return _("%(location)s：%(message)s") % {
            "location": self.location,
            "message": self.message,
        }


@dataclass
class PlannedChange:
    kind: str  # 追加 / 変更 / 削除
    label: str  # the row's name
    fields: list[FieldChange] = field(default_factory=list)
    row: int | None = None  # sheet row, for 追加 and 変更

    def as_data(self) -> list:
        return [self.kind, self.label, [[f.label, f.before, f.after] for f in self.fields]]


INVALID = object()  # what ``Result.cell`` returns for a cell it recorded an error for


@dataclass
class Result:
    """What an upload would do: notices, errors and changes (the preview), and the plan."""

    filename: str = ""
    source: str = ""
    notices: list[str] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    changes: list[PlannedChange] = field(default_factory=list)
    plan: Any = None
    # Rows in the database but not in the file. Deleted only when the user asks for it on the
    # preview (a filtered or cut file must never delete what it does not show).
    delete_missing: bool = False
    missing: list[PlannedChange] = field(default_factory=list)

    def notice(self, message: str) -> None:
        if message not in self.notices:
            self.notices.append(message)

    def error(self, row: int | None, column: str | None, message: str) -> None:
        self.errors.append(Problem(row, column, message))

    def change(self, kind: str, label: str, fields: Iterable = (), row: int | None = None):
        """Record a change; fields are ``FieldChange``s or (label, before, after) tuples."""
        fields = [f if isinstance(f, FieldChange) else FieldChange(*f) for f in fields]
        for f in fields:
            lost = encoding_loss(f.before, f.after)
            if lost:
                self.error(
                    row,
                    f.label,
                    _(
                        "「%(before)s」が「?」になっています。Shift_JIS（CP932）で保存できない"
                        "文字が失われた可能性があるため、取り込みません。Excelで"
                        "「CSV UTF-8（コンマ区切り）」として保存するか、.xlsxのまま取り込んでください。"
                    )
                    % {"before": lost},
                )
        self.changes.append(PlannedChange(kind, label, fields, row))

    def not_in_file(self, label: str, fields: Iterable = ()) -> None:
        """A row that is in the database but not in the file: listed, deleted only on request."""
        fields = [f if isinstance(f, FieldChange) else FieldChange(*f) for f in fields]
        self.missing.append(PlannedChange(REMOVED, label, fields))
        if self.delete_missing:
            self.changes.append(PlannedChange(REMOVED, label, fields))

    @property
    def error_locations(self) -> str:
        """Where the errors are, for a summary line: 3行目「予算額1（千円）」、5行目… ."""
        places = list(dict.fromkeys(e.location for e in self.errors if e.location))
        shown = "、".join(places[:5])
        more = _("ほか%(count)sか所") % {"count": len(places) - 5} if len(places) > 5 else ""
        return shown + more

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def can_apply(self) -> bool:
        return self.ok and bool(self.changes)

    def count(self, kind: str) -> int:
        return sum(1 for change in self.changes if change.kind == kind)

    @property
    def digest(self) -> str:
        """Fingerprint of the changes (with their before values): apply only what was shown."""
        shown = [self.delete_missing, [c.as_data() for c in self.changes]]
        data = json.dumps(shown, ensure_ascii=False)
        return hashlib.sha256(data.encode()).hexdigest()

    def required_permissions(self) -> set[str]:
        return {"change"} | {KIND_PERMISSIONS[c.kind] for c in self.changes}

    @property
    def summary(self) -> str:
        if self.errors:
            return _("エラー%(count)s件") % {"count": len(self.errors)}
        if not self.changes:
            return _("変更はありません")
        kinds = [kind for kind in (ADDED, CHANGED, REMOVED) if self.count(kind)]
        if len(kinds) == 1:  # 「2件の変更」, 「3件の追加」: the count once
            return _("%(count)s件の%(kind)s") % {"count": len(self.changes), "kind": kinds[0]}
        counts = "・".join(
            _("%(kind)s%(count)s件") % {"kind": kind, "count": self.count(kind)} for kind in kinds
        )
        return _("%(count)s件の変更（%(counts)s）") % {"count": len(self.changes), "counts": counts}


# --- Sheets and importers ----------------------------------------------------------------------


@dataclass
class Row:
    """A data row: its sheet row number, its cells as text and as the columns read them."""

    number: int
    values: dict[str, str]  # column name → the cell as text
    parsed: dict[str, Any] = field(default_factory=dict)  # → the value, or INVALID

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")

    def __contains__(self, column: str) -> bool:
        return column in self.values

    def get(self, column: str) -> Any:
        """The column's value (None for an empty cell or a column the file lacks); INVALID
        where the cell had an error (already recorded with its row and column)."""
        return self.parsed.get(column)

    @property
    def has_errors(self) -> bool:
        return any(value is INVALID for value in self.parsed.values())


@dataclass
class ParsedTable:
    header_row: int
    columns: list[str]  # canonical names of the columns read, in file order
    rows: list[Row]
    # The other sheets of the workbook the importer reads (``Importer.part_sheets``), unparsed.
    parts: dict[str, RawTable] = field(default_factory=dict)

    def has(self, column: str) -> bool:
        return column in self.columns


class Writer:
    """Writes an importer's changes in batches, recording the history of each row.

    ``save``/``delete`` queue an instance; ``flush`` writes the queue per model with
    ``bulk_create``, one ``UPDATE … CASE`` and one ``DELETE`` per batch, each followed by one
    bulk insert of its historical records (the rows ``bulk_history_create`` makes; for '-' made
    from the instances before they go): the type ('+', '~', '-'), the user, the reason
    "Excel取込：<file>" and the values, as ``instance.save()``/``delete()`` would have recorded
    them (one ``history_date`` per flush). Like ``save()``, it does not call ``clean()``: the
    importer validates before writing. ``apply_batch`` flushes at the end of ``write``; an
    importer flushes between steps that need what was written (new rows' pks before the rows
    pointing at them) and uses ``save_now`` where the order of the single writes matters
    (renames under a unique name). Models overriding ``save``/``delete`` are written one by one,
    so what they do is never skipped. ``saved``/``deleted`` count the rows written.
    """

    batch_size = 500

    def __init__(self, user, reason: str):
        self.user = user
        self.reason = reason
        self.saved = 0
        self.deleted = 0
        self.models = set()  # written to: their statistics are refreshed after the apply
        self._creates: dict[type, list] = {}
        self._updates: dict[tuple[type, tuple[str, ...]], list] = {}
        self._deletes: dict[type, list] = {}
        self._queued: set[int] = set()  # id() of the queued instances

    def _mark(self, instance) -> None:
        self.models.add(type(instance))
        instance._change_reason = self.reason
        if self.user is not None:
            instance._history_user = self.user

    @property
    def pending(self) -> int:
        return len(self._queued)

    def save(self, instance, fields: Iterable[str] | None = None) -> None:
        """Queue an insert (no pk yet) or an update of ``fields`` (default: every field)."""
        self._mark(instance)
        if _overrides(instance, "save"):
            self.save_now(instance)
            return
        if id(instance) in self._queued:
            self.flush()  # written twice: twice, in order, as the ORM would
        self._queued.add(id(instance))
        model = type(instance)
        if instance.pk is None:
            self._creates.setdefault(model, []).append(instance)
        else:
            names = tuple(fields) if fields is not None else _updatable_fields(model)
            self._updates.setdefault((model, names), []).append(instance)

    def save_now(self, instance) -> None:
        """Save one instance at once, after what is queued (through ``instance.save()``)."""
        self.flush()
        self._mark(instance)
        instance.save()
        self.saved += 1

    def delete(self, instance) -> None:
        """Queue a deletion; its '-' record is made from the instance before it is deleted."""
        self._mark(instance)
        if _overrides(instance, "delete"):
            self.flush()
            instance.delete()
            self.deleted += 1
            return
        if id(instance) in self._queued:
            self.flush()
        self._queued.add(id(instance))
        self._deletes.setdefault(type(instance), []).append(instance)

    def flush(self) -> None:
        """Write what is queued: inserts, then updates, then deletions, model by model."""
        if not self._queued:
            return
        creates, updates, deletes = self._creates, self._updates, self._deletes
        self._creates, self._updates, self._deletes = {}, {}, {}
        self._queued = set()
        when = timezone.now()
        for model, instances in creates.items():
            features = connections[router.db_for_write(model)].features
            if not features.can_return_rows_from_bulk_insert:
                for instance in instances:  # no pks back from a bulk insert (SQLite < 3.35)
                    instance.save()
                self.saved += len(instances)
                continue
            model._default_manager.bulk_create(instances, batch_size=self.batch_size)
            self._record(model, instances, "+", when)
            self.saved += len(instances)
        for (model, names), instances in updates.items():
            self._update(model, instances, names)
            self._record(model, instances, "~", when)
            self.saved += len(instances)
        for model, instances in deletes.items():
            for start in range(0, len(instances), self.batch_size):
                self._delete(model, instances[start : start + self.batch_size], when)

    def _update(self, model, instances: list, names: Sequence[str]) -> None:
        """``UPDATE … SET f = CASE pk WHEN … THEN … END WHERE pk IN (…)``, a batch at a time:
        what ``bulk_update`` runs, without its expression objects per row (seconds at 10,000
        rows). Values as ``save()`` writes them (``pre_save``, ``get_db_prep_save``)."""
        using = router.db_for_write(model)
        connection = connections[using]
        quote = connection.ops.quote_name
        meta = model._meta
        fields = [meta.get_field(name) for name in names]
        pk = quote(meta.pk.column)
        limit = connection.features.max_query_params  # SQLite: 999 parameters a statement
        size = self.batch_size
        if limit:
            size = max(1, min(size, limit // (2 * len(fields) + 1)))
        cast = connection.features.requires_casted_case_in_updates  # PostgreSQL
        for start in range(0, len(instances), size):
            batch = instances[start : start + size]
            keys = [meta.pk.get_db_prep_value(obj.pk, connection) for obj in batch]
            assignments, params = [], []
            for f in fields:
                value = f"CAST(%s AS {f.db_type(connection)})" if cast else "%s"
                column = quote(f.column)
                whens = " ".join([f"WHEN %s THEN {value}"] * len(batch))
                assignments.append(f"{column} = CASE {pk} {whens} ELSE {column} END")
                for key, obj in zip(keys, batch, strict=True):
                    params += [key, f.get_db_prep_save(f.pre_save(obj, False), connection)]
            placeholders = ", ".join(["%s"] * len(batch))
            sql = (
                f"UPDATE {quote(meta.db_table)} SET {', '.join(assignments)} "
                f"WHERE {pk} IN ({placeholders})"
            )
            with connection.cursor() as cursor:
                cursor.execute(sql, [*params, *keys])

    def _delete(self, model, instances: list, when) -> None:
        using = router.db_for_write(model)
        collector = Collector(using=using, origin=None)
        collector.collect(instances)  # ProtectedError (an IntegrityError) as delete() raises
        collected = {obj for objs in collector.data.values() for obj in objs}
        if collected != set(instances) or collector.fast_deletes or collector.field_updates:
            # Deleting these takes others with them: let the ORM do it and record each one.
            for instance in instances:
                instance.delete()
            self.deleted += len(instances)
            return
        self._record(model, instances, "-", when)
        # What QuerySet.delete() runs once it knows nothing else is involved; without its
        # signals, whose '-' records were made just above.
        model._base_manager.using(using).filter(pk__in=[i.pk for i in instances])._raw_delete(using)
        for instance in instances:
            instance.pk = None  # as delete() leaves it
        self.deleted += len(instances)

    def _record(self, model, instances: list, history_type: str, when) -> None:
        """One historical record per instance, as the ORM's signals would have made it."""
        manager = getattr(model, "history", None)
        if manager is None or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            return
        historical = manager.model
        if _plain_history(historical):
            self._insert_history(historical, instances, history_type, when)
        elif history_type == "-":
            rows = []
            for instance in instances:
                row = historical(
                    history_date=getattr(instance, "_history_date", when),
                    history_user=historical.get_default_history_user(instance),
                    history_change_reason=get_change_reason_from_object(instance) or "",
                    history_type="-",
                    **{f.attname: getattr(instance, f.attname) for f in historical.tracked_fields},
                )
                if hasattr(historical, "history_relation"):
                    row.history_relation_id = instance.pk
                rows.append(row)
            historical.objects.bulk_create(rows, batch_size=self.batch_size)
        else:
            manager.bulk_history_create(
                instances,
                batch_size=self.batch_size,
                update=history_type == "~",
                default_change_reason=self.reason,
                default_date=when,
            )

    def _insert_history(self, historical, instances: list, history_type: str, when) -> None:
        """The rows ``bulk_history_create`` makes (same values: the instance's fields, its
        ``_history_user`` or the request's user, its ``_change_reason``, the date), inserted as
        plain rows: making 20,000 historical model instances and compiling their insert took
        about a third of the writing."""
        using = router.db_for_write(historical)
        connection = connections[using]
        meta = historical._meta
        tracked = [meta.get_field(f.name) for f in historical.tracked_fields]
        date_field = meta.get_field("history_date")
        when_value = date_field.get_db_prep_save(when, connection)
        columns = [
            *(f.column for f in tracked),
            "history_date",
            meta.get_field("history_user").column,
            "history_change_reason",
            "history_type",
        ]
        rows = []
        for instance in instances:
            user = historical.get_default_history_user(instance)
            date = getattr(instance, "_history_date", None)
            rows.append(
                [
                    *(
                        f.get_db_prep_save(getattr(instance, f.attname), connection)
                        for f in tracked
                    ),
                    when_value if date is None else date_field.get_db_prep_save(date, connection),
                    None if user is None else user.pk,
                    get_change_reason_from_object(instance) or self.reason,
                    history_type,
                ]
            )
        quote = connection.ops.quote_name
        head = (
            f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(c) for c in columns)}) VALUES "
        )
        row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
        # Statements of HISTORY_ROWS rows each, run by executemany: short enough for psycopg to
        # parse their placeholders once (it does so in Python: a VALUES of 500 rows cost the
        # PostgreSQL apply about a second), long enough to spare the server a statement a row.
        size = HISTORY_ROWS
        if connection.features.max_query_params:
            size = max(1, min(size, connection.features.max_query_params // len(columns)))
        groups = [rows[start : start + size] for start in range(0, len(rows), size)]
        whole = [group for group in groups if len(group) == size]
        per_call = max(1, self.batch_size // size)
        with connection.cursor() as cursor:
            for start in range(0, len(whole), per_call):
                cursor.executemany(
                    head + ", ".join([row_sql] * size),
                    [
                        [value for row in group for value in row]
                        for group in whole[start : start + per_call]
                    ],
                )
            if groups and len(groups[-1]) < size:
                rest = groups[-1]
                cursor.execute(
                    head + ", ".join([row_sql] * len(rest)),
                    [value for row in rest for value in row],
                )


HISTORY_ROWS = 50  # rows per statement of historical records (fewer under SQLite's 999 parameters)


def _plain_history(historical) -> bool:
    """A historical model with an automatic id and only the usual fields (no custom history
    fields, no history_relation, no many-to-many): its rows can be inserted as plain rows."""
    meta = historical._meta
    if not isinstance(meta.pk, AutoFieldMixin):  # a UUID history_id needs its default
        return False
    usual = {f.name for f in historical.tracked_fields} | {
        "history_date",
        "history_user",
        "history_change_reason",
        "history_type",
    }
    fields = {f.name for f in meta.concrete_fields if not f.primary_key}
    return (
        fields == usual
        and not hasattr(historical, "history_relation")
        and not getattr(historical, "_history_m2m_fields", None)
    )


def _overrides(instance, method: str) -> bool:
    return getattr(type(instance), method) is not getattr(models.Model, method)


def _updatable_fields(model) -> tuple[str, ...]:
    return tuple(f.name for f in model._meta.concrete_fields if not f.primary_key)


class RowByRowWriter(Writer):
    """Every save and delete at once through the ORM, unbatched: the reference the batched
    ``Writer`` is tested and measured against (the history it must equal)."""

    def save(self, instance, fields=None) -> None:
        self.save_now(instance)

    def delete(self, instance) -> None:
        self._mark(instance)
        instance.delete()
        self.deleted += 1


class Importer:
    """Base for an area's importer. Subclasses set the attributes and write ``build``/``write``.

    ``build(sheet, result)`` validates the rows, records errors (``result.error``/``cell``) and
    changes (``result.change``) and sets ``result.plan``; it must not write. ``write(plan,
    writer)`` performs the plan with ``writer.save``/``writer.delete`` and runs only when there
    is no error. Every write must appear among the changes: the digest of the changes is what
    binds the apply to the preview.
    """

    key: ClassVar[str] = ""  # stored on ImportBatch.importer
    title: ClassVar[str] = ""  # what is imported, e.g. "全体のスケジュール"
    sheet_name: ClassVar[str | None] = None  # read this sheet of a workbook if present
    part_sheets: ClassVar[Sequence[str]] = ()  # other sheets of a workbook read with it
    columns: ClassVar[Sequence[Column]] = ()  # or override ``declared_columns`` (choices)
    label_column: ClassVar[str | None] = None  # the name column (labels, total rows)
    total_row_note: ClassVar[str] = gettext_lazy("合計は明細から計算されます")
    instructions: ClassVar[Sequence[str]] = ()  # area-specific lines for the upload page
    # The models ``write`` changes: an apply holds a lock on each (and on ``key``) from before
    # it re-reads the data until it commits, so two applies never both write from one state.
    models: ClassVar[Sequence[type[models.Model]]] = ()

    @classmethod
    def download_url(cls) -> str:
        """Where to download the current data in the format read here ("" for none)."""
        return ""

    @classmethod
    def blank_url(cls) -> str:
        """Where to download the format with no rows and its column rules ("" for none)."""
        return ""

    def declared_columns(self) -> Sequence[Column]:
        """The columns read; an importer whose choices come from the database overrides this."""
        return self.columns

    @property
    def required_columns(self) -> list[str]:
        return [column.name for column in self.declared_columns() if column.required]

    def column(self, header: str) -> Column | None:
        """The column a header cell names, or ``None`` for a column not read. Override to
        read families of columns (予算額1, 予算額2 …)."""
        wanted = normalise_label(header)
        for column in self.declared_columns():
            if normalise_label(column.name) == wanted:
                return column
        return None

    def resembles_column(self, header: str) -> bool:
        """Whether an unread header looks like one of ours renamed (another unit or number)."""
        stem = _column_stem(header)
        return bool(stem) and any(
            _column_stem(column.name) == stem for column in self.declared_columns()
        )

    def build(self, sheet: ParsedTable, result: Result) -> None:
        raise NotImplementedError

    def write(self, plan: Any, writer: Writer) -> None:
        raise NotImplementedError


class PartTable:
    """A long table on its own sheet that belongs to the main one (an item's plan lines).

    Parsed like the main sheet (header row found by its required columns, cells read by
    their ``Column``), with every notice and error naming the sheet, since its row numbers
    are those of that sheet.
    """

    label_column: ClassVar[str | None] = None
    total_row_note: ClassVar[str] = gettext_lazy("合計は明細から計算されます")

    def __init__(self, sheet: str, columns: Sequence[Column]):
        self.sheet = sheet
        self._columns = list(columns)

    def declared_columns(self) -> Sequence[Column]:
        return self._columns

    required_columns = Importer.required_columns
    column = Importer.column
    resembles_column = Importer.resembles_column

    def parse(self, table: RawTable, result: Result) -> ParsedTable | None:
        own = Result()
        parsed = find_header(self, table, own)
        prefix = _("シート「%(sheet)s」の") % {"sheet": self.sheet}
        for message in own.notices:
            result.notice(prefix + message)
        for problem in own.errors:
            result.error(problem.row, problem.column, prefix + problem.message)
        return parsed


def _column_stem(header: str) -> str:
    """予算額1（千円） → 予算額: a column's name without its unit and number."""
    return re.sub(r"\(.*?\)|\d+", "", normalise_label(header))


def find_header(importer: Importer, table: RawTable, result: Result) -> ParsedTable | None:
    """The header is the first row holding every required column; rows above it are skipped."""
    required = {normalise_label(column) for column in importer.required_columns}
    best: tuple[int, set[str]] = (0, set())
    for index, (number, cells) in enumerate(table.rows):
        present = {normalise_label(cell) for cell in cells if cell}
        found = required & present
        if found == required:
            return _sheet_from(importer, table, index, result)
        if len(found) > len(best[1]):
            best = (number, found)
    if not best[1]:
        columns = "・".join(_("「%(column)s」") % {"column": c} for c in importer.required_columns)
        result.error(
            None,
            None,
            _(
                "見出しの行が見つかりません。%(columns)sの列名を1行に並べた見出し行が必要です"
                "（ダウンロードしたファイルの1行目と同じ見出しです）。"
            )
            % {"columns": columns},
        )
        return None
    for column in importer.required_columns:
        if normalise_label(column) not in best[1]:
            result.error(
                best[0], column, _("必須の列「%(column)s」がありません。") % {"column": column}
            )
    return None


def _sheet_from(importer: Importer, table: RawTable, index: int, result: Result) -> ParsedTable:
    header_number, header_cells = table.rows[index]
    above = [number for number, cells in table.rows[:index] if any(cells)]
    if above:
        numbers = "・".join(_("%(row)s行目") % {"row": n} for n in above)
        result.notice(_("%(rows)sはタイトル行とみなして読み飛ばしました。") % {"rows": numbers})
    positions: dict[str, int] = {}
    declared: dict[str, Column] = {}
    unknown: dict[int, str] = {}
    for position, header in enumerate(header_cells):
        if not header:
            continue
        column = importer.column(header)
        if column is None:
            unknown[position] = header
        elif column.name in positions:
            result.error(
                header_number,
                column.name,
                _("列「%(column)s」が2つあります。1つにしてください。") % {"column": column.name},
            )
        else:
            positions[column.name] = position
            declared[column.name] = column
    names = {position: column for column, position in positions.items()} | unknown
    width = max(names, default=-1) + 1  # the header's last named column
    formulas = set(table.formulas)
    label_position = positions.get(importer.label_column or "")
    data = table.rows[index + 1 :]
    filled_unknown = {p for p in unknown for _n, cells in data if _cell_at(cells, p)}
    for position, text in unknown.items():
        if position in filled_unknown and importer.resembles_column(text):
            # A renamed column: dropping it would change data (予算額1（円）'s amounts would be
            # read as no amount at all and the budget lines deleted).
            result.error(
                header_number,
                text,
                _(
                    "列「%(column)s」は取り込む列の名前と違います（単位や番号が違う列名は"
                    "読み込めません）。値が失われないよう、ダウンロードしたファイルと同じ列名に"
                    "直してください。取り込まない列なら、列ごと削除してください。"
                )
                % {"column": text},
            )
        else:
            result.notice(
                _("列「%(column)s」は取り込みの対象ではないため無視しました。") % {"column": text}
            )
    rows = []
    for number, cells in data:
        if not any(cells):
            continue
        first = next(cell for cell in cells if cell)
        label = _cell_at(cells, label_position)
        if normalise_label(first) in TOTAL_LABELS or normalise_label(label) in TOTAL_LABELS:
            result.notice(
                _("%(row)s行目は合計行のため取り込みません（%(note)s）。")
                % {"row": number, "note": importer.total_row_note}
            )
            continue
        if not _row_is_whole(number, cells, width, table, names, formulas, result):
            continue
        values = {column: _cell_at(cells, p) for column, p in positions.items()}
        rows.append(Row(number, values, _read_cells(number, values, declared, result)))
    return ParsedTable(header_row=header_number, columns=list(positions), rows=rows)


def _read_cells(number: int, values: dict[str, str], declared, result: Result) -> dict:
    """Each declared column's value; a cell that cannot be read is recorded and INVALID."""
    parsed = {}
    for name, value in values.items():
        try:
            parsed[name] = declared[name].read(value)
        except CellError as error:
            result.error(number, name, str(error))
            parsed[name] = INVALID
    return parsed


def _row_is_whole(number, cells, width, table, names, formulas, result) -> bool:
    """A data row that is neither cut short, nor wider than the header, nor holding what is
    never data (a formula, a control character); each problem recorded by row and column."""
    errors = len(result.errors)
    if table.complete_rows and len(cells) < width:
        result.error(
            number,
            None,
            _(
                "この行は%(cells)s列しかありません（見出しは%(width)s列）。"
                "ファイルが途中で切れている可能性があるため、読み込みません。"
            )
            % {"cells": len(cells), "width": width},
        )
    for position, cell in enumerate(cells):
        column = names.get(position) or get_column_letter(position + 1) + _("列")
        if cell and position >= width:
            result.error(
                number,
                column,
                _("見出しのない列に値があります。見出しを付けるか、値を削除してください。"),
            )
        if (number, position) in formulas:
            result.error(
                number,
                column,
                _(
                    "数式（%(formula)s）は取り込めません。Excelでこの列をコピーし、"
                    "「値の貼り付け」で値にしてから保存してください。"
                )
                % {"formula": cell[:40]},
            )
        elif CONTROL_CHARACTERS.search(cell):
            code = ord(CONTROL_CHARACTERS.search(cell).group())
            result.error(
                number,
                column,
                _(
                    "制御文字（U+%(code)04X）が含まれています。"
                    "見えない文字のため、セルを入力し直してください。"
                )
                % {"code": code},
            )
    return len(result.errors) == errors


def _cell_at(cells: list[str], position: int | None) -> str:
    return cells[position] if position is not None and position < len(cells) else ""


def read_upload(importer: Importer, content: bytes, filename: str) -> dict:
    """Parse an upload once, at upload: what is kept with its batch (``ImportBatch.parsed``,
    see ``parsed_bytes``). The preview and the apply work from this, never from the file."""
    try:
        if importer.part_sheets and filename.lower().endswith(".xlsx"):
            check_upload(filename, len(content))
            main, parts = _read_xlsx_sheets(content, importer.sheet_name, importer.part_sheets)
            return {
                "table": main.as_data(),
                "parts": {name: table.as_data() for name, table in parts.items()},
            }
        return {"table": read_table(content, filename, importer.sheet_name).as_data()}
    except ImportFileError as error:
        return {"error": str(error)}


def parsed_bytes(parsed: dict) -> bytes:
    return json.dumps(parsed, ensure_ascii=False).encode()


def prepare(
    importer: Importer,
    content: bytes | None,
    filename: str,
    *,
    parsed: dict | None = None,
    delete_missing: bool = False,
) -> Result:
    """Validate and describe an upload (its ``parsed`` data, or else its content); writes
    nothing. ``delete_missing``: the user chose to delete the rows the file does not have."""
    if parsed is None:
        parsed = read_upload(importer, content or b"", filename)
    result = Result(filename=filename, delete_missing=delete_missing)
    if "error" in parsed:
        result.error(None, None, parsed["error"])
        return result
    table = RawTable.from_data(parsed["table"])
    result.source = table.source
    for message in table.notices:
        result.notice(message)
    sheet = find_header(importer, table, result)
    if sheet is None:
        return result
    sheet.parts = {name: RawTable.from_data(data) for name, data in parsed.get("parts", {}).items()}
    if not sheet.rows:
        result.notice(_("見出し行の下にデータの行がありません。"))
    importer.build(sheet, result)
    return result


def gc_paused(function):
    """Run ``function`` without the cyclic garbage collector's passes, re-enabled after.

    Validating and applying 10,000 rows makes some 100,000 model instances (the items with
    their prefetched lines, plans and concerns, the history records) that live to the end; the
    collector's passes over them took more than half the time (6.2 s of CPU for the apply,
    2.6 s without). Nothing is lost: what is garbage is collected by the next pass after."""

    @functools.wraps(function)
    def paused(*args, **kwargs):
        if not gc.isenabled():
            return function(*args, **kwargs)
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            gc.enable()

    return paused


@gc_paused
def prepare_batch(importer: Importer, batch, *, delete_missing: bool = False) -> Result:
    """The preview of a stored upload, from the rows parsed when it was uploaded."""
    parsed = json.loads(bytes(batch.parsed)) if batch.parsed else None
    return prepare(
        importer,
        None if parsed else bytes(batch.content),
        batch.filename,
        parsed=parsed,
        delete_missing=delete_missing,
    )


def change_reason(filename: str) -> str:
    return (_("Excel取込：%(file)s") % {"file": filename})[:100]


def advisory_key(name: str) -> int:
    """A stable signed 64-bit key for ``pg_advisory_xact_lock`` from a name."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def lock_for_apply(importer: Importer, using: str) -> list[str]:
    """Serialise the applies that write the same models, until the transaction ends.

    PostgreSQL: one transaction-scoped advisory lock per model ``importer.models`` declares
    and per importer, taken in a fixed order (no deadlock between two importers). A second
    apply waits here; it then re-reads the data as the first left it, so its preview's digest
    no longer matches and it is refused instead of overwriting the first one's changes.
    SQLite: the transaction itself holds the database's write lock from its start
    (``transaction_mode: IMMEDIATE`` in the settings). Returns the names locked."""
    names = sorted({f"import:{importer.key}", *(f"model:{m._meta.label}" for m in importer.models)})
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for name in names:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [advisory_key(name)])
    return names


@gc_paused
def apply_batch(
    importer: Importer, batch, user, digest: str, *, delete_missing: bool = False
) -> Result:
    """Apply a stored upload all or nothing, if it still shows the previewed changes."""
    from .models import ImportBatch

    using = router.db_for_write(ImportBatch)
    with transaction.atomic(using=using):
        lock_for_apply(importer, using)
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.applied_at is not None:
            raise Refused(_("この取込はすでに適用済みです。"))
        result = prepare_batch(importer, batch, delete_missing=delete_missing)
        if result.errors:
            raise Refused(
                _(
                    "エラーが%(count)s件あるため適用しませんでした。"
                    "ファイルを直して、もう一度アップロードしてください。"
                )
                % {"count": len(result.errors)},
                result,
            )
        if not result.changes:
            raise Refused(_("変更はありません。何も書き込みませんでした。"), result)
        if digest != result.digest:
            raise Refused(
                _(
                    "確認画面を表示した後にデータが変更されたため、適用を中止しました。"
                    "最新の内容と比べた変更点を下に表示しています。"
                    "確かめてから、もう一度適用してください。"
                ),
                result,
            )
        writer = Writer(user, change_reason(batch.filename))
        try:
            with transaction.atomic():
                importer.write(result.plan, writer)
                writer.flush()
        except (IntegrityError, DatabaseError) as error:
            raise Refused(
                _("保存できなかったため、何も書き込みませんでした（%(error)s）。")
                % {"error": error},
                result,
            ) from error
        batch.applied_at = timezone.now()
        batch.summary = _("適用：%(summary)s") % {"summary": result.summary}
        batch.save(update_fields=["applied_at", "summary"])
    analyze(writer.models)
    return result


def compare(before: Mapping[str, str] | None, after: Mapping[str, str] | None) -> list[FieldChange]:
    """The columns whose shown value differs, in the order of ``after`` (then ``before``).

    ``None`` for a row that is added (before) or removed (after): every non-empty column.
    An importer shows a row as the sheet does (``{column: text}``) and records the result with
    ``Result.change``; it never writes its own field-by-field comparison.
    """
    before, after = before or {}, after or {}
    columns = dict.fromkeys([*after, *before])
    return [
        FieldChange(column, before.get(column, ""), after.get(column, ""))
        for column in columns
        if before.get(column, "") != after.get(column, "")
    ]


def encoding_loss(before: str, after: str) -> str:
    """The characters of ``before`` that came back as "?" in ``after`` (a CP932 round trip
    writes "?" for 𠮷 or ♡), or "" when the change is an ordinary one."""
    if "?" not in after or len(before) != len(after) or before == after:
        return ""
    if all(a == b or a == "?" for a, b in zip(after, before, strict=True)):
        return "".join(b for a, b in zip(after, before, strict=True) if a != b)
    return ""


def display_number(value: int | None) -> str:
    return format_number(value)


def display_lines(lines: Sequence[str] | None) -> str:
    return "\n".join(lines or [])
