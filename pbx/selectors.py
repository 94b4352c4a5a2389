"""Reads of the PBX rollout as of a date: the plan of each site is its first plan followed by
the revisions decided on or before that date (by decision date, in the database).

Every function takes the ``AsOf`` of the request or download; what several pages, panels and
sheets share is computed once per request (``as_of.once``). Query counts do not grow with the
number of sites or revisions: the site states are one query, the chains of the sites a page
shows one more.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from core.expressions import InIds
from core.figures import Figure, FigureSource
from core.history import AsOf
from core.history import as_of as recorded_as_of
from core.japanese import wareki

from .models import Contract, Porting, Revision, Site

DEFAULT_WARN_DAYS = 60  # 未定 this close to the contract's deadline: warn
CHAIN_LAST = 3  # bounded chains (form sheet, panel): the first plan and the last three changes

PLAN_CHANGES = Q(planned_on__isnull=False) | Q(undecided=True)


class State:
    LIVE = "live"
    SCHEDULED = "scheduled"
    OVERDUE = "overdue"  # the planned day has passed and the site is not live
    UNDECIDED = "undecided"

    LABELS = {
        LIVE: "運用中",
        SCHEDULED: "予定",
        OVERDUE: "予定日超過",
        UNDECIDED: "未定",
    }


@dataclass
class Step:
    """One revision in a site's chain, as shown: 10/24 (struck through when superseded)."""

    decided_on: dt.date
    decision_date_known: bool
    planned_on: dt.date | None
    undecided: bool
    porting: str
    reason: str
    note: str
    slipped: bool
    superseded: bool = False

    @property
    def changes_plan(self) -> bool:
        return self.undecided or self.planned_on is not None

    @property
    def label(self) -> str:
        if self.undecided:
            return _("未定")
        if self.planned_on:
            return short_date(self.planned_on)
        return ""

    @property
    def porting_label(self) -> str:
        return str(Porting(self.porting).label) if self.porting else ""


@dataclass
class SiteRow:
    """A site as it stood on the as-of day."""

    pk: int
    name: str
    order: int
    contract_id: int
    due_on: dt.date
    first_planned_on: dt.date
    went_live_on: dt.date | None  # only when on or before the as-of day
    planned_on: dt.date | None  # the current plan (None with undecided)
    undecided: bool
    porting: str
    slip_count: int
    revision_count: int
    note: str
    day: dt.date
    warn_days: int
    steps: list[Step] = field(default_factory=list)
    omitted: int = 0  # plan changes left out of ``steps`` (``with_last_steps``)

    @property
    def state(self) -> str:
        if self.went_live_on is not None:
            return State.LIVE
        if self.undecided:
            return State.UNDECIDED
        if self.planned_on < self.day:
            return State.OVERDUE
        return State.SCHEDULED

    @property
    def state_label(self) -> str:
        if self.state == State.LIVE:
            return _("運用中（%(day)sから）") % {"day": short_date(self.went_live_on)}
        return _(State.LABELS[self.state])

    @property
    def porting_label(self) -> str:
        return str(Porting(self.porting).label) if self.porting else ""

    @property
    def plan_label(self) -> str:
        if self.state == State.LIVE:
            return short_date(self.went_live_on)
        return _("未定") if self.undecided else short_date(self.planned_on)

    @property
    def current_plan(self) -> dt.date | None:
        """The date the site goes (went) live by the plan as of the day; None when 未定."""
        if self.went_live_on is not None:
            return self.went_live_on
        return None if self.undecided else self.planned_on

    @property
    def slip_days(self) -> int:
        """Days the go-live moved from the first plan: to the actual or planned date; for 未定
        the days already past the first plan (at least that many)."""
        if self.current_plan is not None:
            return (self.current_plan - self.first_planned_on).days
        return max((self.day - self.first_planned_on).days, 0)

    @property
    def slip_label(self) -> str:
        if self.current_plan is None:
            return _("未定（%(days)s日以上）") % {"days": self.slip_days}
        if self.slip_days < 0:
            return _("△%(days)s日（前倒し）") % {"days": -self.slip_days}
        return _("%(days)s日") % {"days": self.slip_days}

    @property
    def deadline_warning(self) -> str:
        """Why the site may miss the contract's deadline, or ""."""
        if self.went_live_on is not None:
            return ""
        if self.undecided:
            left = (self.due_on - self.day).days
            if left < 0:
                return _("未定のまま履行期限を過ぎています")
            if left <= self.warn_days:
                return _("未定のまま履行期限まで%(days)s日です") % {"days": left}
            return ""
        if self.planned_on > self.due_on:
            return _("予定日が履行期限（%(due)s）を過ぎています") % {"due": wareki(self.due_on)}
        if self.day > self.due_on:
            return _("履行期限を過ぎても運用を開始していません")
        return ""

    @property
    def story(self) -> list[tuple[str, bool]]:
        """当初10/17 → 10/24 → 未定: (label, superseded) for the first plan and each change.

        A bounded chain (``with_last_steps``) says how many changes it leaves out where they
        were: 10/17 → （ほか47回変更） → 11/1 → 11/5 → 未定 (the marker is not superseded)."""
        labels = [(short_date(self.first_planned_on), True)]
        if self.omitted:
            labels.append((_("（ほか%(n)s回変更）") % {"n": self.omitted}, False))
        changes = [(step.label, True) for step in self.steps if step.changes_plan]
        if changes:
            labels += changes
        last = len(labels) - 1
        labels[last] = (labels[last][0], False)
        return labels


def short_date(day: dt.date | None) -> str:
    """10/24, as the papers write the dates of the rollout."""
    return f"{day.month}/{day.day}" if day else ""


def _plan_as_of(day: dt.date, column: str):
    latest = (
        Revision.objects.filter(PLAN_CHANGES, site_id=OuterRef("id"), decided_on__lte=day)
        .order_by("-decided_on", "-id")
        .values(column)[:1]
    )
    return Subquery(latest)


def _porting_as_of(day: dt.date):
    latest = (
        Revision.objects.filter(site_id=OuterRef("id"), decided_on__lte=day)
        .exclude(porting="")
        .order_by("-decided_on", "-id")
        .values("porting")[:1]
    )
    return Subquery(latest)


def _count_as_of(day: dt.date, condition: Q):
    counted = (
        Revision.objects.filter(condition, site_id=OuterRef("id"), decided_on__lte=day)
        .order_by()
        .values("site_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Subquery(counted, output_field=IntegerField())


def sites_as_of(day: dt.date, moment: dt.datetime | None = None) -> QuerySet:
    """Sites with their plan, porting and counts as of ``day``: one query, in the database.

    The sites themselves (name, first plan, go-live) as they were recorded at ``moment`` (the
    history; None: the live table), their revisions by decision date up to ``day``."""
    sites = recorded_as_of(Site, moment)
    return (
        sites.annotate(
            plan_on=_plan_as_of(day, "planned_on"),
            plan_undecided=Subquery(
                Revision.objects.filter(PLAN_CHANGES, site_id=OuterRef("id"), decided_on__lte=day)
                .order_by("-decided_on", "-id")
                .values("undecided")[:1],
                output_field=BooleanField(),
            ),
            porting_as_of=_porting_as_of(day),
            slips=_count_as_of(day, Q(slipped=True)),
            plan_changes=_count_as_of(day, PLAN_CHANGES),
        )
        .values(
            "id",
            "name",
            "order",
            "contract_id",
            "contract__due_on",
            "first_planned_on",
            "went_live_on",
            "note",
            "plan_on",
            "plan_undecided",
            "porting_as_of",
            "slips",
            "plan_changes",
        )
        .order_by("order", "id")
    )


def _row(values: dict, day: dt.date, warn_days: int) -> SiteRow:
    went_live_on = values["went_live_on"]
    undecided = bool(values["plan_undecided"])
    planned_on = values["plan_on"]
    if planned_on is None and not undecided:
        planned_on = values["first_planned_on"]
    return SiteRow(
        pk=values["id"],
        name=values["name"],
        order=values["order"],
        contract_id=values["contract_id"],
        due_on=values["contract__due_on"],
        first_planned_on=values["first_planned_on"],
        went_live_on=went_live_on if went_live_on and went_live_on <= day else None,
        planned_on=None if undecided else planned_on,
        undecided=undecided,
        porting=values["porting_as_of"] or "",
        slip_count=values["slips"] or 0,
        revision_count=values["plan_changes"] or 0,
        note=values["note"],
        day=day,
        warn_days=warn_days,
    )


def site_rows(as_of: AsOf, warn_days: int = DEFAULT_WARN_DAYS) -> list[SiteRow]:
    """Every site as of the day (one query; kept for the request)."""
    day = as_of.day

    def compute():
        return [_row(values, day, warn_days) for values in sites_as_of(day, as_of.moment)]

    return as_of.once(f"pbx.site_rows.{warn_days}", compute)


def with_steps(rows: list[SiteRow], day: dt.date) -> list[SiteRow]:
    """Fill in the whole chains of revisions of the given rows (one query for all of them):
    for the page, which shows a page of sites with every change; the form sheet and the panel
    print bounded chains (``with_last_steps``)."""
    if not rows:
        return rows
    revisions = (
        Revision.objects.filter(site_id__in=[row.pk for row in rows], decided_on__lte=day)
        .order_by("site_id", "decided_on", "id")
        .values_list(
            "site_id",
            "decided_on",
            "decision_date_known",
            "planned_on",
            "undecided",
            "porting",
            "reason",
            "note",
            "slipped",
        )
    )
    steps = defaultdict(list)
    for site_id, *values in revisions:
        steps[site_id].append(Step(*values))
    for row in rows:
        row.steps = steps.get(row.pk, [])
        row.omitted = 0
        plan_steps = [step for step in row.steps if step.changes_plan]
        for step in plan_steps[:-1]:
            step.superseded = True
    return rows


def with_last_steps(rows: list[SiteRow], day: dt.date, last: int = CHAIN_LAST) -> list[SiteRow]:
    """Fill in the last ``last`` plan changes of each row's chain, and how many earlier ones
    are left out (``omitted``): what the papers print (当初10/17→…→10/24→未定), however long
    the history. The count comes with the rows (``revision_count``).

    One query, whose work does not grow with the length of the histories: for each site and
    each k < ``last``, the k-th newest plan change up to the day is one short walk down the
    (site, decided_on, id) index (``LIMIT 1 OFFSET k``), and only those revisions are read.
    (A window function ranking every revision of every site reads them all: 0.4 s at 100 sites
    × 500 revisions on SQLite.)"""
    if not rows:
        return rows
    sites = Site.objects.filter(InIds(F("id"), [row.pk for row in rows])).order_by()

    def newest(k: int):
        kth = (
            Revision.objects.filter(PLAN_CHANGES, site_id=OuterRef("id"), decided_on__lte=day)
            .order_by("-decided_on", "-id")
            .values("id")[k : k + 1]
        )
        return sites.annotate(revision=Subquery(kth)).values("revision")

    picked = newest(0).union(*(newest(k) for k in range(1, last)), all=True)
    # Fetched by id and put in order here (at most ``last`` a site): ordered in SQL, SQLite
    # would rather scan the whole table along its index than sort them.
    revisions = (
        Revision.objects.filter(id__in=picked)
        .order_by()
        .values_list(
            "site_id",
            "decided_on",
            "id",
            "decision_date_known",
            "planned_on",
            "undecided",
            "porting",
            "reason",
            "note",
            "slipped",
        )
    )
    steps = defaultdict(list)
    for site_id, _decided_on, _id, *values in sorted(revisions):
        steps[site_id].append(Step(_decided_on, *values, superseded=True))
    for row in rows:
        row.steps = steps.get(row.pk, [])
        if row.steps:
            row.steps[-1].superseded = False
        row.omitted = max(row.revision_count - len(row.steps), 0)
    return rows


def filter_rows(rows: list[SiteRow], state: str = "", porting: str = "", warning: bool = False):
    if state:
        rows = [row for row in rows if row.state == state]
    if porting:
        rows = [row for row in rows if row.porting == porting]
    if warning:
        rows = [row for row in rows if row.deadline_warning]
    return rows


def contract_as_of(as_of: AsOf) -> Contract | None:
    """The rollout's contract (the first one signed by the day), with its schedule item."""
    return as_of.once(
        "pbx.contract",
        lambda: (
            Contract.objects.select_related("schedule_item")
            .filter(signed_on__lte=as_of.day)
            .first()
        ),
    )


@dataclass(frozen=True)
class Summary:
    live: int
    scheduled: int
    overdue: int
    undecided: int
    slips: int
    longest_slip: SiteRow | None
    warnings: int
    due_on: dt.date | None
    days_to_deadline: int | None

    @property
    def total(self) -> int:
        return self.live + self.scheduled + self.overdue + self.undecided


def summary(as_of: AsOf, warn_days: int = DEFAULT_WARN_DAYS) -> Summary:
    rows = site_rows(as_of, warn_days)
    states = defaultdict(int)
    for row in rows:
        states[row.state] += 1
    slipping = [row for row in rows if row.slip_days > 0]
    longest = max(slipping, key=lambda row: (row.slip_days, -row.order), default=None)
    # The rollout's deadline: the earliest of its contracts' (read with the sites, no query).
    due_on = min((row.due_on for row in rows), default=None)
    return Summary(
        live=states[State.LIVE],
        scheduled=states[State.SCHEDULED],
        overdue=states[State.OVERDUE],
        undecided=states[State.UNDECIDED],
        slips=sum(row.slip_count for row in rows),
        longest_slip=longest,
        warnings=sum(1 for row in rows if row.deadline_warning),
        due_on=due_on,
        days_to_deadline=(due_on - as_of.day).days if due_on else None,
    )


@dataclass(frozen=True)
class PeriodSlips:
    month: dt.date
    changes: int  # plan changes decided in the month
    slips: int  # of them, to a later date or to 未定

    @property
    def label(self) -> str:
        return f"{wareki(self.month)[:-2]}"  # 令和4年10月


def slips_per_month(as_of: AsOf) -> list[PeriodSlips]:
    """How often plans moved (Leantime's "commitment integrity"): plan changes and slips per
    month of decision, up to the day; aggregated in the database."""

    def compute():
        rows = (
            Revision.objects.filter(PLAN_CHANGES, decided_on__lte=as_of.day)
            .annotate(month=TruncMonth("decided_on"))
            .order_by()
            .values("month")
            .annotate(changes=Count("id"), slips=Count("id", filter=Q(slipped=True)))
            .order_by("month")
        )
        return [PeriodSlips(_as_date(row["month"]), row["changes"], row["slips"]) for row in rows]

    return as_of.once("pbx.slips_per_month", compute)


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def revisions_as_of(as_of: AsOf):
    """Every revision decided on or before the day, in chain order, each with the name its
    site had on the day: (site name, decided_on, …).

    The names come from ``site_rows`` (the sites as recorded on the day, read once per as-of
    and shared with the other sheets); a site not recorded by then (its revisions entered
    with earlier decision dates later) keeps its name of today."""
    names = {row.pk: row.name for row in site_rows(as_of)}
    revisions = (
        Revision.objects.filter(decided_on__lte=as_of.day)
        .order_by("site__order", "site_id", "decided_on", "id")
        .values_list(
            "site_id",
            "site__name",
            "decided_on",
            "decision_date_known",
            "planned_on",
            "undecided",
            "porting",
            "slipped",
            "reason",
            "note",
        )
    )
    for site_id, name_today, *values in revisions.iterator(chunk_size=2000):
        yield (names.get(site_id, name_today), *values)


# --- Figures (one selector each; page, panel and sheet show the same) -----------------------


def _figure(key, label, value, unit, definition, as_of: AsOf, source=FigureSource.COUNTED):
    return Figure(
        key=f"pbx.{key}",
        label=label,
        value=value,
        unit=unit,
        definition=definition,
        source=source,
        period_end=as_of.day,
    )


def figures(as_of: AsOf) -> list[Figure]:
    s = summary(as_of)
    return [
        _figure(
            "live",
            _("クラウドPBX 運用中の施設"),
            s.live,
            "施設",
            _("運用開始日（実績）がこの日以前の施設の数。"),
            as_of,
        ),
        _figure(
            "scheduled",
            _("クラウドPBX 予定日のある施設"),
            s.scheduled + s.overdue,
            "施設",
            _("運用前で、この日までに決まった予定日がある施設の数（予定日を過ぎたものを含む）。"),
            as_of,
        ),
        _figure(
            "undecided",
            _("クラウドPBX 予定が未定の施設"),
            s.undecided,
            "施設",
            _("運用前で、この日までの最後の予定変更が「未定」の施設の数。"),
            as_of,
        ),
        _figure(
            "slips",
            _("クラウドPBX 予定の遅延回数"),
            s.slips,
            "回",
            _(
                "この日までに決まった予定変更のうち、それまでの予定より遅い日付か未定にしたものの数。"
            ),
            as_of,
        ),
        _figure(
            "longest_slip",
            _("クラウドPBX 最長の遅れ"),
            s.longest_slip.slip_days if s.longest_slip else 0,
            "日",
            _("当初予定日から、実績・現在の予定日（未定はこの日）までの日数の最大値。"),
            as_of,
        ),
        _figure(
            "days_to_deadline",
            _("クラウドPBX 履行期限までの日数"),
            s.days_to_deadline,
            "日",
            _("この日から契約の履行期限までの日数（過ぎていれば△）。"),
            as_of,
        ),
    ]
