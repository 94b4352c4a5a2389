"""Reads of e-approval (電子決裁): every figure computed once, in the database, as of a date.

The page, the dashboard panel and the workbook's sheets all call these functions; each read is
kept on the ``AsOf`` (``as_of.once``), so a request or a download reads it once. The queries do
not grow with the counts: sums are grouped in the database, lists are bounded.

A rate over several departments or months is the sum of the electronic approvals over the sum
of all approvals, never an average of rates; a zero total has no rate (「－」).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from core import history
from core.figures import Figure, FigureSource
from core.history import AsOf
from core.japanese import era_year, fiscal_year_label, fiscal_year_of, percent, wareki

from .models import (
    Department,
    Measurement,
    PlanRevision,
    PlanStage,
    PublishedRate,
    Target,
    end_of_month,
    first_of_month,
    plan_lines,
    rate_of,
)

NO_RATE = "－"  # a zero total: no rate, not a division error
MONTHS_CHARTED = 24  # the rate over time: the last two years of counts
ACHIEVED, NOT_ACHIEVED, NO_TARGET = "達成", "未達", "目標なし"

RATE_DEFINITION = (
    "電子決裁率＝電子決裁の件数の合計÷決裁件数（紙と電子）の合計。複数の部の率は各部の件数を"
    "合計してから割る（各部の率の平均ではない）。最新の月に件数が登録された部が対象。"
    "決裁件数が0件のときは率を出さない（－）。"
)
ATTAINMENT_DEFINITION = (
    "達成・未達の区分：全庁の電子決裁率（小数第1位に四捨五入）がその月の属する年度の目標以上なら"
    "「達成」、目標未満なら「未達」。目標のない年度は「目標なし」、率のない月は「－」。"
)
PUBLISHED_DEFINITION = (
    "会議資料で公表された率。件数の内訳は公表されていないため、件数から計算した率と合算しない。"
)


def month_label(month: dt.date) -> str:
    """令和4年10月."""
    return f"{era_year(month)}{month.month}月"


def rate_text(rate: Decimal | None) -> str:
    return NO_RATE if rate is None else percent(rate, 1)


def rounded_percent(rate: Decimal) -> Decimal:
    return (Decimal(rate) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def attainment(rate: Decimal | None, target: Decimal | None) -> str:
    """達成 / 未達 against a target in percent, with the bands of ATTAINMENT_DEFINITION."""
    if rate is None:
        return NO_RATE
    if target is None:
        return NO_TARGET
    return ACHIEVED if rounded_percent(rate) >= Decimal(target) else NOT_ACHIEVED


class RateFigure(Figure):
    """A rate that prints 「－」 when there is none (a zero total, or no counts)."""

    @property
    def formatted(self) -> str:
        return NO_RATE if self.value is None else super().formatted

    @property
    def display(self) -> str:
        return self.formatted


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    months, month = [], first_of_month(first)
    while month <= last:
        months.append(month)
        month = end_of_month(month) + dt.timedelta(days=1)
    return months


def _add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


# --- What stood on the date -------------------------------------------------------------------


def measurements(as_of: AsOf) -> QuerySet:
    """The counts as recorded by the date (the live table today), none of a later period."""
    return history.as_of(Measurement, as_of.moment).filter(period_start__lte=as_of.day)


def departments(as_of: AsOf) -> list:
    """Every department as it stood then, in order (a city has a handful; one query)."""
    return as_of.once(
        "approval.departments",
        lambda: list(history.as_of(Department, as_of.moment).order_by("order", "id")),
    )


def department_names(as_of: AsOf) -> dict[int, str]:
    return {d.id: d.name for d in departments(as_of)}


def targets(as_of: AsOf) -> dict[int, Decimal]:
    """Target rate (percent) per fiscal year, as they stood then."""
    return as_of.once(
        "approval.targets",
        lambda: dict(
            history.as_of(Target, as_of.moment)
            .order_by("fiscal_year")
            .values_list("fiscal_year", "rate")
        ),
    )


def target_rows(as_of: AsOf) -> list:
    return list(history.as_of(Target, as_of.moment).order_by("fiscal_year"))


def plan_revisions(as_of: AsOf) -> list:
    return as_of.once(
        "approval.plan",
        lambda: list(history.as_of(PlanRevision, as_of.moment).order_by("order", "id")),
    )


@dataclass(frozen=True)
class PlanSection:
    stage: str
    heading: str
    lines: list[str]
    revisions: list


def plan_sections(as_of: AsOf) -> list[PlanSection]:
    """The plan's stages in the papers' order, each with its lines (○当初の計画 …)."""
    sections = []
    for stage, label in PlanStage.choices:
        revisions = [r for r in plan_revisions(as_of) if r.stage == stage]
        if not revisions:
            continue
        heading = revisions[0].heading or str(label)
        lines = [line for revision in revisions for line in plan_lines(revision.content)]
        sections.append(PlanSection(stage, heading, lines, revisions))
    return sections


def monthly_totals(as_of: AsOf) -> list[dict]:
    """The whole office's sums per month, newest first (the newest MONTHS_CHARTED months with
    counts): one GROUP BY in the database. The current rate and the chart's 全庁 line both
    come from it, so the whole-office rate is always summed by the database."""

    def read():
        rows = (
            measurements(as_of)
            .annotate(month=TruncMonth("period_start"))
            .order_by()
            .values("month")
            .annotate(departments=Count("department_id", distinct=True), **_sums())
            .order_by("-month")[:MONTHS_CHARTED]
        )
        return [{**row, "month": _as_date(row["month"])} for row in rows]

    return as_of.once("approval.monthly_totals", read)


def latest_month(as_of: AsOf) -> dt.date | None:
    """The newest month with counts up to the date."""
    totals = monthly_totals(as_of)
    return totals[0]["month"] if totals else None


def department_months(as_of: AsOf) -> dict[dt.date, dict[int, dict]]:
    """Each department's sums per month, over the months of ``monthly_totals`` (one GROUP BY)."""

    def read():
        totals = monthly_totals(as_of)
        if not totals:
            return {}
        rows = (
            measurements(as_of)
            .filter(period_start__gte=totals[-1]["month"])
            .annotate(month=TruncMonth("period_start"))
            .order_by()
            .values("month", "department_id")
            .annotate(**_sums())
        )
        found: dict[dt.date, dict[int, dict]] = {}
        for row in rows:
            found.setdefault(_as_date(row["month"]), {})[row["department_id"]] = row
        return found

    return as_of.once("approval.department_months", read)


# --- The current rate: whole office and per department ----------------------------------------


@dataclass(frozen=True)
class DepartmentRate:
    department_id: int
    name: str
    electronic: int
    total: int
    period_start: dt.date
    period_end: dt.date
    reconstructed: bool = False

    @property
    def rate(self) -> Decimal | None:
        return rate_of(self.electronic, self.total)

    @property
    def rate_text(self) -> str:
        return rate_text(self.rate)

    @property
    def period_label(self) -> str:
        return f"{wareki(self.period_start)}～{wareki(self.period_end)}"


@dataclass
class CurrentRates:
    month: dt.date | None
    whole: RateFigure
    departments: list[DepartmentRate] = field(default_factory=list)
    department_count: int = 0  # departments whose counts make the whole-office rate
    target: Decimal | None = None  # percent, for the month's fiscal year
    attainment: str = NO_RATE

    @property
    def month_label(self) -> str:
        return month_label(self.month) if self.month else ""

    @property
    def fiscal_year_label(self) -> str:
        return fiscal_year_label(fiscal_year_of(self.month)) if self.month else ""


def _sums():
    reconstructed = Count("id", filter=Q(source=FigureSource.RECONSTRUCTED.value))
    return {
        "electronic_sum": Sum("electronic"),
        "total_sum": Sum("total"),
        "first": Min("period_start"),
        "last": Max("period_end"),
        "reconstructed": reconstructed,
    }


def current_rates(as_of: AsOf) -> CurrentRates:
    """The newest month's rate, whole office and per department (a handful of queries)."""
    return as_of.once("approval.current_rates", lambda: _current_rates(as_of))


def _current_rates(as_of: AsOf) -> CurrentRates:
    totals = monthly_totals(as_of)
    if not totals:
        return CurrentRates(None, whole_rate_figure(as_of, None, {}))
    whole = totals[0]
    month = whole["month"]
    names = department_names(as_of)
    order = {d.id: position for position, d in enumerate(departments(as_of))}
    rows = [
        DepartmentRate(
            department_id=department_id,
            name=names.get(department_id, str(department_id)),
            electronic=row["electronic_sum"],
            total=row["total_sum"],
            period_start=row["first"],
            period_end=row["last"],
            reconstructed=bool(row["reconstructed"]),
        )
        for department_id, row in department_months(as_of).get(month, {}).items()
    ]
    rows.sort(key=lambda r: (order.get(r.department_id, len(order)), r.department_id))
    target = targets(as_of).get(fiscal_year_of(month))
    figure = whole_rate_figure(as_of, month, whole)
    return CurrentRates(
        month=month,
        whole=figure,
        departments=rows,
        department_count=whole["departments"],
        target=target,
        attainment=attainment(figure.value, target),
    )


def counts_updated_on(as_of: AsOf) -> dt.date | None:
    """The day of the newest change to the counts up to the date (データ更新日)."""

    def read():
        records = Measurement.history.all()
        if as_of.moment is not None:
            records = records.filter(history_date__lte=as_of.moment)
        newest = records.aggregate(newest=Max("history_date"))["newest"]
        return timezone.localtime(newest).date() if newest else None

    return as_of.once("approval.updated_on", read)


def whole_rate_figure(as_of: AsOf, month: dt.date | None, sums: dict) -> RateFigure:
    """電子決裁率（全庁）: the sum of the departments' electronic approvals over the sum of all
    their approvals, aggregated in the database."""
    electronic, total = sums.get("electronic_sum"), sums.get("total_sum")
    source = FigureSource.RECONSTRUCTED if sums.get("reconstructed") else FigureSource.COUNTED
    label = _("電子決裁率（全庁）")
    if month is not None:
        label = _("電子決裁率（全庁、%(month)s）") % {"month": month_label(month)}
    return RateFigure(
        key="approval.whole_rate",
        label=str(label),
        value=rate_of(electronic, total),
        unit="%",
        definition=RATE_DEFINITION + " " + ATTAINMENT_DEFINITION,
        source=source,
        period_start=sums.get("first"),
        period_end=sums.get("last") or (None if month else as_of.day),
        numerator=electronic,
        denominator=total,
        numerator_label=str(_("電子決裁")),
        denominator_label=str(_("決裁")),
        updated_on=counts_updated_on(as_of) if month is not None else None,
    )


# --- Published rates (公表値) ------------------------------------------------------------------


def published_rates(as_of: AsOf, limit: int = 5) -> list:
    """The newest whole-office rates published without counts, as they stood then."""

    def read():
        rows = history.as_of(PublishedRate, as_of.moment).filter(department_id__isnull=True)
        return list(rows.order_by("-period_end", "-id")[:limit])

    return as_of.once(f"approval.published.{limit}", read)


def published_figure(rate) -> RateFigure:
    return RateFigure(
        key=f"approval.published_rate_{rate.id}",
        label=str(_("電子決裁率（全庁・公表値）")),
        value=Decimal(rate.rate) / 100,
        unit="%",
        definition=f"{PUBLISHED_DEFINITION}出典：{rate.source}",
        source=FigureSource.PUBLISHED,
        period_start=rate.period_start,
        period_end=rate.period_end,
        updated_on=rate.published_on,
    )


def published_figures(as_of: AsOf, limit: int = 5) -> list[RateFigure]:
    return [published_figure(rate) for rate in published_rates(as_of, limit)]


# --- The rollout --------------------------------------------------------------------------------

STARTED, PLANNED, UNDECIDED = "開始済み", "開始予定", "未定"


@dataclass(frozen=True)
class RolloutRow:
    name: str
    planned_start: dt.date | None
    actual_start: dt.date | None
    cross_department: bool
    notes: str
    status: str


def rollout(as_of: AsOf) -> list[RolloutRow]:
    rows = []
    for d in departments(as_of):
        if d.actual_start and d.actual_start <= as_of.day:
            status = STARTED
        elif d.planned_start:
            status = PLANNED
        else:
            status = UNDECIDED
        rows.append(
            RolloutRow(d.name, d.planned_start, d.actual_start, d.cross_department, d.notes, status)
        )
    return rows


def rollout_counts(as_of: AsOf) -> dict[str, int]:
    """How many departments have started, are planned, are undecided (started/planned/…)."""
    keys = {STARTED: "started", PLANNED: "planned", UNDECIDED: "undecided"}
    counts = dict.fromkeys(keys.values(), 0)
    for row in rollout(as_of):
        counts[keys[row.status]] += 1
    return counts


# --- The rate over time -----------------------------------------------------------------------


@dataclass
class MonthRates:
    month: dt.date
    whole_electronic: int | None
    whole_total: int | None
    departments: dict[int, tuple[int, int]]  # department id → (electronic, total)
    target: Decimal | None  # percent
    published: Decimal | None  # percent, a whole-office rate published for the month

    @property
    def whole_rate(self) -> Decimal | None:
        return rate_of(self.whole_electronic, self.whole_total)

    @property
    def label(self) -> str:
        return month_label(self.month)


@dataclass
class RateSeries:
    months: list[MonthRates]
    departments: list[tuple[int, str]]  # those with counts in the window, in order


def rate_series(as_of: AsOf) -> RateSeries:
    """Monthly rates over the last MONTHS_CHARTED months with counts or a published rate: the
    whole office and each department, summed per month in the database."""
    return as_of.once("approval.rate_series", lambda: _rate_series(as_of))


def _rate_series(as_of: AsOf) -> RateSeries:
    published = published_rates(as_of)
    months_with_data = [m for m in [latest_month(as_of)] if m]
    months_with_data += [first_of_month(r.period_start) for r in published]
    if not months_with_data:
        return RateSeries([], [])
    last = max(months_with_data)
    first = _add_months(last, -(MONTHS_CHARTED - 1))
    whole = {row["month"]: row for row in monthly_totals(as_of)}
    per_department = department_months(as_of)
    seen = {
        department_id
        for month, rows in per_department.items()
        if month >= first
        for department_id in rows
    }
    published_by_month = {}
    for rate in sorted(published, key=lambda r: r.period_end):
        published_by_month[first_of_month(rate.period_start)] = Decimal(rate.rate)
    goals = targets(as_of)
    months = []
    for month in _months(first, last):
        counts = per_department.get(month, {})
        months.append(
            MonthRates(
                month=month,
                whole_electronic=whole.get(month, {}).get("electronic_sum"),
                whole_total=whole.get(month, {}).get("total_sum"),
                departments={
                    d: (row["electronic_sum"], row["total_sum"]) for d, row in counts.items()
                },
                target=goals.get(fiscal_year_of(month)),
                published=published_by_month.get(month),
            )
        )
    # Leading months with nothing at all are left out (a new programme has a short history).
    while months and not (months[0].whole_total is not None or months[0].published is not None):
        months.pop(0)
    ordered = [(d.id, d.name) for d in departments(as_of) if d.id in seen]
    return RateSeries(months, ordered)


def recent_months_start(as_of: AsOf) -> dt.date | None:
    """The first month of the chart's window (the workbook's counts sheet covers it too)."""
    last = latest_month(as_of)
    return _add_months(last, -(MONTHS_CHARTED - 1)) if last else None


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


# --- The counts as a table (data sheet, export) -------------------------------------------------


def count_rows(as_of: AsOf, since: dt.date | None = None):
    """Every count as it stood then (of periods from ``since``), with its department's name,
    in order (a data sheet, an export), read in chunks."""
    names = department_names(as_of)
    counts = measurements(as_of)
    if since is not None:
        counts = counts.filter(period_start__gte=since)
    rows = counts.order_by("period_start", "department_id").values_list(
        "department_id", "period_start", "period_end", "electronic", "total", "source", "note"
    )
    for department_id, start, end, electronic, total, source, note in rows.iterator(2000):
        yield (names.get(department_id, ""), start, end, electronic, total, source, note)
