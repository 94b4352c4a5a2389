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
import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from core.db import analyze
from core.history import FieldChange
from core.japanese import number as format_number
from core.spreadsheets import FORMULA_TRIGGERS

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
EXTENSIONS = (".xlsx", ".csv")
TOTAL_LABELS = frozenset({"合計", "計", "総計"})
NEGATIVE_SIGNS = ("△", "▲", "-", "−")

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
    """A sheet as strings: ``rows`` are (row number as Excel shows it, cells)."""

    rows: list[tuple[int, list[str]]]
    source: str  # "Excel（シート「…」）", "CSV（UTF-8・BOM付き）"
    notices: list[str] = field(default_factory=list)


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
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = []
    try:
        for number, cells in enumerate(reader, start=1):
            if number > MAX_ROWS:
                raise ImportFileError(
                    _("行が多すぎます。%(max_rows)s行までのファイルにしてください。")
                    % {"max_rows": f"{MAX_ROWS:,}"}
                )
            rows.append((number, [clean_text(cell) for cell in cells]))
    except csv.Error as error:
        raise ImportFileError(
            _("CSVファイルとして読めません（%(error)s）。") % {"error": error}
        ) from error
    return RawTable(rows=rows, source=_("CSV（%(encoding)s）") % {"encoding": encoding})


def _read_xlsx(content: bytes, sheet_name: str | None) -> RawTable:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
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
        sheet.reset_dimensions()  # some writers record a wrong size ("A1"): read every row
        rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS:
                raise ImportFileError(
                    _("行が多すぎます。%(max_rows)s行までのファイルにしてください。")
                    % {"max_rows": f"{MAX_ROWS:,}"}
                )
            rows.append((number, [clean_text(cell_text(value)) for value in values]))
        return RawTable(
            rows=rows,
            source=_("Excel（シート「%(sheet)s」）") % {"sheet": sheet.title},
            notices=notices,
        )
    finally:
        workbook.close()


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
    return str(value)


# --- Cell helpers ------------------------------------------------------------------------------


def clean_text(value: object) -> str:
    """Strip, unify line ends, and undo the apostrophe our CSV export puts before "=", "+" …."""
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
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
    number = int(match.group(1))
    return -number if negative else number


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
class Change:
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
    changes: list[Change] = field(default_factory=list)
    plan: Any = None

    def notice(self, message: str) -> None:
        if message not in self.notices:
            self.notices.append(message)

    def error(self, row: int | None, column: str | None, message: str) -> None:
        self.errors.append(Problem(row, column, message))

    def change(self, kind: str, label: str, fields: Iterable = (), row: int | None = None):
        """Record a change; fields are ``FieldChange``s or (label, before, after) tuples."""
        fields = [f if isinstance(f, FieldChange) else FieldChange(*f) for f in fields]
        self.changes.append(Change(kind, label, fields, row))

    def cell(self, row: Row, column: str, parser: Callable[[str], Any]) -> Any:
        """Parse a cell, recording a ``CellError`` against its row and column."""
        try:
            return parser(row[column])
        except CellError as error:
            self.error(row.number, column, str(error))
            return INVALID

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
        data = json.dumps([c.as_data() for c in self.changes], ensure_ascii=False)
        return hashlib.sha256(data.encode()).hexdigest()

    def required_permissions(self) -> set[str]:
        return {"change"} | {KIND_PERMISSIONS[c.kind] for c in self.changes}

    @property
    def summary(self) -> str:
        if self.errors:
            return _("エラー%(count)s件") % {"count": len(self.errors)}
        if not self.changes:
            return _("変更はありません")
        counts = "・".join(
            _("%(kind)s%(count)s件") % {"kind": kind, "count": self.count(kind)}
            for kind in (ADDED, CHANGED, REMOVED)
            if self.count(kind)
        )
        return _("%(count)s件の変更（%(counts)s）") % {"count": len(self.changes), "counts": counts}


# --- Sheets and importers ----------------------------------------------------------------------


@dataclass
class Row:
    """A data row: its sheet row number and its cells by (canonical) column name."""

    number: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")

    def __contains__(self, column: str) -> bool:
        return column in self.values


@dataclass
class Sheet:
    header_row: int
    columns: list[str]  # canonical names of the columns read, in file order
    rows: list[Row]

    def has(self, column: str) -> bool:
        return column in self.columns


class Writer:
    """Saves and deletes through the ORM so that the history records who and why."""

    def __init__(self, user, reason: str):
        self.user = user
        self.reason = reason
        self.saved = 0
        self.deleted = 0
        self.models = set()  # written to: their statistics are refreshed after the apply

    def _mark(self, instance) -> None:
        self.models.add(type(instance))
        instance._change_reason = self.reason
        if self.user is not None:
            instance._history_user = self.user

    def save(self, instance) -> None:
        self._mark(instance)
        instance.save()
        self.saved += 1

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
    required_columns: ClassVar[Sequence[str]] = ()
    optional_columns: ClassVar[Sequence[str]] = ()
    label_column: ClassVar[str | None] = None  # the name column (labels, total rows)
    total_row_note: ClassVar[str] = gettext_lazy("合計は明細から計算されます")
    instructions: ClassVar[Sequence[str]] = ()  # area-specific lines for the upload page

    @classmethod
    def download_url(cls) -> str:
        """Where to download the current data in the format read here ("" for none)."""
        return ""

    def match_column(self, header: str) -> str | None:
        """The canonical name of a header cell, or ``None`` for a column not read."""
        wanted = normalise_label(header)
        for column in (*self.required_columns, *self.optional_columns):
            if normalise_label(column) == wanted:
                return column
        return None

    def build(self, sheet: Sheet, result: Result) -> None:
        raise NotImplementedError

    def write(self, plan: Any, writer: Writer) -> None:
        raise NotImplementedError


def find_header(importer: Importer, table: RawTable, result: Result) -> Sheet | None:
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


def _sheet_from(importer: Importer, table: RawTable, index: int, result: Result) -> Sheet:
    header_number, header_cells = table.rows[index]
    above = [number for number, cells in table.rows[:index] if any(cells)]
    if above:
        numbers = "・".join(_("%(row)s行目") % {"row": n} for n in above)
        result.notice(_("%(rows)sはタイトル行とみなして読み飛ばしました。") % {"rows": numbers})
    positions: dict[str, int] = {}
    for position, text in enumerate(header_cells):
        if not text:
            continue
        column = importer.match_column(text)
        if column is None:
            result.notice(
                _("列「%(column)s」は取り込みの対象ではないため無視しました。") % {"column": text}
            )
        elif column in positions:
            result.error(
                header_number,
                column,
                _("列「%(column)s」が2つあります。1つにしてください。") % {"column": column},
            )
        else:
            positions[column] = position
    label_position = positions.get(importer.label_column or "")
    rows = []
    for number, cells in table.rows[index + 1 :]:
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
        for position, cell in enumerate(cells):
            if cell and not _cell_at(header_cells, position):
                result.notice(
                    _("見出しのない列（%(letter)s列）の値は無視しました。")
                    % {"letter": get_column_letter(position + 1)}
                )
        values = {column: _cell_at(cells, p) for column, p in positions.items()}
        rows.append(Row(number, values))
    return Sheet(header_row=header_number, columns=list(positions), rows=rows)


def _cell_at(cells: list[str], position: int | None) -> str:
    return cells[position] if position is not None and position < len(cells) else ""


def prepare(importer: Importer, content: bytes, filename: str) -> Result:
    """Read, validate and describe an upload; writes nothing."""
    result = Result(filename=filename)
    try:
        table = read_table(content, filename, importer.sheet_name)
    except ImportFileError as error:
        result.error(None, None, str(error))
        return result
    result.source = table.source
    for message in table.notices:
        result.notice(message)
    sheet = find_header(importer, table, result)
    if sheet is None:
        return result
    if not sheet.rows:
        result.notice(_("見出し行の下にデータの行がありません。"))
    importer.build(sheet, result)
    return result


def change_reason(filename: str) -> str:
    return (_("Excel取込：%(file)s") % {"file": filename})[:100]


def apply_batch(importer: Importer, batch, user, digest: str) -> Result:
    """Apply a stored upload all or nothing, if it still shows the previewed changes."""
    from .models import ImportBatch

    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.applied_at is not None:
            raise Refused(_("この取込はすでに適用済みです。"))
        result = prepare(importer, bytes(batch.content), batch.filename)
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


def display_number(value: int | None) -> str:
    return format_number(value)


def display_lines(lines: Sequence[str] | None) -> str:
    return "\n".join(lines or [])
