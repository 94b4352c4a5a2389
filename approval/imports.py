"""Monthly counts per department from the document-management system's CSV (or an .xlsx).

One row per department and month: 部, 年月, 電子決裁件数, 決裁件数. A row adds that month's count
or changes it; months the file lacks are left as they are. Every rule of the admin applies
(electronic within total, not before the department started, no overlapping period), each
error is shown with its row and column, and nothing is written while any remains.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.figures import FigureSource
from core.japanese import ERAS, number, wareki
from dataimport.imports import (
    ADDED,
    CHANGED,
    INVALID,
    CellError,
    Column,
    Importer,
    ParsedTable,
    Result,
    Writer,
    choice,
    compare,
    integer,
    normalise_label,
)

from .models import Department, Measurement, end_of_month
from .selectors import month_label

DEPARTMENT = "部"
MONTH = "年月"
ELECTRONIC = "電子決裁件数"
TOTAL = "決裁件数"
NOTE = "文書管理システムから取込"

ERA_LETTERS = {era.letter: era for era in ERAS} | {era.name: era for era in ERAS}


def parse_month(value: str) -> dt.date:
    """A month: 2022-10, 2022/10, 2022年10月, 令和4年10月, R4.10 (a date in it: 2022-10-01)."""
    text = normalise_label(value)
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})(?:月|[-/.]\d{1,2}日?)?", text)
    year = month = None
    if match:
        year, month = int(match[1]), int(match[2])
    else:
        match = re.fullmatch(r"(令和|平成|R|H)(元|\d{1,2})[.年](\d{1,2})月?", text, re.IGNORECASE)
        if match:
            era = ERA_LETTERS[match[1].upper() if len(match[1]) == 1 else match[1]]
            year = era.year_one + (0 if match[2] == "元" else int(match[2]) - 1)
            month = int(match[3])
    if year is None or not 1 <= month <= 12:
        raise CellError(
            _(
                "「%(value)s」は年月として読めません（例：2022-10、2022年10月、令和4年10月、R4.10）。"
            )
            % {"value": value}
        )
    return dt.date(year, month, 1)


@dataclass
class CountEntry:
    row: int
    department: Department
    period_start: dt.date
    period_end: dt.date
    electronic: int
    total: int
    existing: Measurement | None


def _shown(electronic, total, source) -> dict[str, str]:
    return {
        ELECTRONIC: number(electronic),
        TOTAL: number(total),
        str(Measurement._meta.get_field("source").verbose_name): str(
            dict(FigureSource.choices).get(source, source)
        ),
    }


class MonthlyCountImporter(Importer):
    key = "approval.monthly_counts"
    title = gettext_lazy("電子決裁の月別件数")
    label_column = DEPARTMENT
    instructions = (
        gettext_lazy(
            "文書管理システムから出力した、部ごと・月ごとの決裁件数のCSV（またはExcel）を取り込みます。"
            "列は「部」「年月」「電子決裁件数」「決裁件数」です。"
        ),
        gettext_lazy(
            "年月は 2022-10、2022年10月、令和4年10月、R4.10 のように書きます。"
            "月の途中で電子決裁を始めた部は、開始日からその月の末日までの件数として登録します。"
        ),
        gettext_lazy(
            "ファイルにない月の件数は変更しません。同じ部・同じ月の件数があれば、その件数を変更します。"
        ),
    )

    @cached_property
    def departments(self) -> list[Department]:
        return list(Department.objects.all())

    def declared_columns(self) -> list[Column]:
        return [
            Column(
                DEPARTMENT,
                choice(self.departments, lambda d: d.name),
                required=True,
                blank=False,
            ),
            Column(MONTH, parse_month, required=True, blank=False, one_line=True),
            Column(ELECTRONIC, integer, required=True, blank=False, min_value=0),
            Column(TOTAL, integer, required=True, blank=False, min_value=0),
        ]

    def build(self, sheet: ParsedTable, result: Result) -> None:
        entries: list[CountEntry] = []
        seen: dict[tuple[int, dt.date], int] = {}
        today = timezone.localdate()
        rows = []
        for row in sheet.rows:
            department, month = row.get(DEPARTMENT), row.get(MONTH)
            electronic, total = row.get(ELECTRONIC), row.get(TOTAL)
            if INVALID in (department, month, electronic, total):
                continue
            if electronic > total:
                result.error(
                    row.number,
                    ELECTRONIC,
                    _("電子決裁件数（%(e)s）が決裁件数（%(t)s）を超えています。")
                    % {"e": number(electronic), "t": number(total)},
                )
                continue
            if month > today:
                result.error(row.number, MONTH, _("まだ来ていない月の件数は取り込めません。"))
                continue
            start, end = month, end_of_month(month)
            if department.actual_start is None:
                result.error(
                    row.number,
                    DEPARTMENT,
                    _("%(name)sはまだ電子決裁を始めていません（開始日が空欄です）。")
                    % {"name": department.name},
                )
                continue
            if department.actual_start > end:
                result.error(
                    row.number,
                    MONTH,
                    _("%(name)sが電子決裁を始めた%(start)sより前の月です。")
                    % {"name": department.name, "start": wareki(department.actual_start)},
                )
                continue
            start = max(start, department.actual_start)
            key = (department.pk, month)
            if key in seen:
                result.error(
                    row.number,
                    MONTH,
                    _("%(name)sの%(month)sの件数が%(row)s行目と重複しています。")
                    % {"name": department.name, "month": month_label(month), "row": seen[key]},
                )
                continue
            seen[key] = row.number
            rows.append((row.number, department, start, end, electronic, total))
        if not rows:
            return
        first = min(start for _n, _d, start, _e, _el, _t in rows)
        last = max(end for _n, _d, _s, end, _el, _t in rows)
        stored: dict[int, list[Measurement]] = {}
        for measurement in Measurement.objects.filter(
            department_id__in={d.pk for _n, d, *_rest in rows},
            period_start__lte=last,
            period_end__gte=first,
        ):
            stored.setdefault(measurement.department_id, []).append(measurement)
        for number_, department, start, end, electronic, total in rows:
            same, other = None, None
            for measurement in stored.get(department.pk, []):
                if measurement.period_start > end or measurement.period_end < start:
                    continue
                if (measurement.period_start, measurement.period_end) == (start, end):
                    same = measurement
                else:
                    other = measurement
            if other is not None:
                result.error(
                    number_,
                    MONTH,
                    _(
                        "%(name)sには%(start)s～%(end)sの件数が登録されていて、期間が重なります。"
                        "データ管理でその件数を直すか削除してから取り込んでください。"
                    )
                    % {
                        "name": department.name,
                        "start": wareki(other.period_start),
                        "end": wareki(other.period_end),
                    },
                )
                continue
            entries.append(CountEntry(number_, department, start, end, electronic, total, same))
        if result.errors:
            return
        for entry in entries:
            label = f"{entry.department.name} {month_label(entry.period_start)}"
            after = _shown(entry.electronic, entry.total, FigureSource.COUNTED.value)
            if entry.existing is None:
                result.change(ADDED, label, compare(None, after), entry.row)
                continue
            before = _shown(entry.existing.electronic, entry.existing.total, entry.existing.source)
            fields = compare(before, after)
            if fields:
                result.change(CHANGED, label, fields, entry.row)
        result.plan = [
            e
            for e in entries
            if e.existing is None
            or (e.existing.electronic, e.existing.total, e.existing.source)
            != (e.electronic, e.total, FigureSource.COUNTED.value)
        ]

    def write(self, plan: list[CountEntry], writer: Writer) -> None:
        for entry in plan:
            measurement = entry.existing or Measurement(
                department=entry.department,
                period_start=entry.period_start,
                period_end=entry.period_end,
            )
            measurement.electronic = entry.electronic
            measurement.total = entry.total
            measurement.source = FigureSource.COUNTED.value
            if not measurement.note:
                measurement.note = NOTE
            writer.save(measurement)
