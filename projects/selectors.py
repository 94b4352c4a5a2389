"""Reads of the schedule: every page, export and (later) dashboard panel goes through here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Window,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import history
from core.expressions import InIds
from core.figures import Figure, FigureSource
from core.history import AsOf

from .models import (
    BudgetLine,
    Category,
    Concern,
    FiscalYearPlan,
    Initiative,
    Milestone,
    ProgrammeYear,
    ProgressNote,
    ScheduleItem,
    Specialist,
    Status,
    milestone_labels,
)

T = TypeVar("T")


def schedule_items() -> QuerySet[ScheduleItem]:
    """Items in printed order with everything a row shows, in a constant number of queries.

    ``budget_total`` is a subquery, not a join with GROUP BY: counting the items, summing 計
    over them and reading one page of them then never aggregate the whole table.
    """
    item_total = (
        BudgetLine.objects.filter(item=OuterRef("pk"))
        .order_by()
        .values("item")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return (
        ScheduleItem.objects.select_related("category", "status", "included_in")
        .prefetch_related(
            "budget_lines",
            Prefetch("plans", queryset=FiscalYearPlan.objects.select_related("year")),
            "concerns",
        )
        .annotate(budget_total=Subquery(item_total))
        .order_by("category__order", "order", "pk")
    )


def search_items(items: QuerySet[ScheduleItem], text: str) -> QuerySet[ScheduleItem]:
    """Items whose name, plans or concerns contain ``text`` (no joins: totals stay right).

    The text search scans every item, plan and concern, so it runs once, here: the page's
    count, 計 and rows then select the matching items by id instead of scanning three times.
    """
    matching = ScheduleItem.objects.filter(
        Q(name__icontains=text)
        | Q(category__name__icontains=text)
        | Exists(FiscalYearPlan.objects.filter(item=OuterRef("pk"), content__icontains=text))
        | Exists(Concern.objects.filter(item=OuterRef("pk"), text__icontains=text))
    )
    return items.filter(InIds(F("pk"), list(matching.values_list("pk", flat=True))))


def items_with_plan_in(items: QuerySet[ScheduleItem], year: ProgrammeYear):
    return items.filter(Exists(FiscalYearPlan.objects.filter(item=OuterRef("pk"), year=year)))


def budget_total(items: QuerySet[ScheduleItem] | None = None) -> int:
    """計: the sum of the budget lines of the given items (all items by default), in 千円."""
    lines = BudgetLine.objects.all()
    if items is not None:
        lines = lines.filter(item__in=items.values("pk"))
    return lines.aggregate(total=Sum("amount"))["total"] or 0


def programme_years() -> list[ProgrammeYear]:
    return list(ProgrammeYear.objects.all())


def initiatives() -> QuerySet[Initiative]:
    return Initiative.objects.prefetch_related("milestones", "notes", "specialists")


@dataclass
class MilestoneRow:
    """A milestone as a page shows it: its period as the papers print it, and whether late."""

    milestone: Milestone
    period: str
    overdue: bool


def milestone_rows(initiative: Initiative, day) -> list[MilestoneRow]:
    """An initiative's (prefetched) milestones, a relative period counted from the one before."""
    return [
        MilestoneRow(milestone, label, milestone.is_overdue(day))
        for milestone, label in milestone_labels(initiative.milestones.all())
    ]


def next_milestone(initiative: Initiative, day) -> MilestoneRow | None:
    """The first milestone not done, by the start of its period."""
    return next((row for row in milestone_rows(initiative, day) if not row.milestone.done), None)


@dataclass
class Timeline:
    """A theme's initiatives by period, like the papers' DX人材関係 and ホームページ tables.

    The columns are the periods the milestones name, by their first day; each row an
    initiative with its steps in those periods (a cell may hold several, or none).
    """

    theme: str
    periods: list[str]
    rows: list[tuple[Initiative, list[list[MilestoneRow]]]]


def _period_key(milestone: Milestone):
    return (milestone.starts_on, milestone.precision, milestone.ends_on, milestone.relative)


def timelines(initiative_list, day) -> list[Timeline]:
    """One timeline per theme of the given (prefetched) initiatives that has milestones."""
    by_theme: dict[str, list[Initiative]] = {}
    for initiative in initiative_list:
        by_theme.setdefault(initiative.theme, []).append(initiative)
    result = []
    for theme, members in by_theme.items():
        rows = [(initiative, milestone_rows(initiative, day)) for initiative in members]
        keys = sorted(
            {_period_key(row.milestone) for _, milestones in rows for row in milestones},
            key=lambda key: (key[0], key[2] or key[0], key[1], key[3]),
        )
        if not keys:
            continue
        labels, after = [], None
        for starts_on, precision, ends_on, relative in keys:
            column = Milestone(
                starts_on=starts_on, precision=precision, ends_on=ends_on, relative=relative
            )
            labels.append(column.label(after))
            after = column.last_day
        index = {key: i for i, key in enumerate(keys)}
        table_rows = []
        for initiative, milestones in rows:
            cells: list[list[MilestoneRow]] = [[] for _ in keys]
            for row in milestones:
                cells[index[_period_key(row.milestone)]].append(row)
            table_rows.append((initiative, cells))
        result.append(Timeline(theme, labels, table_rows))
    return result


def theme_initiatives(theme: str) -> list[Initiative]:
    """The initiatives of a theme, for its timeline on an initiative's page."""
    return list(initiatives().filter(theme=theme))


def item_part_histories(item_id: int) -> list[QuerySet]:
    """History of an item's budget lines, plans and concerns (deleted ones included)."""
    return [
        BudgetLine.history.filter(item_id=item_id),
        FiscalYearPlan.history.filter(item_id=item_id),
        Concern.history.filter(item_id=item_id),
    ]


def item_histories(item_id: int) -> list[QuerySet]:
    return [ScheduleItem.history.filter(id=item_id), *item_part_histories(item_id)]


def initiative_part_histories(initiative_id: int) -> list[QuerySet]:
    return [
        Milestone.history.filter(initiative_id=initiative_id),
        ProgressNote.history.filter(initiative_id=initiative_id),
        Specialist.history.filter(initiative_id=initiative_id),
    ]


def initiative_histories(initiative_id: int) -> list[QuerySet]:
    return [Initiative.history.filter(id=initiative_id), *initiative_part_histories(initiative_id)]


# --- The schedule as it stood on a date (dashboard, workbook) -------------------------------
#
# Every read below takes the as-of date and is kept on it (``AsOf.once``): a request or a
# download that shows a figure on a panel, a form and a data sheet reads it once.


@dataclass
class ItemSnapshot:
    """One row of the schedule as of a date, with everything the printed table shows."""

    id: int
    category: str
    category_order: int
    name: str
    order: int
    status: str
    status_is_complete: bool
    included_in: str | None
    budget_lines: list[int] = field(default_factory=list)
    plans: dict[int, list[str]] = field(default_factory=dict)  # start year → lines
    concerns: list[str] = field(default_factory=list)

    @property
    def budget_total(self) -> int | None:
        return sum(self.budget_lines) if self.budget_lines else None


@dataclass
class ScheduleSnapshot:
    as_of: AsOf
    years: list[int]  # programme years, Western start years
    items: list[ItemSnapshot]
    budget_total: Figure


def schedule_snapshot(as_of: AsOf) -> ScheduleSnapshot:
    """The whole schedule as of a date (for the workbook's sheets), read once per download."""
    return as_of.once("projects.schedule_snapshot", lambda: _read_snapshot(as_of))


def _read_snapshot(as_of: AsOf) -> ScheduleSnapshot:
    """Every row and part as it stood then (constant queries); names as they stood then too."""
    categories = {c.id: c for c in as_of.rows(Category)}
    statuses = {s.id: s for s in as_of.rows(Status)}
    years = {y.id: y.start_year for y in as_of.rows(ProgrammeYear)}
    items = list(as_of.rows(ScheduleItem))
    names = {item.id: item.name for item in items}
    rows = {
        item.id: ItemSnapshot(
            id=item.id,
            category=categories[item.category_id].name,
            category_order=categories[item.category_id].order,
            name=item.name,
            order=item.order,
            status=statuses[item.status_id].name,
            status_is_complete=statuses[item.status_id].is_complete,
            included_in=names.get(item.included_in_id),
        )
        for item in items
    }
    for line in as_of.rows(BudgetLine).order_by("order", "id"):
        if line.item_id in rows:
            rows[line.item_id].budget_lines.append(line.amount)
    for plan in as_of.rows(FiscalYearPlan):
        if plan.item_id in rows and plan.year_id in years:
            rows[plan.item_id].plans[years[plan.year_id]] = plan_lines(plan.content)
    for concern in as_of.rows(Concern).order_by("order", "id"):
        if concern.item_id in rows:
            rows[concern.item_id].concerns.append(concern.text)
    ordered = sorted(rows.values(), key=lambda r: (r.category_order, r.order, r.id))
    return ScheduleSnapshot(
        as_of=as_of,
        years=sorted(years.values()),
        items=ordered,
        budget_total=budget_total_figure(as_of),
    )


def plan_lines(content: str) -> list[str]:
    """A plan's bullet points: one per non-empty line."""
    return [line.strip() for line in content.splitlines() if line.strip()]


# --- Figures and panel data, as of a date ---------------------------------------------------


BUDGET_TOTAL_DEFINITION = _(
    "全体のスケジュールの各項目の予算額（予算内訳）の合計。"
    "他の項目に含まれる項目（「…を含む」）は重ねて数えない。"
)


def budget_total_figure(as_of: AsOf, items: QuerySet[ScheduleItem] | None = None) -> Figure:
    """予算額 計: the schedule's budget lines summed in the database, as of a date.

    ``items`` (today's items, as a page's filter selects them) gives the filtered total
    instead. The page, the dashboard panel and the workbook's sheets all call this.
    """
    filtered = items is not None
    definition = str(BUDGET_TOTAL_DEFINITION)
    if filtered:
        definition += str(_("絞り込み条件に合う項目だけを合計している。"))
        value = budget_total(items)
    else:
        value = as_of.remember(
            "projects.budget_total", ITEMS_AND_LINES, lambda: _budget_total_as_of(as_of)
        )
    return Figure(
        updated_on=as_of.remember(
            "projects.updated_on", ITEMS_AND_LINES, lambda: _schedule_updated_on(as_of)
        ),
        stale_after_days=BUDGET_STALE_AFTER_DAYS,
        key="schedule.budget_total",
        label=str(_("予算額 計（絞り込み後）") if filtered else _("予算額 計")),
        value=value,
        unit="千円",
        definition=definition,
        source=FigureSource.COUNTED,
        period_end=as_of.day,
    )


def count_figures(as_of: AsOf, concerns_shown: int) -> list[Figure]:
    """The schedule's counts as of a day, as figures: items, items per status, concerns.

    ``concerns_shown`` is the panel's list length, so that the concerns' count is the one the
    panel already read (one query for both)."""
    counts = status_counts(as_of)
    updated_on = as_of.remember(
        "projects.updated_on", ITEMS_AND_LINES, lambda: _schedule_updated_on(as_of)
    )

    def count(key: str, label: str, value: int, definition: str) -> Figure:
        return Figure(
            key=f"schedule.{key}",
            label=label,
            value=value,
            unit="項目" if key != "concerns" else "件",
            definition=definition,
            source=FigureSource.COUNTED,
            period_end=as_of.day,
            updated_on=updated_on,
        )

    return [
        count(
            "item_count",
            str(_("項目数")),
            sum(c.count for c in counts),
            str(_("全体のスケジュールの項目の数（この日にあった項目）。")),
        ),
        *(
            count(
                f"status.{c.name}",
                str(_("項目数（状況：%(status)s）")) % {"status": c.name},
                c.count,
                str(_("状況が「%(status)s」の項目の数。")) % {"status": c.name},
            )
            for c in counts
        ),
        count(
            "concerns",
            str(_("懸案の数")),
            concerns_as_of(as_of, concerns_shown).total,
            str(_("全体のスケジュールの各項目の「懸案など」の数の合計。")),
        ),
    ]


# What the 計 and its freshness date are read from.
ITEMS_AND_LINES = (ScheduleItem, BudgetLine)

# A budget not looked at for a year is worth a second look before a meeting.
BUDGET_STALE_AFTER_DAYS = 365


def _schedule_updated_on(as_of: AsOf):
    """The day of the newest change to the schedule's items and budgets up to the date."""
    newest = []
    for model in (ScheduleItem, BudgetLine):
        records = model.history.all()
        if as_of.moment is not None:
            records = records.filter(history_date__lte=as_of.moment)
        newest.append(records.aggregate(newest=Max("history_date"))["newest"])
    moments = [moment for moment in newest if moment is not None]
    return timezone.localtime(max(moments)).date() if moments else None


def _budget_total_as_of(as_of: AsOf) -> int:
    """計 as of a date: the sum of the budget lines of the items that existed then."""
    items = as_of.rows(ScheduleItem).values("id")
    lines = as_of.rows(BudgetLine).filter(item_id__in=items)
    return lines.aggregate(total=Sum("amount"))["total"] or 0


@dataclass(frozen=True)
class StatusCount:
    name: str
    is_complete: bool
    count: int


def status_counts(as_of: AsOf) -> list[StatusCount]:
    """Items per status as of a date, counted in the database, in the statuses' order."""
    return as_of.remember(
        "projects.status_counts", (ScheduleItem, Status), lambda: _status_counts(as_of)
    )


def _status_counts(as_of: AsOf) -> list[StatusCount]:
    counts = dict(
        as_of.rows(ScheduleItem)
        .order_by()
        .values_list("status_id")
        .annotate(n=Count("id"))
        .values_list("status_id", "n")
    )
    statuses = as_of.rows(Status).order_by("order", "name")
    return [StatusCount(s.name, s.is_complete, counts.get(s.id, 0)) for s in statuses]


@dataclass(frozen=True)
class OpenItem:
    name: str
    status: str
    plan: list[str]


@dataclass(frozen=True)
class FirstEntries(Generic[T]):
    """The first entries of a list a panel shows, and how many there are in all."""

    entries: list[T]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.entries)


def programme_years_as_of(as_of: AsOf) -> list[int]:
    """The 年度 the programme planned for, as they stood then (Western start years)."""
    return as_of.remember(
        "projects.programme_years",
        (ProgrammeYear,),
        lambda: sorted(as_of.rows(ProgrammeYear).values_list("start_year", flat=True)),
    )


def open_items_of_fiscal_year(as_of: AsOf, limit: int) -> FirstEntries[OpenItem]:
    """Items with a plan for the 年度 of the date whose status is not yet a completed one.

    The first ``limit`` in printed order and how many there are in all (a window count) in
    one query, then those items' plans and the statuses' names.
    """
    return as_of.remember(
        f"projects.open_items:{limit}",
        (ProgrammeYear, FiscalYearPlan, Status, ScheduleItem),
        lambda: _open_items_of_fiscal_year(as_of, limit),
    )


def _open_items_of_fiscal_year(as_of: AsOf, limit: int) -> FirstEntries[OpenItem]:
    when = as_of.moment
    years = as_of.rows(ProgrammeYear).filter(start_year=as_of.fiscal_year).values("id")
    plans = as_of.rows(FiscalYearPlan).filter(year_id__in=years)
    open_statuses = as_of.rows(Status).filter(is_complete=False)
    items = as_of.rows(ScheduleItem).filter(
        id__in=plans.values("item_id"), status_id__in=open_statuses.values("id")
    )
    first = list(
        items.order_by("category_id", "order", "id")
        .annotate(total=Window(Count("id")))
        .values_list("id", "name", "status_id", "total")[:limit]
    )
    if not first:
        return FirstEntries([], 0)
    ids = [pk for pk, _n, _s, _t in first]
    plans = history.latest_values(
        FiscalYearPlan, when, ids, "content", key="item_id", year_id__in=years
    )
    statuses = dict(as_of.rows(Status).values_list("id", "name"))
    return FirstEntries(
        [
            OpenItem(name, statuses[status], plan_lines(plans.get(pk, "")))
            for pk, name, status, _t in first
        ],
        first[0][3],
    )


@dataclass(frozen=True)
class ItemConcern:
    item: str
    text: str


def concerns_as_of(as_of: AsOf, limit: int) -> FirstEntries[ItemConcern]:
    """Concerns of the items that existed then: the first ``limit`` and how many there are in
    all (a window count) in one query, then those items' names."""
    return as_of.remember(
        f"projects.concerns:{limit}",
        (ScheduleItem, Concern),
        lambda: _concerns_as_of(as_of, limit),
    )


def _concerns_as_of(as_of: AsOf, limit: int) -> FirstEntries[ItemConcern]:
    when = as_of.moment
    items = as_of.rows(ScheduleItem)
    concerns = as_of.rows(Concern).filter(item_id__in=items.values("id"))
    first = list(
        concerns.order_by("item_id", "order", "id")
        .annotate(total=Window(Count("id")))
        .values_list("item_id", "text", "total")[:limit]
    )
    if not first:
        return FirstEntries([], 0)
    names = history.latest_values(ScheduleItem, when, {pk for pk, _t, _n in first}, "name")
    return FirstEntries([ItemConcern(names[pk], text) for pk, text, _n in first], first[0][2])
