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

The columns are documented in the README; ``docs/counter_receptions_sample.csv`` is a sample.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
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
    Result,
    Writer,
    choice,
    clean_text,
    compare,
    integer,
    normalise_label,
)

from . import services
from .models import (
    CashlessPayment,
    PaymentMethod,
    PaymentPurpose,
    Reception,
    ReceptionTally,
    Service,
    Site,
)
from .parsing import parse_date, parse_time

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


def reception_columns() -> list[Column]:
    """The columns of a reception file (the sites and services are read once, here)."""
    sites = list(Site.objects.all())
    services_ = list(Service.objects.all())
    return [
        Column(DAY, parse_date, required=True, blank=False),
        Column(TIME, parse_time, required=True, blank=False),
        Column(SITE, choice(sites, lambda s: s.name), required=True, blank=False),
        Column(SERVICE, choice(services_, lambda s: s.name)),
        Column(HANDLING, parse_handling, required=True, blank=False),
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
                yield number, [clean_text(cell) for cell in cells]
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


def stream_receptions(path: Path, *, dry_run: bool = False) -> StreamReport:
    """Import a reception file of any size: streamed, checked row by row, written in batches
    inside one transaction that is rolled back if any row is refused (all or nothing)."""
    report = StreamReport()
    columns = reception_columns()
    required = {normalise_label(c.name): c for c in columns if c.required}
    by_label = {normalise_label(c.name): c for c in columns}
    by_name = {c.name: c for c in columns}
    cache: dict[str, dict] = {c.name: {} for c in columns}
    refusals: dict[tuple, str] = {}
    site_days: set[tuple] = set()

    def rows() -> Iterator[tuple]:
        positions = None
        width = 0
        for number, cells in stream_rows(path):
            if positions is None:
                labels = [normalise_label(cell) for cell in cells]
                if set(required) <= set(labels):
                    positions = {
                        by_label[label].name: i
                        for i, label in enumerate(labels)
                        if label in by_label
                    }
                    width = max(i for i, label in enumerate(labels) if label) + 1
                elif any(cells):
                    report.skipped.append(_("%(row)s行目（タイトル行）") % {"row": number})
                continue
            if not any(cells):
                continue
            first = next(cell for cell in cells if cell)
            if normalise_label(first) in TOTAL_LABELS:
                report.skipped.append(_("%(row)s行目（合計行）") % {"row": number})
                continue
            if len(cells) < width and path.name.lower().endswith(".csv"):
                report.error(
                    number,
                    None,
                    _("この行は%(n)s列しかありません（見出しは%(w)s列）。")
                    % {"n": len(cells), "w": width},
                )
                continue
            if len(cells) > width and any(cells[width:]):
                report.error(number, None, _("見出しのない列に値があります。"))
                continue
            values, bad = {}, False
            for name, position in positions.items():
                cell = cells[position] if position < len(cells) else ""
                known = cache[name]
                if cell in known:  # a file repeats its sites, days and times: read each once
                    values[name] = known[cell]
                    continue
                if CONTROL_CHARACTERS.search(cell):
                    report.error(number, name, _("制御文字が含まれています。"))
                    bad = True
                    continue
                if len(known) > CACHE_LIMIT:  # memory stays flat whatever the file holds
                    known.clear()
                try:
                    values[name] = known[cell] = by_name[name].read(cell)
                except CellError as error:
                    report.error(number, name, str(error))
                    bad = True
            if bad:
                continue
            site, day = values[SITE], values[DAY]
            refused = refusals.get((site.id, day))
            if refused is None:
                refused = refusals[site.id, day] = site.refuse_day(day)
            if refused:
                report.error(number, DAY, refused)
                continue
            service = values.get(SERVICE)
            stored = (site.id, day, values[TIME], service.id if service else None, values[HANDLING])
            site_days.add((stored[0], stored[1]))
            report.rows += 1
            if report.error_count == 0 and not dry_run:
                yield stored
        if positions is None:
            names = "・".join(c.name for c in columns if c.required)
            report.error(
                None,
                None,
                _("見出しの行が見つかりません（%(names)sの列が必要です）。") % {"names": names},
            )

    try:
        with transaction.atomic():
            before = services.last_reception_id()
            services.insert_receptions(rows())
            if report.error_count or dry_run:
                raise _Rollback
            services.delete_old_receptions(site_days, before)
            services.rebuild_tallies(site_days)
    except _Rollback:
        pass
    else:
        analyze([Reception, ReceptionTally])
    report.days = len(site_days)
    return report


# --- Cashless payments ----------------------------------------------------------------------


class PaymentImporter(Importer):
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
                Column(PAID_ON, parse_date, required=True, blank=False),
                Column(
                    SITE,
                    choice(list(Site.objects.all()), lambda s: s.name),
                    required=True,
                    blank=False,
                ),
                Column(
                    METHOD,
                    choice(list(PaymentMethod.objects.all()), lambda m: m.name),
                    required=True,
                    blank=False,
                ),
                Column(PURPOSE, choice(list(PaymentPurpose), lambda p: str(p.label))),
                Column(
                    COUNT, integer, required=True, blank=False, min_value=0, max_value=MAX_COUNT
                ),
                Column(
                    AMOUNT, integer, required=True, blank=False, min_value=0, max_value=MAX_AMOUNT
                ),
            ]
        return self._columns

    def build(self, sheet: ParsedTable, result: Result) -> None:
        wanted = {}
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
