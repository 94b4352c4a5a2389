"""Every figure of the counter, computed once in the database for any period and site.

Receptions are read from the daily tallies with their hours (``ReceptionTally``; for every
site, their totals): a period is one range scan of the (site, day) index, so each figure is one
aggregate query over one row a day, whatever the number of receptions or sites behind it. Rates are always the sum of the numerators
over the sum of the denominators, never an average of rates. Each function takes the ``AsOf``
(days after it are not counted) and the page's filter; ``as_of.once`` keeps a result for the
rest of the request or download, so the page, the panel and the workbook read it once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Count, DateField, IntegerField, Max, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, ExtractWeekDay, TruncMonth, TruncWeek
from django.utils.translation import gettext as _

from core.figures import Figure, FigureSource
from core.history import AsOf
from core.japanese import fiscal_year_bounds, wareki

from .models import (
    HOURS,
    CashlessPayment,
    CounterPlan,
    CounterRequest,
    DataOrigin,
    PaymentMethod,
    PublishedFigure,
    ReceptionTally,
    Site,
    handled_in,
    received_in,
)

# The period the 2022-11-01 papers report on: the page opens on it.
SOURCE_PERIOD = (dt.date(2022, 5, 9), dt.date(2022, 10, 21))
STALE_AFTER_DAYS = 7  # receptions are imported nightly: older than a week is stale
WEEKDAYS = ("日", "月", "火", "水", "木", "金", "土")  # ExtractWeekDay: 1 = Sunday
BUSIEST_SHOWN = 3
LIST_LIMIT = 200  # requests and plans are few; a page never lists more than this


@dataclass(frozen=True)
class CounterFilter:
    """A period (both days included) and a site (None: every site)."""

    start: dt.date
    end: dt.date
    site_id: int | None = None

    @classmethod
    def source_period(cls) -> CounterFilter:
        return cls(*SOURCE_PERIOD)

    @classmethod
    def fiscal_year_to(cls, day: dt.date) -> CounterFilter:
        """The fiscal year (年度) of ``day`` up to ``day``: the dashboard's and workbook's."""
        start, _end = fiscal_year_bounds(day.year if day.month >= 4 else day.year - 1)
        return cls(start, day)

    def until(self, as_of: AsOf) -> dt.date:
        """The last day counted: the period's end, or the as-of day if earlier."""
        return min(self.end, as_of.day)

    @property
    def key(self) -> str:
        return f"{self.start}.{self.end}.{self.site_id}"


def _tallies(as_of: AsOf, f: CounterFilter) -> QuerySet[ReceptionTally]:
    """The daily tallies of the period: of the site, or the totals over every site."""
    rows = ReceptionTally.objects.filter(day__gte=f.start, day__lte=f.until(as_of))
    if f.site_id is None:
        return rows.filter(site__isnull=True)
    return rows.filter(site_id=f.site_id)


def _payments(as_of: AsOf, f: CounterFilter) -> QuerySet[CashlessPayment]:
    rows = CashlessPayment.objects.filter(paid_on__gte=f.start, paid_on__lte=f.until(as_of))
    if f.site_id is not None:
        rows = rows.filter(site_id=f.site_id)
    return rows


ZERO = Value(0, output_field=IntegerField())
RECEIVED = Coalesce(Sum("received"), ZERO)
HANDLED = Coalesce(Sum("handled"), ZERO)


def rate(handled: int, received: int) -> float | None:
    return handled / received if received else None


def _source(reconstructed: int) -> FigureSource:
    return FigureSource.RECONSTRUCTED if reconstructed else FigureSource.COUNTED


@dataclass(frozen=True)
class ReceptionTotals:
    received: int
    handled: int
    reconstructed: bool  # some rows behind it are reconstructed demo data
    updated_on: dt.date | None

    @property
    def rate(self) -> float | None:
        return rate(self.handled, self.received)

    @property
    def source(self) -> FigureSource:
        return _source(self.reconstructed)


def reception_totals(as_of: AsOf, f: CounterFilter) -> ReceptionTotals:
    """Receptions, handled at the general counter, and where the rows came from: one query."""

    def compute():
        row = _tallies(as_of, f).aggregate(
            received=RECEIVED,
            handled=HANDLED,
            reconstructed=Count("pk", filter=Q(origin=DataOrigin.RECONSTRUCTED)),
            updated_on=Max("day"),
        )
        return ReceptionTotals(
            row["received"], row["handled"], bool(row["reconstructed"]), row["updated_on"]
        )

    return as_of.once(f"counter.totals.{f.key}", compute)


def reception_figures(as_of: AsOf, f: CounterFilter) -> list[Figure]:
    """総合受付件数, うち総合窓口での処理件数, 受付率 (as the papers label them)."""
    totals = reception_totals(as_of, f)
    common = {
        "source": totals.source,
        "period_start": f.start,
        "period_end": f.until(as_of),
        "updated_on": totals.updated_on,
        "stale_after_days": STALE_AFTER_DAYS,
    }
    return [
        Figure(
            key="counter_received",
            label=_("総合受付件数"),
            value=totals.received,
            unit="件",
            definition=_("期間中に総合窓口で受け付けた件数（受付システムの受付の数）。"),
            **common,
        ),
        Figure(
            key="counter_handled",
            label=_("うち総合窓口での処理件数"),
            value=totals.handled,
            unit="件",
            definition=_("受け付けたうち、担当課へ回さず総合窓口で処理を終えた件数。"),
            **common,
        ),
        Figure(
            key="counter_rate",
            label=_("受付率"),
            value=totals.rate,
            unit="%",
            definition=_("総合窓口での処理件数 ÷ 総合受付件数（期間の合計どうしの比）。"),
            numerator=totals.handled,
            denominator=totals.received,
            numerator_label=_("処理"),
            denominator_label=_("受付"),
            **common,
        ),
    ]


@dataclass(frozen=True)
class Bucket:
    """One group of a breakdown (an hour, a weekday, a week, a month)."""

    key: object
    label: str
    received: int
    handled: int

    @property
    def rate(self) -> float | None:
        return rate(self.handled, self.received)


def _hour_sums_sql(site: bool) -> str:
    """One row: the 24 + 24 hour columns of the period's tallies, summed. Written as SQL once:
    the ORM took longer to build and compile an aggregate of 48 sums than the database took to
    answer it (half the page's time)."""
    table = ReceptionTally._meta.db_table
    sums = ", ".join(
        f"COALESCE(SUM({column}), 0)"
        for hour in HOURS
        for column in (received_in(hour), handled_in(hour))
    )
    where = "site_id = %s" if site else "site_id IS NULL"
    return f"SELECT {sums} FROM {table} WHERE day >= %s AND day <= %s AND {where}"


HOUR_SUMS_SQL = {site: _hour_sums_sql(site) for site in (False, True)}


def by_hour(as_of: AsOf, f: CounterFilter) -> list[Bucket]:
    """参考1: receptions per hour of day (10 → 10時台): the 24 + 24 hour columns summed in one
    query; hours from the first to the last with a reception."""

    def compute():
        adapt = connection.ops.adapt_datefield_value
        params = [adapt(f.start), adapt(f.until(as_of))]
        if f.site_id is not None:
            params.append(f.site_id)
        with connection.cursor() as cursor:
            cursor.execute(HOUR_SUMS_SQL[f.site_id is not None], params)
            sums = [int(value) for value in cursor.fetchone()]
        received = {hour: sums[2 * hour] for hour in HOURS}
        handled = {hour: sums[2 * hour + 1] for hour in HOURS}
        busy = [hour for hour in HOURS if received[hour]]
        if not busy:
            return []
        return [
            Bucket(hour, _("%(hour)s時台") % {"hour": hour}, received[hour], handled[hour])
            for hour in range(busy[0], busy[-1] + 1)
        ]

    return as_of.once(f"counter.hours.{f.key}", compute)


def busiest_hours(buckets: list[Bucket], shown: int = BUSIEST_SHOWN) -> list[Bucket]:
    """The hours with the most receptions, busiest first (ties: the earlier hour)."""
    ranked = sorted((b for b in buckets if b.received), key=lambda b: (-b.received, b.key))
    return ranked[:shown]


WEEKDAY, WEEK, MONTH = 0, 1, 2


def _breakdowns(as_of: AsOf, f: CounterFilter) -> dict[int, list[Bucket]]:
    """Receptions per weekday, per week and per month of the period, from summed counts: three
    ``GROUP BY`` of the tallies sent as one ``UNION ALL`` (one round trip to the database for
    the three breakdowns the page draws)."""

    def grouped(kind: int, weekday, period):
        return (
            _tallies(as_of, f)
            .order_by()
            .annotate(kind=Value(kind, output_field=IntegerField()), w=weekday, p=period)
            .values("kind", "w", "p")
            .annotate(r=RECEIVED, h=HANDLED)
            .values_list("kind", "w", "p", "r", "h")
        )

    def compute():
        none = Value(0, output_field=IntegerField())
        no_day = Value(None, output_field=DateField())
        rows = grouped(WEEK, none, TruncWeek("day")).union(
            grouped(MONTH, none, TruncMonth("day")),
            grouped(WEEKDAY, ExtractWeekDay("day"), no_day),
            all=True,
        )
        found: dict[int, list] = {WEEKDAY: [], WEEK: [], MONTH: []}
        week_label, weekday_label = _("%(day)sの週"), _("%(day)s曜日")
        for kind, weekday, period, r, h in rows:
            if isinstance(period, dt.datetime):
                period = period.date()
            if kind == WEEKDAY:
                label = weekday_label % {"day": WEEKDAYS[weekday - 1]}
                found[kind].append(Bucket(weekday, label, r, h))
            elif kind == WEEK:
                found[kind].append(Bucket(period, week_label % {"day": wareki(period)}, r, h))
            else:
                found[kind].append(Bucket(period, wareki(period).rsplit("月", 1)[0] + "月", r, h))
        found[WEEKDAY].sort(key=lambda b: (b.key + 5) % 7)  # Monday (2) first
        found[WEEK].sort(key=lambda b: b.key)
        found[MONTH].sort(key=lambda b: b.key)
        return found

    return as_of.once(f"counter.breakdowns.{f.key}", compute)


def by_weekday(as_of: AsOf, f: CounterFilter) -> list[Bucket]:
    """Receptions per weekday (月…金; 土日 if any), Monday first."""
    return _breakdowns(as_of, f)[WEEKDAY]


def rate_by_week(as_of: AsOf, f: CounterFilter) -> list[Bucket]:
    """参考2: the rate per week (weeks start on Monday), from summed counts."""
    return _breakdowns(as_of, f)[WEEK]


def rate_by_month(as_of: AsOf, f: CounterFilter) -> list[Bucket]:
    """参考2 by month, from summed counts."""
    return _breakdowns(as_of, f)[MONTH]


@dataclass(frozen=True)
class MethodTotal:
    method_id: int | None
    name: str
    count: int
    amount: int


@dataclass(frozen=True)
class CashlessTotals:
    methods: list[MethodTotal]
    reconstructed: bool
    updated_on: dt.date | None

    @property
    def count(self) -> int:
        return sum(m.count for m in self.methods)

    @property
    def amount(self) -> int:
        return sum(m.amount for m in self.methods)


def cashless(as_of: AsOf, f: CounterFilter) -> CashlessTotals:
    """Payments by method in the method list's order, with the total: one query (the total is
    the sum of the method rows the database returned)."""

    def compute():
        rows = (
            _payments(as_of, f)
            .values("method_id", "method__name", "method__order")
            .annotate(
                n=Coalesce(Sum("count"), ZERO),
                yen=Coalesce(Sum("amount"), ZERO),
                reconstructed=Count("pk", filter=Q(origin=DataOrigin.RECONSTRUCTED)),
                last=Max("paid_on"),
            )
            .order_by("method__order", "method_id")
        )
        rows = list(rows)
        return CashlessTotals(
            [MethodTotal(r["method_id"], r["method__name"], r["n"], r["yen"]) for r in rows],
            any(r["reconstructed"] for r in rows),
            max((r["last"] for r in rows), default=None),
        )

    return as_of.once(f"counter.cashless.{f.key}", compute)


def cashless_figures(as_of: AsOf, f: CounterFilter) -> list[Figure]:
    totals = cashless(as_of, f)
    common = {
        "source": _source(totals.reconstructed),
        "period_start": f.start,
        "period_end": f.until(as_of),
        "updated_on": totals.updated_on,
    }
    return [
        Figure(
            key="counter_cashless_count",
            label=_("キャッシュレス決済件数"),
            value=totals.count,
            unit="件",
            definition=_("窓口でキャッシュレス決済（d払い・auPay・PayPayなど）で支払われた件数。"),
            **common,
        ),
        Figure(
            key="counter_cashless_amount",
            label=_("キャッシュレス決済金額"),
            value=totals.amount,
            unit="円",
            definition=_("窓口でキャッシュレス決済で支払われた金額の合計。"),
            **common,
        ),
    ]


def published_figures(as_of: AsOf, keys: tuple[str, ...] | None = None) -> list[Figure]:
    """The totals as the papers printed them (公表値), as recorded by the day: one query (and,
    for a past day, the walk of their history that ``AsOf.rows`` keeps for the request)."""

    def compute():
        rows = as_of.rows(PublishedFigure).order_by("order", "id")
        if keys is not None:
            rows = rows.filter(key__in=keys)
        figures = []
        for row in rows:
            value = row.value
            if row.unit != "%":
                value = int(value)
            elif isinstance(value, Decimal):
                value = float(value)
            figures.append(
                Figure(
                    key=f"counter_published_{row.key}",
                    label=row.label,
                    value=value,
                    unit=row.unit,
                    definition=_("%(source)sに印刷された値。") % {"source": row.published_in},
                    source=FigureSource.PUBLISHED,
                    period_start=row.period_start,
                    period_end=row.period_end,
                )
            )
        return figures

    return as_of.once(f"counter.published.{keys}", compute)


@dataclass(frozen=True)
class SiteAsOf:
    """A site as the page shows it on a day: its name then, and its counter's opening day as
    recorded by then (None: not open, or not yet recorded)."""

    id: int
    name: str
    opened_on: dt.date | None
    order: int


def site_list(as_of: AsOf) -> list[SiteAsOf]:
    """Every site the receptions can name, with its name and opening day as of the day.

    Receptions and tallies (machine data, no history) refer to the live sites, so every live
    site is listed; a site's name and opening day are those of its latest history record up to
    the day (a site recorded only later keeps today's name, and no opening day). One query
    today, two for a past day (the live rows and the sites' history up to it).
    """

    def compute():
        live = list(
            Site.objects.order_by("order", "id").values_list(
                "id", "name", "order", "counter_opened_on"
            )
        )
        if as_of.moment is None:
            return [SiteAsOf(pk, name, opened, order) for pk, name, order, opened in live]
        then = {}
        records = (
            Site.history.filter(history_date__lte=as_of.moment)
            .order_by("history_date", "history_id")
            .values_list("id", "name", "counter_opened_on", "order", "history_type")
        )
        for pk, name, opened_on, order, kind in records:
            then[pk] = None if kind == "-" else (name, opened_on, order)
        rows = []
        for pk, name, order, _opened in live:
            known = then.get(pk)
            rows.append(
                SiteAsOf(pk, known[0], known[1], known[2])
                if known
                else SiteAsOf(pk, name, None, order)
            )
        return sorted(rows, key=lambda s: (s.order, s.id))

    return as_of.once("counter.sites", compute)


def site_names(as_of: AsOf) -> dict[int, str]:
    return {s.id: s.name for s in site_list(as_of)}


def requests(as_of: AsOf) -> QuerySet[CounterRequest]:
    """The departments' requests as recorded by the day (their state then)."""
    return as_of.rows(CounterRequest).order_by("state", "-received_on", "id")


def plans(as_of: AsOf) -> list[CounterPlan]:
    """The plans as recorded by the day, each with ``site_name`` (the site's name then)."""
    names = site_names(as_of)
    rows = list(as_of.rows(CounterPlan).order_by("fiscal_year", "priority", "id")[:LIST_LIMIT])
    for plan in rows:
        plan.site_name = names.get(plan.site_id, "") if plan.site_id else ""
    return rows


def methods() -> QuerySet[PaymentMethod]:
    return PaymentMethod.objects.order_by("order", "id")
