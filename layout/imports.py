"""Importing the seat plan from .xlsx or CSV in the city's layout (the printed columns).

One row per section: 階数 as printed (1階 for 本庁, 教保 3階), フロア, 現職員数, 現会計年度,
R5職員数, R5会計年度 (the year read from the header), 確保席数, 必要数 and 過不足 as printed
(△ negatives; blank for none). A row is keyed by its floor and section name: a new name adds a
section on that floor. The printed 過不足 is kept as it came in; a row where it disagrees with
確保席数 − 必要数 is listed on the preview and flagged in the table, never corrected. Plans of
the year the file lacks are listed and deleted only when the editor chooses it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.japanese import ERAS
from dataimport.imports import (
    ADDED,
    CHANGED,
    INVALID,
    CellError,
    Column,
    Importer,
    ParsedTable,
    Result,
    Row,
    Writer,
    compare,
    display_number,
    integer,
    normalise_label,
)

from . import datasheet
from .models import MAX_COUNT, Building, Floor, SeatPlan, Section

FLOOR = "階数"
SECTION = "フロア"
STAFF_NOW = "現職員数"
PARTTIME_NOW = "現会計年度"
SECURED = "確保席数"
NEEDED = "必要数"
BALANCE = "過不足"
SECTION_MAX = Section._meta.get_field("name").max_length
REIWA = next(era for era in ERAS if era.name == "令和")


def plan_column_year(header: str, kind: str) -> int | None:
    """R5職員数 → 2023 (kind 職員数 or 会計年度); also 令和5年度職員数 and the data sheet's
    2023年度（令和5年度）職員数 (its two years must agree)."""
    label = normalise_label(header)
    western = re.fullmatch(rf"(\d{{4}})年度(?:\((?:R|令和)(元|\d+)年度\))?{kind}", label)
    if western:
        year = int(western[1])
        if western[2] and _reiwa(western[2]) != year:
            return None
        return year
    match = re.fullmatch(rf"(?:R|令和)(元|\d+)(?:年度)?{kind}", label, flags=re.IGNORECASE)
    if not match:
        return None
    return _reiwa(match[1])


def _reiwa(year: str) -> int:
    return REIWA.year_one + (1 if year == "元" else int(year)) - 1


@dataclass(eq=False)
class Entry:
    row: Row
    floor: Floor
    name: str
    values: dict  # model field → value
    section: Section | None = None  # None: a new section on ``floor``
    plan: SeatPlan | None = None  # None: a new plan for the year
    order: int = 0


@dataclass
class LayoutPlan:
    fiscal_year: int
    entries: list[Entry]
    removals: list[SeatPlan] = field(default_factory=list)


COUNT_COLUMNS = {
    STAFF_NOW: "staff_current",
    PARTTIME_NOW: "parttime_current",
    "plan_staff": "staff_planned",
    "plan_parttime": "parttime_planned",
    SECURED: "seats_secured",
    NEEDED: "seats_needed",
}


def count_column(name: str) -> Column:
    return Column(name, integer, required=True, blank=False, min_value=0, max_value=MAX_COUNT)


class LayoutImporter(Importer):
    key = "layout.seatplan"
    title = gettext_lazy("座席計画")
    sheet_name = datasheet.SHEET_TITLE
    label_column = SECTION
    total_row_note = gettext_lazy("階・建物の計は各行から計算されます")
    instructions = (
        gettext_lazy(
            "資料の表と同じ列（階数・フロア・現職員数・現会計年度・R5職員数・R5会計年度・"
            "確保席数・必要数・過不足）の.xlsx・.csvを取り込みます。R5の数字が計画年度です。"
        ),
        gettext_lazy(
            "階数は資料のとおり（本庁は「1階」、ほかの建物は「教保 3階」）。階数とフロアの組で"
            "行を見分け、新しいフロア名はその階に追加します。"
        ),
        gettext_lazy(
            "過不足は資料に印刷された値（△は負の数、空欄は印刷値なし）をそのまま記録します。"
            "確保席数－必要数と違う行は確認画面と表に示し、直しません。"
        ),
        gettext_lazy(
            "ファイルにない行の計画は削除しません（確認画面で削除を選んだときだけ削除します）。"
        ),
    )

    @classmethod
    def download_url(cls) -> str:
        return reverse("layout:table") + "?export=xlsx"

    def __init__(self):
        self.year_columns: dict[str, tuple[str, int | None]] = {}

    @cached_property
    def buildings(self) -> list[Building]:
        return list(Building.objects.order_by("order"))

    @cached_property
    def floors(self) -> dict[tuple[int, int], Floor]:
        return {(f.building_id, f.number): f for f in Floor.objects.select_related("building")}

    def parse_floor(self, value: str) -> Floor:
        """「1階」 (the building printed without its name), 「教保 3階」, 「本庁1階」."""
        label = normalise_label(value)
        match = re.fullmatch(r"(.*?)(\d+)(?:階|F)", label, flags=re.IGNORECASE)
        if not match:
            raise CellError(
                _("「%(value)s」は階数として読めません（例：1階、教保 3階）。") % {"value": value}
            )
        name, number = match[1], int(match[2])
        if name:
            building = next((b for b in self.buildings if normalise_label(b.name) == name), None)
            if building is None:
                names = "、".join(b.name for b in self.buildings)
                raise CellError(
                    _("建物「%(name)s」は登録されていません（登録済み：%(names)s）。")
                    % {"name": match[1], "names": names or _("なし")}
                )
        else:
            building = next((b for b in self.buildings if not b.named_in_print), None)
            if building is None:
                raise CellError(
                    _("「%(value)s」には建物名が必要です（例：教保 3階）。") % {"value": value}
                )
        if number < 1 or number > building.floor_count:
            raise CellError(
                _("%(building)sは%(count)s階までです。%(number)s階はありません。")
                % {"building": building.name, "count": building.floor_count, "number": number}
            )
        floor = self.floors.get((building.pk, number))
        if floor is None:
            raise CellError(
                _(
                    "%(building)sの%(number)s階は登録されていません。"
                    "データ管理の「階」で追加してから取り込んでください。"
                )
                % {"building": building.name, "number": number}
            )
        return floor

    @cached_property
    def _declared(self) -> list[Column]:
        return [
            Column(FLOOR, self.parse_floor, required=True, blank=False, one_line=True),
            Column(SECTION, required=True, blank=False, one_line=True, max_length=SECTION_MAX),
            count_column(STAFF_NOW),
            count_column(PARTTIME_NOW),
            count_column(SECURED),
            count_column(NEEDED),
            Column(BALANCE, integer, required=True, min_value=-MAX_COUNT, max_value=MAX_COUNT),
            Column(datasheet.COMPUTED, imported=False),
            Column(datasheet.OVER_HEADCOUNT, imported=False),
        ]

    def declared_columns(self) -> list[Column]:
        return self._declared

    def column(self, header: str) -> Column | None:
        """Besides the declared columns: R5職員数 and R5会計年度 (any year)."""
        column = super().column(header)
        if column:
            return column
        for kind, key in (("職員数", "plan_staff"), ("会計年度", "plan_parttime")):
            year = plan_column_year(header, kind)
            if year is not None:
                name = header.strip()
                self.year_columns[key] = (name, year)
                return count_column(name)
        return None

    # --- Validation ----------------------------------------------------------------------

    def _year(self, sheet: ParsedTable, result: Result) -> int | None:
        found = {key: self.year_columns.get(key) for key in ("plan_staff", "plan_parttime")}
        for key, example in (("plan_staff", "R5職員数"), ("plan_parttime", "R5会計年度")):
            if found[key] is None or not sheet.has(found[key][0]):
                result.error(
                    sheet.header_row,
                    example,
                    _("必須の列「%(column)s」（計画年度の人数）がありません。")
                    % {"column": example},
                )
        if result.errors:
            return None
        (staff, staff_year), (parttime, parttime_year) = found["plan_staff"], found["plan_parttime"]
        if staff_year != parttime_year:
            result.error(
                sheet.header_row,
                parttime,
                _("「%(a)s」と「%(b)s」の年度が違います。同じ年度にしてください。")
                % {"a": staff, "b": parttime},
            )
            return None
        if not 1989 <= staff_year <= 2100:
            result.error(sheet.header_row, staff, _("計画年度が範囲外です。"))
            return None
        return staff_year

    def build(self, sheet: ParsedTable, result: Result) -> None:
        year = self._year(sheet, result)
        if year is None:
            return
        columns = {
            **{c: f for c, f in COUNT_COLUMNS.items() if not c.startswith("plan_")},
            self.year_columns["plan_staff"][0]: "staff_planned",
            self.year_columns["plan_parttime"][0]: "parttime_planned",
        }
        sections = {
            (s.floor_id, s.name): s for s in Section.objects.select_related("floor__building")
        }
        existing = {
            p.section_id: p
            for p in SeatPlan.objects.filter(fiscal_year=year).select_related(
                "section__floor__building"
            )
        }
        seen: dict[tuple[int, str], int] = {}
        entries: list[Entry] = []
        for row in sheet.rows:
            entry = self._read_row(row, result, columns, sections, existing, seen)
            if entry is not None:
                entries.append(entry)
        kept = {e.section.pk for e in entries if e.section is not None}
        kept |= {sections[k].pk for k in seen if k in sections}
        missing = [plan for pk, plan in existing.items() if pk not in kept]
        for plan in missing:
            result.not_in_file(
                f"{plan.section.floor.printed_label} {plan.section.name}",
                compare(self._shown(plan, columns), None),
            )
        if result.errors:
            return
        orders: dict[int, int] = {}
        for entry in entries:
            orders[entry.floor.pk] = orders.get(entry.floor.pk, 0) + 1
            entry.order = orders[entry.floor.pk]
        result.plan = LayoutPlan(
            fiscal_year=year,
            entries=entries,
            removals=missing if result.delete_missing else [],
        )

    def _read_row(self, row, result, columns, sections, existing, seen) -> Entry | None:
        errors = len(result.errors)
        floor, name = row.get(FLOOR), row.get(SECTION)
        if floor is not INVALID and name not in (None, INVALID):
            key = (floor.pk, name)
            if key in seen:
                result.error(
                    row.number,
                    SECTION,
                    _(
                        "「%(floor)s %(name)s」が%(row)s行目と重複しています。"
                        "同じフロアの同じ年度の計画は1行にしてください。"
                    )
                    % {"floor": floor.printed_label, "name": name, "row": seen[key]},
                )
            else:
                seen[key] = row.number
        if row.has_errors or len(result.errors) > errors:
            return None
        values = {field: row.get(column) for column, field in columns.items()}
        values["printed_balance"] = row.get(BALANCE)
        section = sections.get((floor.pk, name))
        plan = existing.get(section.pk) if section is not None else None
        computed = values["seats_secured"] - values["seats_needed"]
        printed = values["printed_balance"]
        if printed is not None and printed != computed:
            result.notice(
                _(
                    "%(row)s行目「%(floor)s %(name)s」：過不足の印刷値%(printed)sは確保席数－必要数"
                    "（%(computed)s）と違います。印刷値のまま記録し、表で印を付けます。"
                )
                % {
                    "row": row.number,
                    "floor": floor.printed_label,
                    "name": name,
                    "printed": display_number(printed),
                    "computed": display_number(computed),
                }
            )
        if plan is not None and plan.printed_balance is None and printed == computed:
            values["printed_balance"] = None  # a computed figure downloaded and read back
        entry = Entry(row, floor, name, values, section, plan)
        label = f"{floor.printed_label} {name}"
        after = self._shown_values(floor, name, values, columns)
        if plan is None:
            result.change(ADDED, label, compare(None, after), row.number)
        else:
            changes = compare(self._shown(plan, columns), after)
            if changes:
                result.change(CHANGED, label, changes, row.number)
        return entry

    @staticmethod
    def _shown_values(floor: Floor, name: str, values: dict, columns: dict | None = None) -> dict:
        """A row as the sheet shows it (the preview compares these)."""
        shown = {FLOOR: floor.printed_label, SECTION: name}
        for column, field_name in (columns or _default_columns(values)).items():
            shown[column] = display_number(values[field_name])
        shown[BALANCE] = display_number(values["printed_balance"])
        return shown

    def _shown(self, plan: SeatPlan, columns: dict | None = None) -> dict:
        values = {f: getattr(plan, f) for f in (*COUNT_COLUMNS.values(), "printed_balance")}
        return self._shown_values(plan.section.floor, plan.section.name, values, columns)

    # --- Writing -------------------------------------------------------------------------

    def write(self, plan: LayoutPlan, writer: Writer) -> None:
        for entry in plan.entries:
            if entry.section is None:
                entry.section = Section(floor=entry.floor, name=entry.name, order=entry.order)
                writer.save(entry.section)
            elif entry.section.order != entry.order:
                entry.section.order = entry.order
                writer.save(entry.section, ["order"])
        writer.flush()  # new sections' pks before their plans
        for entry in plan.entries:
            instance = entry.plan or SeatPlan(section=entry.section, fiscal_year=plan.fiscal_year)
            changed = entry.plan is None
            for name, value in entry.values.items():
                if getattr(instance, name) != value:
                    setattr(instance, name, value)
                    changed = True
            if changed:
                writer.save(instance)
        for removal in plan.removals:
            writer.delete(removal)


def _default_columns(values: dict) -> dict:
    return {
        STAFF_NOW: "staff_current",
        PARTTIME_NOW: "parttime_current",
        _("計画職員数"): "staff_planned",
        _("計画会計年度"): "parttime_planned",
        SECURED: "seats_secured",
        NEEDED: "seats_needed",
    }
