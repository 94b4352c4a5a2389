"""Reads of the floor-seat plan: every figure computed once, in the database.

過不足 = 確保席数 − 必要数 per row, floor and building, summed by the database; a row whose
printed 過不足 disagrees with the computed one is flagged by the database too. Each function
takes the ``AsOf`` (the plan as it stood on a date, from the change history) and the page's
choices; queries do not grow with the rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    Max,
    Q,
    QuerySet,
    Sum,
)
from django.utils.translation import gettext as _

from core.figures import Figure, FigureSource
from core.history import AsOf
from core.history import as_of as rows_as_of
from core.japanese import fiscal_year_abbr, fiscal_year_label, number

from .models import Floor, SeatPlan, floor_label

MAX_ROWS = 500  # rows a page or panel lists; totals always cover every row
MAX_GROUPS = 500  # floors or buildings listed
FLAGGED_SHOWN = 50

BALANCE = F("seats_secured") - F("seats_needed")
COUNTS = (
    "staff_current",
    "parttime_current",
    "staff_planned",
    "parttime_planned",
    "seats_secured",
    "seats_needed",
)
FLOOR = "section__floor"
BUILDING = "section__floor__building"


def mismatch_q() -> Q:
    """A printed 過不足 that disagrees with 確保席数 − 必要数 (no printed value: no flag)."""
    return Q(printed_balance__isnull=False) & ~Q(printed_balance=BALANCE)


def plans(as_of: AsOf) -> QuerySet:
    """The seat plans as they stood on the day (the live table today).

    Sections, floors and buildings are read as they are now (their names).
    """
    return rows_as_of(SeatPlan, as_of.moment)


def fiscal_years(as_of: AsOf) -> list[int]:
    """The plan years there are data for, newest first (one query, once per request)."""
    return as_of.once(
        "layout.fiscal_years",
        lambda: list(
            plans(as_of).order_by("-fiscal_year").values_list("fiscal_year", flat=True).distinct()
        ),
    )


def default_year(as_of: AsOf) -> int | None:
    """The newest plan year on the day (the 令和5年度 plan in the papers)."""
    years = fiscal_years(as_of)
    return years[0] if years else None


@dataclass(frozen=True)
class Scope:
    """What a page shows: one plan year, optionally one building or floor, and row filters."""

    fiscal_year: int | None
    building: int | None = None
    floor: int | None = None
    short_only: bool = False  # rows whose computed 過不足 is negative
    flagged_only: bool = False  # rows whose printed 過不足 disagrees
    keyword: str = ""

    @property
    def key(self) -> str:
        return repr(self)

    @property
    def filters_rows(self) -> bool:
        return self.short_only or self.flagged_only or bool(self.keyword)


def scoped(as_of: AsOf, scope: Scope) -> QuerySet:
    """The plans of the scope's year, building and floor (every row: what totals cover)."""
    qs = plans(as_of).filter(fiscal_year=scope.fiscal_year)
    if scope.building:
        qs = qs.filter(**{f"{BUILDING}_id": scope.building})
    if scope.floor:
        qs = qs.filter(**{f"{FLOOR}_id": scope.floor})
    return qs


def filtered(as_of: AsOf, scope: Scope) -> QuerySet:
    """The scope's rows after the row filters (short, flagged, keyword)."""
    qs = scoped(as_of, scope)
    if scope.short_only:
        qs = qs.filter(seats_secured__lt=F("seats_needed"))
    if scope.flagged_only:
        qs = qs.filter(mismatch_q())
    if scope.keyword:
        qs = qs.filter(section__name__icontains=scope.keyword)
    return qs


@dataclass
class PlanRow:
    """One printed row, with what the database computed for it."""

    id: int
    section_id: int
    section: str
    floor_id: int
    floor: str  # as the 階数 column prints it: 1階, 教保 3階
    building_id: int
    building: str
    fiscal_year: int
    staff_current: int
    parttime_current: int
    staff_planned: int
    parttime_planned: int
    seats_secured: int
    seats_needed: int
    printed_balance: int | None
    balance: int  # 確保席数 − 必要数, computed
    mismatch: bool  # the printed 過不足 disagrees with ``balance``
    needed_over_headcount: int  # 必要数 − (職員数 + 会計年度), information

    @property
    def short(self) -> bool:
        return self.balance < 0

    @property
    def label(self) -> str:
        return f"{self.floor} {self.section}"


ROW_FIELDS = {
    "section_ref": F("section_id"),
    "section_name": F("section__name"),
    "floor_ref": F(f"{FLOOR}_id"),
    "floor_number": F(f"{FLOOR}__number"),
    "building_ref": F(f"{BUILDING}_id"),
    "building_name": F(f"{BUILDING}__name"),
    "named": F(f"{BUILDING}__named_in_print"),
}


def _row_values(qs: QuerySet) -> QuerySet:
    """The rows in printed order (building, floor, section), computed in one query."""
    return (
        qs.annotate(
            computed=BALANCE,
            flagged=ExpressionWrapper(mismatch_q(), output_field=BooleanField()),
            over=F("seats_needed") - F("staff_planned") - F("parttime_planned"),
        )
        .order_by(f"{BUILDING}__order", f"{FLOOR}__number", "section__order", "section_id", "id")
        .values(
            "id",
            "fiscal_year",
            *COUNTS,
            "printed_balance",
            "computed",
            "flagged",
            "over",
            **ROW_FIELDS,
        )
    )


def _plan_row(v: dict) -> PlanRow:
    return PlanRow(
        id=v["id"],
        section_id=v["section_ref"],
        section=v["section_name"],
        floor_id=v["floor_ref"],
        floor=floor_label(v["building_name"], v["floor_number"], v["named"]),
        building_id=v["building_ref"],
        building=v["building_name"],
        fiscal_year=v["fiscal_year"],
        **{name: v[name] for name in COUNTS},
        printed_balance=v["printed_balance"],
        balance=v["computed"],
        mismatch=bool(v["flagged"]),
        needed_over_headcount=v["over"],
    )


def _rows(qs: QuerySet, limit: int) -> list[PlanRow]:
    return [_plan_row(v) for v in _row_values(qs)[:limit]]


def iter_rows(as_of: AsOf, scope: Scope) -> Iterator[PlanRow]:
    """Every row of the scope after its filters, as the database sends them (downloads and
    the workbook's data sheet: the data behind the page, not only the rows it lists)."""
    for values in _row_values(filtered(as_of, scope)).iterator(chunk_size=2_000):
        yield _plan_row(values)


@dataclass
class Total:
    """The sums of a floor, a building or the whole plan."""

    key: int | None
    label: str
    staff_current: int = 0
    parttime_current: int = 0
    staff_planned: int = 0
    parttime_planned: int = 0
    seats_secured: int = 0
    seats_needed: int = 0
    rows: int = 0
    flagged: int = 0
    building_id: int | None = None

    @property
    def balance(self) -> int:
        return self.seats_secured - self.seats_needed

    @property
    def short(self) -> bool:
        return self.balance < 0


def _sums() -> dict:
    return {
        **{f"sum_{name}": Sum(name) for name in COUNTS},
        "row_count": Count("id"),
        "flag_count": Count("id", filter=mismatch_q()),
    }


def _total(key, label, values: dict, building_id=None) -> Total:
    return Total(
        key=key,
        label=label,
        **{name: values[f"sum_{name}"] or 0 for name in COUNTS},
        rows=values["row_count"],
        flagged=values["flag_count"],
        building_id=building_id,
    )


def floor_totals(as_of: AsOf, scope: Scope) -> list[Total]:
    """Per floor, in printed order (one query, grouped by the database)."""

    def compute():
        groups = (
            scoped(as_of, scope)
            .values(
                f"{FLOOR}_id",
                f"{FLOOR}__number",
                f"{BUILDING}_id",
                f"{BUILDING}__name",
                f"{BUILDING}__named_in_print",
                f"{BUILDING}__order",
            )
            .annotate(**_sums())
            .order_by(f"{BUILDING}__order", f"{FLOOR}__number")
        )[:MAX_GROUPS]
        return [
            _total(
                g[f"{FLOOR}_id"],
                floor_label(
                    g[f"{BUILDING}__name"], g[f"{FLOOR}__number"], g[f"{BUILDING}__named_in_print"]
                ),
                g,
                g[f"{BUILDING}_id"],
            )
            for g in groups
        ]

    return as_of.once(f"layout.floor_totals.{scope.key}", compute)


def building_totals(as_of: AsOf, scope: Scope) -> list[Total]:
    """Per building, in printed order (one query)."""

    def compute():
        groups = (
            scoped(as_of, scope)
            .values(f"{BUILDING}_id", f"{BUILDING}__name", f"{BUILDING}__order")
            .annotate(**_sums())
            .order_by(f"{BUILDING}__order")
        )[:MAX_GROUPS]
        return [
            _total(g[f"{BUILDING}_id"], g[f"{BUILDING}__name"], g, g[f"{BUILDING}_id"])
            for g in groups
        ]

    return as_of.once(f"layout.building_totals.{scope.key}", compute)


def grand_total(as_of: AsOf, scope: Scope) -> Total:
    """The whole scope: the sum of its floors when every floor was read (no query), else
    summed by the database."""

    def compute():
        floors = floor_totals(as_of, scope)
        if len(floors) < MAX_GROUPS:
            total = Total(None, _("合計"))
            for floor in floors:
                for name in (*COUNTS, "rows", "flagged"):
                    setattr(total, name, getattr(total, name) + getattr(floor, name))
            return total
        return _total(None, _("合計"), scoped(as_of, scope).aggregate(**_sums()))

    return as_of.once(f"layout.grand_total.{scope.key}", compute)


def rows(as_of: AsOf, scope: Scope, limit: int = MAX_ROWS) -> list[PlanRow]:
    return as_of.once(
        f"layout.rows.{scope.key}.{limit}", lambda: _rows(filtered(as_of, scope), limit)
    )


def row_count(as_of: AsOf, scope: Scope) -> int:
    return as_of.once(f"layout.row_count.{scope.key}", lambda: filtered(as_of, scope).count())


def flagged_rows(as_of: AsOf, scope: Scope, limit: int = FLAGGED_SHOWN) -> list[PlanRow]:
    """Rows whose printed 過不足 disagrees with the computed one (the papers have two)."""
    return as_of.once(
        f"layout.flagged.{scope.key}.{limit}",
        lambda: _rows(scoped(as_of, scope).filter(mismatch_q()), limit),
    )


# --- The table as printed: rows grouped by floor, floor subtotals, building totals ------------


@dataclass
class FloorBlock:
    total: Total
    rows: list[PlanRow] = field(default_factory=list)


@dataclass
class BuildingBlock:
    total: Total
    floors: list[FloorBlock] = field(default_factory=list)


@dataclass
class LayoutTable:
    scope: Scope
    buildings: list[BuildingBlock]
    grand: Total
    shown: int  # rows listed
    count: int  # rows matching the filters

    @property
    def fiscal_year_label(self) -> str:
        return fiscal_year_label(self.scope.fiscal_year)

    @property
    def headers(self) -> list[str]:
        return column_headers(self.scope.fiscal_year)

    @property
    def cut(self) -> bool:
        return self.shown < self.count

    @property
    def floors(self) -> list[FloorBlock]:
        return [floor for building in self.buildings for floor in building.floors]


def column_headers(fiscal_year: int | None, year_label=fiscal_year_abbr) -> list[str]:
    """The printed table's header: 階数 フロア 現職員数 現会計年度 R5職員数 R5会計年度 ….

    ``year_label`` names the plan's year: R5 as printed; the data sheet gives
    2023年度（令和5年度） (the Western year first, as the ministry's rules ask).
    """
    year = year_label(fiscal_year) if fiscal_year else _("計画")
    return [
        _("階数"),
        _("フロア"),
        _("現職員数"),
        _("現会計年度"),
        _("%(year)s職員数") % {"year": year},
        _("%(year)s会計年度") % {"year": year},
        _("確保席数"),
        _("必要数"),
        _("過不足"),
    ]


def layout_table(as_of: AsOf, scope: Scope) -> LayoutTable:
    """The printed table: every floor of the scope with its subtotal, every building with its
    total, the rows that match the filters under their floor, and how many match (four
    queries, five with row filters, however many rows)."""

    def compute():
        listed = rows(as_of, scope)
        grand = grand_total(as_of, scope)
        # Without row filters every row of the scope matches: the floors counted them.
        count = row_count(as_of, scope) if scope.filters_rows else grand.rows
        floors = {t.key: FloorBlock(t) for t in floor_totals(as_of, scope)}
        for row in listed:
            block = floors.get(row.floor_id)
            if block is not None:
                block.rows.append(row)
        buildings = {t.key: BuildingBlock(t) for t in building_totals(as_of, scope)}
        for block in floors.values():
            if scope.filters_rows and not block.rows:
                continue
            building = buildings.get(block.total.building_id)
            if building is not None:
                building.floors.append(block)
        return LayoutTable(
            scope=scope,
            buildings=[b for b in buildings.values() if b.floors],
            grand=grand,
            shown=len(listed),
            count=count,
        )

    return as_of.once(f"layout.table.{scope.key}", compute)


# --- Figures -------------------------------------------------------------------------------


def _period(as_of: AsOf) -> dict:
    return {"period_end": as_of.day}


def balance_figure(as_of: AsOf, scope: Scope) -> Figure:
    total = grand_total(as_of, scope)
    return Figure(
        key="layout-balance",
        label=_("%(year)sの座席の過不足（全体）") % {"year": fiscal_year_label(scope.fiscal_year)},
        value=total.balance,
        unit=_("席"),
        definition=_(
            "確保席数の合計－必要数の合計（確保席数%(secured)s席、必要数%(needed)s席）。△は不足。"
        )
        % {"secured": number(total.seats_secured), "needed": number(total.seats_needed)},
        source=FigureSource.COUNTED,
        numerator=total.seats_secured,
        denominator=total.seats_needed,
        numerator_label=_("確保席数"),
        denominator_label=_("必要数"),
        **_period(as_of),
    )


def short_floors(as_of: AsOf, scope: Scope) -> list[Total]:
    return [t for t in floor_totals(as_of, scope) if t.short]


def short_floor_figure(as_of: AsOf, scope: Scope) -> Figure:
    return Figure(
        key="layout-short-floors",
        label=_("席が足りない階"),
        value=len(short_floors(as_of, scope)),
        unit=_("階"),
        definition=_("階ごとの確保席数の合計が必要数の合計より少ない階の数。"),
        source=FigureSource.COUNTED,
        **_period(as_of),
    )


def flagged_figure(as_of: AsOf, scope: Scope) -> Figure:
    return Figure(
        key="layout-flagged",
        label=_("過不足の印刷値が計算と違う行"),
        value=grand_total(as_of, scope).flagged,
        unit=_("行"),
        definition=_(
            "資料に印刷された（取り込んだ）過不足が、確保席数－必要数と一致しない行の数。"
            "印刷値は直さずに記録し、表で印を付けています。"
        ),
        source=FigureSource.COUNTED,
        **_period(as_of),
    )


def figures(as_of: AsOf, scope: Scope) -> list[Figure]:
    return [
        balance_figure(as_of, scope),
        short_floor_figure(as_of, scope),
        flagged_figure(as_of, scope),
    ]


def default_scope(as_of: AsOf) -> Scope:
    return Scope(fiscal_year=default_year(as_of))


def floors_for_choices() -> Iterable[Floor]:
    return Floor.objects.select_related("building").order_by("building__order", "number")


def latest_year() -> int | None:
    return SeatPlan.objects.aggregate(year=Max("fiscal_year"))["year"]
