"""Importing what city systems write: receptions (one row per reception) and cashless payments.

Both are read with the import machinery's declared columns (``dataimport.imports``): .xlsx and
CSV in UTF-8 (with or without BOM) and CP932, title lines above the header and total rows (合計)
skipped with a notice, era dates (R4.5.9, 令和4年5月9日) and full-width digits read, every bad
cell refused with its row and column, nothing written unless the whole file is good.

- Receptions: the file's days replace what was stored for them (``services.replace_days``, where
  the reason is given); a day whose receptions are the same as stored is no change, so the same
  file twice changes nothing. The admin reads files of up to 10,000 rows with a preview; the
  nightly job (``manage.py import_receptions``) streams files of any size through the same
  columns and checks (``stream_receptions``).
- Payments: one row per day, site, method and purpose (the natural key): a row already stored
  is changed in place, never added twice.
- Hourly tallies (systems with no row per reception): a long layout (a row per hour) or a wide
  one (a row per site and day, a column per hour), told from the header; the file's (site,
  day)s replace their tallies. Payments and hourly tallies from a path (the nightly commands)
  are streamed in chunks through the same importers (``import_file``).

The columns are documented in the README; ``docs/counter_receptions_sample.csv`` is a sample.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from core.db import analyze
from core.japanese import number as format_number
from core.japanese import wareki
from dataimport.imports import (
    ADDED,
    CHANGED,
    CONTROL_CHARACTERS,
    TOTAL_LABELS,
    CellError,
    Column,
    Importer,
    ImportFileError,
    ParsedTable,
    RawTable,
    Result,
    Writer,
    choice,
    clean_text,
    compare,
    find_header,
    integer,
    lock_for_apply,
    normalise_label,
)

from . import services
from .models import (
    HOURS,
    CashlessPayment,
    PaymentMethod,
    PaymentPurpose,
    Reception,
    ReceptionTally,
    Service,
    Site,
    handled_in,
    received_in,
)
from .parsing import parse_date, parse_hour, parse_time

DAY, TIME, SITE, SERVICE, HANDLING = "受付日", "受付時刻", "窓口", "手続き", "処理"
PAID_ON, METHOD, PURPOSE, COUNT, AMOUNT = "決済日", "決済手段", "支払の内容", "件数", "金額（円）"
MAX_COUNT = 1_000_000
MAX_AMOUNT = 10_000_000_000

# 処理: what the reception systems write for "finished at the general counter" or not.
HANDLING_VALUES = {
    "総合窓口": True,
    "総合窓口で処理": True,
    "総合": True,
    "処理済": True,
    "担当課": False,
    "担当課へ引継ぎ": False,
    "引継ぎ": False,
    "引継": False,
    "個別窓口": False,
}


def parse_handling(value: str) -> bool:
    found = HANDLING_VALUES.get(normalise_label(value))
    if found is None:
        raise CellError(
            _("「%(value)s」は読めません。「総合窓口」か「担当課へ引継ぎ」と入力してください。")
            % {"value": value}
        )
    return found


def _needed(name: str, parse, *, required: bool = True) -> Column:
    """A column every row fills (and, ``required``, that the header must name)."""
    return Column(name, parse, required=required, blank=False)


def _named(name: str, options, *, required: bool = True) -> Column:
    """A column naming one of ``options`` (sites, methods) by its name; every row fills it."""
    return _needed(name, choice(list(options), lambda o: o.name), required=required)


def _count(name: str, maximum: int = MAX_COUNT, *, required: bool = True, blank: bool = False):
    """A count or an amount: a whole number from 0 to ``maximum``."""
    return Column(name, integer, required=required, blank=blank, min_value=0, max_value=maximum)


def reception_columns() -> list[Column]:
    """The columns of a reception file (the sites and services are read once, here)."""
    return [
        _needed(DAY, parse_date),
        _needed(TIME, parse_time),
        _named(SITE, Site.objects.all()),
        Column(SERVICE, choice(list(Service.objects.all()), lambda s: s.name)),
        _needed(HANDLING, parse_handling),
    ]


def reception_row(values: dict, number: int, result: Result) -> tuple | None:
    """A reception as stored, or None when a rule across cells refuses it (recorded)."""
    site, day = values.get(SITE), values.get(DAY)
    refused = site.refuse_day(day)
    if refused:
        result.error(number, DAY, refused)
        return None
    service = values.get(SERVICE)
    return (site.id, day, values[TIME], service.id if service else None, values[HANDLING])


def _day_label(site_names: dict, site_id: int, day) -> str:
    return f"{site_names[site_id]} {wareki(day)}"


class ReceptionImporter(Importer):
    key = "counter.receptions"
    title = gettext_lazy("受付データ")
    instructions = (
        gettext_lazy(
            "受付システムが書き出した受付1件を1行とするファイルです。列：受付日・受付時刻・窓口・"
            "手続き（空欄可）・処理（「総合窓口」か「担当課へ引継ぎ」）。"
        ),
        gettext_lazy(
            "ファイルにある日（窓口ごと）の受付は、ファイルの内容にまるごと置き換わります。"
            "同じファイルを2回取り込んでも件数は増えません。ファイルにない日は変わりません。"
        ),
    )
    label_column = DAY
    models = (Reception, ReceptionTally)

    def declared_columns(self):
        if not hasattr(self, "_columns"):
            self._columns = reception_columns()
        return self._columns

    def build(self, sheet: ParsedTable, result: Result) -> None:
        rows: list[tuple] = []
        first_row: dict[tuple, int] = {}
        for row in sheet.rows:
            if row.has_errors:
                continue
            values = {name: row.get(name) for name in sheet.columns}
            stored = reception_row(values, row.number, result)
            if stored is not None:
                rows.append(stored)
                first_row.setdefault((stored[0], stored[1]), row.number)
        if result.errors or not rows:
            return
        new = defaultdict(list)
        for stored in rows:
            new[stored[0], stored[1]].append(stored)
        old = defaultdict(list)
        sites = {site for site, _day in new}
        days = {day for _site, day in new}
        existing = Reception.objects.filter(site_id__in=sites, received_on__in=days).values_list(
            "site_id", "received_on", "received_at", "service_id", "handled_at_general"
        )
        for stored in existing:
            if (stored[0], stored[1]) in new:
                old[stored[0], stored[1]].append(tuple(stored))
        names = dict(Site.objects.values_list("id", "name"))
        plan = []
        for key in sorted(new, key=lambda k: (k[1], k[0])):
            if sorted(old.get(key, []), key=str) == sorted(new[key], key=str):
                continue
            shown = [
                (key, old.get(key)),
                (key, new[key]),
            ]
            before, after = (self._show(rows_) for _key, rows_ in shown)
            fields = compare(before, after) or [
                (_("受付の内容"), _("（時刻・手続き）"), _("（置き換え）"))
            ]
            kind = CHANGED if key in old else ADDED
            result.change(kind, _day_label(names, *key), fields, row=first_row[key])
            plan.extend(new[key])
        result.plan = plan

    @staticmethod
    def _show(rows: list | None) -> dict[str, str] | None:
        if not rows:
            return None
        return {
            _("受付件数"): format_number(len(rows)),
            _("うち総合窓口での処理件数"): format_number(sum(1 for r in rows if r[4])),
        }

    def write(self, plan, writer: Writer) -> None:
        services.replace_days(plan)
        writer.models.update({Reception, ReceptionTally})


class ChunkedImporter(Importer):
    """An importer whose ``build`` is ``collect`` over a sheet's rows, then ``finish``: the
    nightly job (``import_file``) streams a file and calls ``collect`` once per chunk of rows
    with the same ``state``, then ``finish`` once, so rules across rows (the same key twice, a
    day replaced as a whole) hold across chunks as they do for a whole upload."""

    def start(self) -> dict:
        return {}

    def collect(self, sheet: ParsedTable, result: Result, state: dict) -> None:
        raise NotImplementedError

    def finish(self, state: dict, result: Result) -> None:
        raise NotImplementedError

    def build(self, sheet: ParsedTable, result: Result) -> None:
        state = self.start()
        self.collect(sheet, result, state)
        self.finish(state, result)


# --- Hourly tallies: systems that give only counts per hour ---------------------------------

HOUR_OF_DAY, RECEIVED, HANDLED = "時間帯", "受付件数", "うち総合窓口での処理件数"
HANDLED_SHORT = "うち総合窓口"
# The wide layout's hour columns (after NFKC, no spaces): 8時台 / 8時 (receptions) and
# うち総合窓口8時台 / 8時台（うち総合窓口） (of which handled at the general counter).
WIDE_RECEIVED = re.compile(r"(\d{1,2})時台?(?:受付件数)?")
WIDE_HANDLED = re.compile(
    r"(?:うち総合窓口(?:での処理件数)?(\d{1,2})時台?)"
    r"|(?:(\d{1,2})時台?\(?うち総合窓口(?:での処理件数)?\)?)"
)


def received_column(hour: int) -> str:
    return _("%(hour)s時台") % {"hour": hour}


def handled_column(hour: int) -> str:
    return _("うち総合窓口%(hour)s時台") % {"hour": hour}


def _wide_hour(header: str) -> tuple[int, bool] | None:
    """(hour, of the handled) for a wide layout's hour header, or None."""
    label = normalise_label(header)
    match = WIDE_RECEIVED.fullmatch(label)
    if match:
        hour, handled = int(match.group(1)), False
    else:
        match = WIDE_HANDLED.fullmatch(label)
        if match is None:
            return None
        hour, handled = int(match.group(1) or match.group(2)), True
    return (hour, handled) if hour in HOURS else None


class HourlyTallyImporter(ChunkedImporter):
    """Receptions counted per site, day and hour, for reception systems that write no row per
    reception. Stored as the same daily tallies (with their 24 hours) that the receptions make,
    so every figure reads them alike.

    Two layouts, told apart by the header: the long one (a row per site, day and hour: 時間帯,
    受付件数, うち総合窓口での処理件数) and the wide one (a row per site and day, a column per
    hour: 8時台, 9時台 … with うち総合窓口8時台 … beside them; an empty hour cell is 0). Both
    become the same (site, day) → {hour: (received, handled)} and are checked alike.

    The same file twice: the file's (site, day)s replace their stored tallies as a whole (an
    hour the file lacks for such a day is 0), so importing it again changes nothing. A (site,
    day) that has per-reception rows is refused: those rows are the finer data and the tally
    is made from them, and two sources for one day would be silently summed or overwritten.
    (The other way round, importing receptions for a day that has only an hourly tally
    replaces the tally, as a corrected export of the day does: the finer data wins.)"""

    key = "counter.hourly"
    title = gettext_lazy("時間帯別の受付件数")
    instructions = (
        gettext_lazy(
            "受付システムが1時間ごとの件数だけを書き出す場合のファイルです。縦長の形式は列："
            "受付日・時間帯（9、9時台、9:00-10:00 など）・窓口・受付件数・"
            "うち総合窓口での処理件数。"
        ),
        gettext_lazy(
            "横長の形式（1日・窓口ごとに1行）は列：受付日・窓口・8時台・9時台…（受付件数）と"
            "うち総合窓口8時台・うち総合窓口9時台…（うち総合窓口での処理件数）。空欄は0件です。"
        ),
        gettext_lazy(
            "ファイルにある日（窓口ごと）の件数は、ファイルの内容にまるごと置き換わります"
            "（ファイルにない時間帯は0件）。同じファイルを2回取り込んでも件数は増えません。"
            "受付1件ごとのデータがある日は取り込めません。"
        ),
    )
    label_column = DAY
    models = (Reception, ReceptionTally)

    def declared_columns(self):
        # 時間帯 and the counts are not required by the header search: the wide layout has
        # none of them (``build`` checks each layout's columns).
        if not hasattr(self, "_columns"):
            self._columns = [
                _needed(DAY, parse_date),
                _needed(HOUR_OF_DAY, parse_hour, required=False),
                _named(SITE, Site.objects.all()),
                _count(RECEIVED, required=False),
                _count(HANDLED, required=False),
            ]
        return self._columns

    def column(self, header: str) -> Column | None:
        found = super().column(header)
        if found is not None:
            return found
        hour = _wide_hour(header)
        if hour is None:
            return None
        name = handled_column(hour[0]) if hour[1] else received_column(hour[0])
        return _count(name, required=False, blank=True)

    def resembles_column(self, header: str) -> bool:
        # 25時台, 8時半: an hour column that is not one hour of the day is refused, not ignored.
        return bool(re.search(r"\d.*時", normalise_label(header))) or super().resembles_column(
            header
        )

    def _hours(self, sheet: ParsedTable, result: Result, seen: dict) -> Iterator[tuple]:
        """(row, site, day, hour, received, handled, column of the hour) of either layout; a
        header that is neither, or lacks a column its layout needs, is refused at its row."""
        wide = {name: _wide_hour(name) for name in sheet.columns if _wide_hour(name) is not None}
        if sheet.has(HOUR_OF_DAY) or not wide:
            missing = [c for c in (HOUR_OF_DAY, RECEIVED, HANDLED) if not sheet.has(c)]
            if wide:
                result.error(
                    sheet.header_row,
                    HOUR_OF_DAY,
                    _(
                        "「時間帯」の列と「8時台」のような時間帯ごとの列の両方があります。"
                        "どちらか一方の形式にしてください。"
                    ),
                )
                return
            for column in missing:
                result.error(
                    sheet.header_row,
                    column,
                    _(
                        "必須の列「%(column)s」がありません（横長の形式なら「8時台」のような"
                        "時間帯ごとの列が必要です）。"
                    )
                    % {"column": column},
                )
            if missing:
                return
            for row in sheet.rows:
                if not row.has_errors:
                    yield (
                        row.number,
                        row.get(SITE),
                        row.get(DAY),
                        row.get(HOUR_OF_DAY),
                        row.get(RECEIVED),
                        row.get(HANDLED),
                        HOUR_OF_DAY,
                    )
            return
        hours = sorted({hour for hour, _handled in wide.values()})
        unpaired = [
            name
            for hour in hours
            for name in (received_column(hour), handled_column(hour))
            if name not in wide
        ]
        for name in unpaired:
            result.error(
                sheet.header_row,
                name,
                _(
                    "%(hour)s時台の受付件数とうち総合窓口での処理件数の列は対にしてください"
                    "（「%(column)s」の列がありません）。"
                )
                % {"hour": _wide_hour(name)[0], "column": name},
            )
        if unpaired:
            return
        for row in sheet.rows:
            if row.has_errors:
                continue
            site, day = row.get(SITE), row.get(DAY)
            if (site.id, day) in seen:
                result.error(
                    row.number,
                    DAY,
                    _("%(row)s行目と同じ日・窓口です。1行にまとめてください。")
                    % {"row": seen[site.id, day]},
                )
                continue
            seen[site.id, day] = row.number
            for hour in hours:
                received = row.get(received_column(hour)) or 0
                handled = row.get(handled_column(hour)) or 0
                # every hour, 0 too: a row of empty hours still replaces its day
                yield row.number, site, day, hour, received, handled, handled_column(hour)

    def start(self) -> dict:
        # (site, day) → {hour: (received, handled, row)}; its first row; the sites by id; the
        # wide rows' (site, day) → row
        return {"days": {}, "first_row": {}, "sites": {}, "rows": {}}

    def collect(self, sheet: ParsedTable, result: Result, state: dict) -> None:
        days, first_row, sites = state["days"], state["first_row"], state["sites"]
        refused_days = set()
        for number, site, day, hour, received, handled, column in self._hours(
            sheet, result, state["rows"]
        ):
            if (number, day) in refused_days:
                continue
            refused = site.refuse_day(day)
            if refused:
                result.error(number, DAY, refused)
                refused_days.add((number, day))
                continue
            if handled > received:
                result.error(
                    number,
                    HANDLED if column == HOUR_OF_DAY else column,
                    _(
                        "うち総合窓口での処理件数（%(handled)s）が受付件数（%(received)s）を超えています。"
                    )
                    % {"handled": format_number(handled), "received": format_number(received)},
                )
                continue
            hours = days.setdefault((site.id, day), {})
            if hour in hours:
                result.error(
                    number,
                    HOUR_OF_DAY,
                    _("%(row)s行目と同じ日・窓口・時間帯です。1行にまとめてください。")
                    % {"row": hours[hour][2]},
                )
                continue
            hours[hour] = (received, handled, number)
            first_row.setdefault((site.id, day), number)
            sites[site.id] = site

    def finish(self, state: dict, result: Result) -> None:
        days, first_row, sites = state["days"], state["first_row"], state["sites"]
        if result.errors or not days:
            return
        site_ids, day_values = {k[0] for k in days}, {k[1] for k in days}
        with_receptions = set(
            Reception.objects.filter(site_id__in=site_ids, received_on__in=day_values)
            .values_list("site_id", "received_on")
            .distinct()
        )
        for key in sorted(with_receptions & set(days), key=lambda k: (k[1], k[0])):
            result.error(
                first_row[key],
                DAY,
                _(
                    "%(site)s %(day)sには受付1件ごとのデータが取り込まれています。"
                    "時間帯別の件数では置き換えられません（受付データの取込で直してください）。"
                )
                % {"site": sites[key[0]].name, "day": wareki(key[1])},
            )
        if result.errors:
            return
        hour_columns = [name for h in HOURS for name in (received_in(h), handled_in(h))]
        stored = {
            (t["site_id"], t["day"]): t
            for t in ReceptionTally.objects.filter(site_id__in=site_ids, day__in=day_values).values(
                "site_id", "day", "received", "handled", *hour_columns
            )
        }
        plan = []
        for key in sorted(days, key=lambda k: (k[1], k[0])):
            hours = days[key]
            values = {"received": 0, "handled": 0} | {c: 0 for c in hour_columns}
            for hour, (received, handled, _row) in hours.items():
                values[received_in(hour)] = received
                values[handled_in(hour)] = handled
                values["received"] += received
                values["handled"] += handled
            old = stored.get(key)
            if old is not None and all(old[c] == v for c, v in values.items()):
                continue
            fields = compare(self._show(old), self._show(values))
            label = _day_label({key[0]: sites[key[0]].name}, *key)
            result.change(CHANGED if old else ADDED, label, fields, row=first_row[key])
            plan.append((key[0], key[1], values))
        result.plan = plan

    @staticmethod
    def _show(values: dict | None) -> dict[str, str] | None:
        if values is None:
            return None
        shown = {
            _("受付件数"): format_number(values["received"]),
            _("うち総合窓口での処理件数"): format_number(values["handled"]),
        }
        for hour in HOURS:
            received, handled = values[received_in(hour)], values[handled_in(hour)]
            if received or handled:
                shown[_("%(hour)s時台") % {"hour": hour}] = _("%(r)s件（うち%(h)s件）") % {
                    "r": format_number(received),
                    "h": format_number(handled),
                }
        return shown

    def write(self, plan, writer: Writer) -> None:
        services.replace_tallies(plan)
        writer.models.update({ReceptionTally})


# --- The nightly job: a file of any size, streamed ----------------------------------------------

MAX_ERRORS_LISTED = 50
CACHE_LIMIT = 100_000  # distinct cell texts remembered per column


@dataclass
class StreamReport:
    rows: int = 0
    days: int = 0
    skipped: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    error_count: int = 0

    def error(self, row: int | None, column: str | None, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_LISTED:
            where = (_("%(row)s行目") % {"row": row} if row else "") + (
                _("「%(column)s」") % {"column": column} if column else ""
            )
            self.errors.append(f"{where}：{message}" if where else message)


class _Rollback(Exception):
    pass


def _stream_text(path: Path) -> Iterator[tuple[int, list[str]]]:
    """CSV rows with their line numbers, decoded as UTF-8 (BOM or not) or CP932, read in blocks."""
    with open(path, "rb") as raw:
        head = raw.read(1 << 20)
        if not head:
            raise ImportFileError(_("ファイルが空です。"))
        if head.startswith(codecs.BOM_UTF8):
            encoding = "utf-8-sig"
        else:
            try:
                codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
                encoding = "utf-8"
            except UnicodeDecodeError:
                encoding = "cp932"
        raw.seek(0)
        text = io.TextIOWrapper(raw, encoding=encoding, newline="")
        reader = csv.reader(text, strict=True)
        number = 0
        try:
            for number, cells in enumerate(reader, start=1):
                yield number, cells  # raw: the reader cleans each distinct text once
        except UnicodeDecodeError as error:
            raise ImportFileError(
                _(
                    "%(row)s行目付近に%(encoding)sとして読めない文字があります。"
                    "UTF-8またはShift_JIS（CP932）で保存し直してください。"
                )
                % {"row": number + 1, "encoding": encoding}
            ) from error
        except csv.Error as error:
            raise ImportFileError(
                _("CSVファイルとして読めません（%(row)s行目付近：%(error)s）。")
                % {"row": reader.line_num, "error": error}
            ) from error
        raw.seek(-1, io.SEEK_END)
        if raw.read(1) not in (b"\n", b"\r"):
            raise ImportFileError(
                _(
                    "ファイルの最後の行（%(row)s行目）が改行で終わっていません。"
                    "ファイルが途中で切れている可能性があるため、読み込みません。"
                )
                % {"row": number}
            )


def _stream_xlsx(path: Path) -> Iterator[tuple[int, list[str]]]:
    from dataimport.imports import cell_text

    try:
        workbook = load_workbook(path, read_only=True, data_only=False)
    except Exception as error:
        raise ImportFileError(
            _("Excelファイル（.xlsx）として読めません。ファイルが壊れていないか確かめてください。")
        ) from error
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [clean_text(cell_text(v)) for v in values]
            while cells and not cells[-1]:
                cells.pop()
            if any(isinstance(v, str) and v.startswith("=") for v in values):
                raise ImportFileError(
                    _("%(row)s行目に数式があります。値にしてから保存してください。")
                    % {"row": number}
                )
            yield number, cells
    finally:
        workbook.close()


def stream_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    name = path.name.lower()
    if name.endswith(".xlsx"):
        return _stream_xlsx(path)
    if name.endswith(".csv"):
        return _stream_text(path)
    raise ImportFileError(_("読み込めるのはExcelファイル（.xlsx）とCSVファイル（.csv）だけです。"))


def _reception_readers(columns: list[Column]) -> dict:
    """For each column, how a raw cell becomes what is stored (cleaned, checked for control
    characters, read by the column, then made a query parameter), so that each distinct text
    of a column is read once per file."""
    adapt_date, adapt_time = services.reception_params()

    def reader(column: Column, then):
        def read(cell: str):
            if CONTROL_CHARACTERS.search(cell):
                code = ord(CONTROL_CHARACTERS.search(cell).group())
                raise CellError(
                    _("制御文字（U+%(code)04X）が含まれています。セルを入力し直してください。")
                    % {"code": code}
                )
            return then(column.read(clean_text(cell)))

        return read

    then = {
        DAY: lambda day: (day, adapt_date(day)),
        TIME: lambda time: (adapt_time(time), time.hour),
        SITE: lambda site: site,
        SERVICE: lambda service: service.id if service else None,
        HANDLING: lambda handled: handled,
    }
    return {column.name: reader(column, then[column.name]) for column in columns}


def stream_receptions(path: Path, *, dry_run: bool = False) -> StreamReport:
    """Import a reception file of any size: streamed, checked row by row, inserted as it is read
    inside one transaction that is rolled back if any row is refused (all or nothing); then the
    file's (site, day)s replace what was stored for them (``services.ReceptionLoad``).

    The per-row work is kept small, since it is what a million rows cost (profiled with
    cProfile on 100,000 rows, see benchmarks/README.md): each column's distinct cell texts are
    read once (a file repeats its days, times, sites) and a row whose cells were all seen
    before takes the short path; the rows go to the database as tuples of parameters (no model
    instances); the tallies are counted on the way and replaced in SQL at the end."""
    report = StreamReport()
    columns = reception_columns()
    required = {normalise_label(c.name): c for c in columns if c.required}
    by_label = {normalise_label(c.name): c for c in columns}
    readers = _reception_readers(columns)
    today = timezone.localdate()
    is_csv = path.name.lower().endswith(".csv")
    missing = object()
    checked_days: set[tuple] = set()

    def rows() -> Iterator[tuple]:
        plan = None  # [(column name, position, cache, reader)] once the header is found
        width = 0
        first_cells: dict[str, str] = {}  # a row's first cell → "data", "total" or "blank"
        for number, cells in stream_rows(path):
            if plan is None:
                labels = [normalise_label(clean_text(cell)) for cell in cells]
                if set(required) <= set(labels):
                    plan = [
                        (by_label[label].name, i, {}, readers[by_label[label].name])
                        for i, label in enumerate(labels)
                        if label in by_label
                    ]
                    width = max(i for i, label in enumerate(labels) if label) + 1
                    at = {name: position for name, position, _known, _read in plan}
                    caches = {name: known for name, _position, known, _read in plan}
                    at_site, at_day, at_time = at[SITE], at[DAY], at[TIME]
                    at_handling, at_service = at[HANDLING], at.get(SERVICE)
                    known_site, known_day, known_time = caches[SITE], caches[DAY], caches[TIME]
                    known_handling = caches[HANDLING]
                    known_service = caches.get(SERVICE)
                elif any(labels):
                    report.skipped.append(_("%(row)s行目（タイトル行）") % {"row": number})
                continue
            first = cells[0] if cells and cells[0] else next((c for c in cells if c), None)
            if first is None:
                continue
            kind = first_cells.get(first)
            if kind is None:
                if len(first_cells) > CACHE_LIMIT:
                    first_cells.clear()
                text = normalise_label(clean_text(first))
                kind = first_cells[first] = (
                    "total" if text in TOTAL_LABELS else ("data" if text else "blank")
                )
            if kind != "data":
                if kind == "blank" and not any(clean_text(cell) for cell in cells):
                    continue
                if kind == "total":
                    report.skipped.append(_("%(row)s行目（合計行）") % {"row": number})
                    continue
            if len(cells) != width:
                if len(cells) < width and is_csv:
                    report.error(
                        number,
                        None,
                        _(
                            "この行は%(n)s列しかありません（見出しは%(w)s列）。"
                            "ファイルが途中で切れている可能性があるため、読み込みません。"
                        )
                        % {"n": len(cells), "w": width},
                    )
                    continue
                if len(cells) > width and any(clean_text(cell) for cell in cells[width:]):
                    report.error(number, None, _("見出しのない列に値があります。"))
                    continue
            try:  # every cell already read in an earlier row: the common case, kept short
                site = known_site[cells[at_site]]
                day, day_param = known_day[cells[at_day]]
                time, hour = known_time[cells[at_time]]
                handled = known_handling[cells[at_handling]]
                service = known_service[cells[at_service]] if at_service is not None else None
            except (KeyError, IndexError):
                pass
            else:
                if site.counter_opened_on is not None and site.counter_opened_on <= day <= today:
                    report.rows += 1
                    if dry_run:
                        checked_days.add((site.id, day))
                    elif report.error_count == 0:
                        yield (site.id, day_param, time, hour, service, handled)
                    continue
            values, bad = {}, False
            for name, position, known, read in plan:
                cell = cells[position] if position < len(cells) else ""
                value = known.get(cell, missing)
                if value is missing:
                    try:
                        value = read(cell)
                    except CellError as error:
                        report.error(number, name, str(error))
                        bad = True
                        continue
                    if len(known) > CACHE_LIMIT:  # memory stays flat whatever the file holds
                        known.clear()
                    known[cell] = value
                values[name] = value
            if bad:
                continue
            site, (day, day_param), (time, hour) = values[SITE], values[DAY], values[TIME]
            opened = site.counter_opened_on
            if opened is None or day < opened or day > today:
                report.error(number, DAY, site.refuse_day(day))
                continue
            report.rows += 1
            if dry_run:  # nothing is inserted: the (site, day)s are counted here
                checked_days.add((site.id, day))
            elif report.error_count == 0:
                yield (site.id, day_param, time, hour, values.get(SERVICE), values[HANDLING])
        if plan is None:
            names = "・".join(c.name for c in columns if c.required)
            report.error(
                None,
                None,
                _("見出しの行が見つかりません（%(names)sの列が必要です）。") % {"names": names},
            )

    using = router.db_for_write(Reception)
    try:
        with transaction.atomic(using=using):
            lock_for_apply(ReceptionImporter(), using)
            load = services.ReceptionLoad()
            load.insert(rows())
            if report.error_count or dry_run:
                report.days = len(checked_days)
                raise _Rollback
            report.days = load.finish()
    except _Rollback:
        pass
    else:
        analyze([Reception, ReceptionTally])
    return report


# --- The nightly job for payments and hourly tallies: streamed in chunks ---------------------

CHUNK_ROWS = 5_000  # rows read, checked and collected at a time


def _chunks(rows: Iterator, size: int) -> Iterator[list]:
    while chunk := list(itertools.islice(rows, size)):
        yield chunk


def import_file(importer: ChunkedImporter, path: Path, *, dry_run: bool = False) -> Result:
    """A file of payments or hourly tallies from a path (the nightly job), through the same
    machinery as the admin's upload: the same header search, title and total rows, cells read
    by the importer's declared columns, the same rules (``collect``/``finish``, which are the
    admin's ``build``) and ``write``. Written all or nothing, under the same locks as an apply
    from the admin; nothing is written when the result has an error or ``dry_run`` is set.
    Raises ``ImportFileError`` for an unreadable file.

    Streamed: the file is read row by row (``stream_rows``, as the receptions are) and checked
    ``CHUNK_ROWS`` rows at a time, each chunk parsed under the file's header row; what is kept
    between chunks is the importer's state (one entry per site and day, or per payment key: the
    keys the file's rows must be compared with) and the result (its errors and changes), never
    the file's rows."""
    source = path.suffix.lstrip(".").upper()
    is_csv = source == "CSV"
    result = Result(filename=path.name)
    result.source = source
    state = importer.start()
    header, data_rows = None, 0
    using = router.db_for_write(ReceptionTally)
    with transaction.atomic(using=using):
        lock_for_apply(importer, using)
        for chunk in _chunks(stream_rows(path), CHUNK_ROWS):
            rows = [(number, [clean_text(cell) for cell in cells]) for number, cells in chunk]
            if header is None:
                table = RawTable(rows=rows, source=source, complete_rows=is_csv)
                sheet = find_header(importer, table, result)
                if sheet is None:
                    return result
                header = next(row for row in rows if row[0] == sheet.header_row)
            else:  # the same header above each chunk; its notices are the first chunk's
                own = Result()
                table = RawTable(rows=[header, *rows], source=source, complete_rows=is_csv)
                sheet = find_header(importer, table, own)
                result.errors.extend(own.errors)
                for notice in own.notices:  # Result.notice keeps each once
                    result.notice(notice)
            data_rows += len(sheet.rows)
            importer.collect(sheet, result, state)
            if any(problem.row == header[0] for problem in result.errors):
                break  # a header the rows cannot be read under: its errors are enough
        if header is None:
            result.error(None, None, _("ファイルが空です。"))
            return result
        if not data_rows:
            result.notice(_("見出し行の下にデータの行がありません。"))
        importer.finish(state, result)
        result.errors[:] = list(dict.fromkeys(result.errors))  # a header's error once
        if result.errors or dry_run or not result.changes:
            return result
        writer = Writer(None, (_("夜間取込：%(file)s") % {"file": path.name})[:100])
        importer.write(result.plan, writer)
        writer.flush()
    analyze(writer.models)
    return result


# --- Cashless payments ----------------------------------------------------------------------


class PaymentImporter(ChunkedImporter):
    key = "counter.payments"
    title = gettext_lazy("キャッシュレス決済")
    instructions = (
        gettext_lazy(
            "1日・窓口・決済手段・支払の内容ごとに1行です。列：決済日・窓口・決済手段・"
            "支払の内容（空欄は窓口手数料）・件数・金額（円）。"
        ),
        gettext_lazy("すでにある日・窓口・決済手段・支払の内容の行は、ファイルの値に変わります。"),
    )
    label_column = PAID_ON

    def declared_columns(self):
        if not hasattr(self, "_columns"):
            self._columns = [
                _needed(PAID_ON, parse_date),
                _named(SITE, Site.objects.all()),
                _named(METHOD, PaymentMethod.objects.all()),
                Column(PURPOSE, choice(list(PaymentPurpose), lambda p: str(p.label))),
                _count(COUNT),
                _count(AMOUNT, MAX_AMOUNT),
            ]
        return self._columns

    def start(self) -> dict:
        return {"wanted": {}}  # (site, day, method, purpose) → the row's values

    def collect(self, sheet: ParsedTable, result: Result, state: dict) -> None:
        wanted = state["wanted"]
        for row in sheet.rows:
            if row.has_errors:
                continue
            site, day, method = row.get(SITE), row.get(PAID_ON), row.get(METHOD)
            purpose = row.get(PURPOSE) or PaymentPurpose.FEE
            count, amount = row.get(COUNT), row.get(AMOUNT)
            refused = site.refuse_day(day)
            if refused:
                result.error(row.number, PAID_ON, refused)
                continue
            if count == 0 and amount:
                result.error(row.number, AMOUNT, _("件数が0件のときは金額も0円にしてください。"))
                continue
            key = (site.id, day, method.id, str(purpose))
            if key in wanted:
                result.error(
                    row.number,
                    PAID_ON,
                    _(
                        "%(row)s行目と同じ日・窓口・決済手段・支払の内容です。1行にまとめてください。"
                    )
                    % {"row": wanted[key][0]},
                )
                continue
            wanted[key] = (row.number, site, day, method, purpose, count, amount)

    def finish(self, state: dict, result: Result) -> None:
        wanted = state["wanted"]
        if result.errors:
            return
        stored = {
            (p.site_id, p.paid_on, p.method_id, p.purpose): p
            for p in CashlessPayment.objects.filter(
                paid_on__in={k[1] for k in wanted}, site_id__in={k[0] for k in wanted}
            )
        }
        plan = []
        for key, (number_, site, day, method, purpose, count, amount) in wanted.items():
            old = stored.get(key)
            label = f"{wareki(day)} {site.name} {method.name} {PaymentPurpose(purpose).label}"
            after = {COUNT: format_number(count), AMOUNT: format_number(amount)}
            if old is None:
                result.change(ADDED, label, compare(None, after), row=number_)
                plan.append(
                    CashlessPayment(
                        site=site,
                        paid_on=day,
                        method=method,
                        purpose=purpose,
                        count=count,
                        amount=amount,
                    )
                )
                continue
            before = {COUNT: format_number(old.count), AMOUNT: format_number(old.amount)}
            fields = compare(before, after)
            if fields:
                result.change(CHANGED, label, fields, row=number_)
                old.count, old.amount = count, amount
                plan.append(old)
        result.plan = plan

    def write(self, plan, writer: Writer) -> None:
        for payment in plan:
            writer.save(payment)
