"""The schedule laid out like the printed 全体のスケジュール, and the lists shown a page at a time."""

from __future__ import annotations

import django_tables2 as tables
from django.core.paginator import Paginator
from django.db.models import F
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_tables2.rows import BoundRow

from core.japanese import EMPTY, number, wareki

from .models import Initiative, ProgrammeYear, ScheduleItem, budget_cell
from .selectors import next_milestone


def bullet_list(lines: list[str]) -> str:
    if not lines:
        return ""
    return format_html(
        '<ul class="bullets">{}</ul>',
        format_html_join("", "<li>{}</li>", ((line,) for line in lines)),
    )


def budget_text(item: ScheduleItem) -> list[str]:
    """How the budget cell reads on a page: the amounts with separators, 「Xを含む」, or 「－」
    (the papers' "-", printed as every page prints a missing value)."""
    amounts = [line.amount for line in item.budget_lines.all()]
    included_in = item.included_in.name if item.included_in_id else None
    cell = budget_cell(amounts, included_in)
    if cell == ["-"]:
        return [EMPTY]
    return [number(v) if isinstance(v, int) else v for v in cell]


PER_PAGE = 50
MAX_PER_PAGE = 200


def _positive_int(value: str | None, default: int) -> int:
    try:
        parsed = int(value)
    except (TypeError, ValueError):
        return default
    return parsed if parsed > 0 else default


def paginate(request, table: tables.Table, per_page: int = PER_PAGE) -> tables.Table:
    """Sort the table from the request, then show one page of it (never every row).

    ``?per_page`` is bounded (1 to MAX_PER_PAGE); a junk ``?page`` gives the first page and
    one past the end the last, instead of an error.
    """
    tables.RequestConfig(request, paginate=False).configure(table)
    size = min(_positive_int(request.GET.get("per_page"), per_page), MAX_PER_PAGE)
    table.paginator = Paginator(table.rows, size)
    table.page = table.paginator.get_page(_positive_int(request.GET.get("page"), 1))
    return table


def plans_by_year(record: ScheduleItem) -> dict[int, object]:
    """The item's plans by programme year, built once per row from the prefetched plans."""
    plans = getattr(record, "_plans_by_year", None)
    if plans is None:
        plans = record._plans_by_year = {plan.year_id: plan for plan in record.plans.all()}
    return plans


class PlanColumn(tables.Column):
    """The plan of one fiscal year (a column per programme year)."""

    def __init__(self, year: ProgrammeYear, **kwargs):
        self.year = year
        super().__init__(
            verbose_name=str(year), accessor="pk", orderable=False, empty_values=(), **kwargs
        )

    def render(self, record):
        plan = plans_by_year(record).get(self.year.pk)
        return bullet_list(plan.lines) if plan is not None else ""


class PagedTable(tables.Table):
    """A table shown a page at a time (see ``paginate``) with a pager in Japanese."""

    per_page_choices = (PER_PAGE, 100, MAX_PER_PAGE)

    @property
    def page_links(self) -> list[int | None]:
        """Page numbers around the current one, the first and the last; None for a gap."""
        numbers = self.paginator.get_elided_page_range(self.page.number, on_each_side=2, on_ends=1)
        return [n if isinstance(n, int) else None for n in numbers]


class ScheduleTable(PagedTable):
    # Every sort ends in the primary key, so that pages never share or skip a row.
    category = tables.Column(verbose_name=_("区分"), order_by=("category__order", "order", "pk"))
    name = tables.Column(
        verbose_name=_("項目"), linkify=True, footer=_("計"), order_by=("name", "pk")
    )
    budget = tables.Column(
        verbose_name=_("予算額（千円）"),
        accessor="budget_total",
        order_by=("budget_total",),
        empty_values=(),
        attrs={"td": {"class": "num"}, "th": {"class": "num"}, "tf": {"class": "num total"}},
        footer=lambda table: number(table.budget_total),
    )
    status = tables.Column(
        verbose_name=_("状況"),
        order_by=("status__order", "category__order", "order", "pk"),
        attrs={"td": {"class": "status"}, "th": {"class": "status"}},
    )
    concerns = tables.Column(
        verbose_name=_("懸案など"), accessor="pk", orderable=False, empty_values=()
    )

    class Meta:
        model = ScheduleItem
        fields = ("category", "name", "budget", "status")
        sequence = ("category", "name", "budget", "status", "...", "concerns")
        template_name = "projects/schedule_table.html"
        attrs = {"class": "data schedule", "id": "schedule-table"}
        per_page = PER_PAGE
        default = EMPTY  # an empty cell prints 「－」, as on every page
        empty_text = _("条件に合う項目はありません。")
        orderable = True

    def __init__(self, data, *, years: list[ProgrammeYear], budget_total: int, **kwargs):
        self.budget_total = budget_total
        extra = [(f"plan_{year.start_year}", PlanColumn(year)) for year in years]
        super().__init__(data, extra_columns=extra, **kwargs)

    @property
    def grouped(self) -> bool:
        """Rows are grouped by category as printed unless the user sorted by another column."""
        return not self.order_by or self.order_by[0].lstrip("-") == "category"

    def before_render(self, request):
        records = [row.record for row in self.paginated_rows]
        # Mark the first row of each category on this page with its row span (the printed
        # table's layout, page by page: a category going on to the next page starts it again).
        for index, record in enumerate(records):
            first = index == 0 or records[index - 1].category_id != record.category_id
            if first:
                span = 1
                while (
                    index + span < len(records)
                    and records[index + span].category_id == record.category_id
                ):
                    span += 1
                record.group_span = span
            else:
                record.group_span = 0
        self.body_rows = self._body_rows(records)

    def _body_rows(self, records: list[ScheduleItem]) -> list[str]:
        """The page's rows as HTML, one string per row, in one pass over rows and columns.

        The same markup as django-tables2's cell by cell rendering, at a fraction of its cost
        (it inspects every render method's signature for every cell).
        """
        grouped = self.grouped
        columns = [
            (bound.name, bound.attrs["td"].as_html(), bound.column) for bound in self.columns
        ]
        rows = []
        for index, record in enumerate(records):
            cells = []
            for name, attrs, column in columns:
                if name == "category":
                    if not grouped:
                        cells.append(format_html("<td {}>{}</td>", attrs, record.category))
                    elif record.group_span:
                        cells.append(
                            format_html(
                                '<th scope="rowgroup" class="group" rowspan="{}">{}</th>',
                                record.group_span,
                                record.category,
                            )
                        )
                elif name == "name":
                    cells.append(
                        format_html(
                            '<th scope="row" {}><a href="{}">{}</a></th>',
                            attrs,
                            record.get_absolute_url(),
                            record.name,
                        )
                    )
                else:
                    cell = self._cell(name, column, record)
                    cells.append(format_html("<td {}>{}</td>", attrs, cell))
            rows.append(
                format_html(
                    '<tr class="{}">{}</tr>',
                    "even" if index % 2 else "odd",
                    mark_safe("".join(cells)),  # every cell escaped by format_html
                )
            )
        return rows

    def _cell(self, name: str, column: tables.Column, record: ScheduleItem):
        if name == "budget":
            return self.render_budget(record)
        if name == "status":
            return record.status
        if name == "concerns":
            return self.render_concerns(record)
        if isinstance(column, PlanColumn):
            return column.render(record)
        return BoundRow(record, table=self).get_cell(name)  # any other column, the usual way

    def order_budget(self, queryset, is_descending):
        # Items without an amount go last either way, on SQLite and PostgreSQL alike.
        total = F("budget_total")
        order = total.desc(nulls_last=True) if is_descending else total.asc(nulls_last=True)
        return queryset.order_by(order, "category__order", "order", "pk"), True

    def render_budget(self, record):
        return format_html_join(
            "", '<span class="line">{}</span>', ((text,) for text in budget_text(record))
        )

    def render_concerns(self, record):
        return bullet_list([c.text for c in record.concerns.all()])


class InitiativeTable(PagedTable):
    name = tables.Column(verbose_name=_("取組"), linkify=True, order_by=("name", "pk"))
    theme = tables.Column(verbose_name=_("分野"), order_by=("theme", "order", "pk"))
    partner = tables.Column(verbose_name=_("連携先"), order_by=("partner", "order", "pk"))
    next_milestone = tables.Column(
        verbose_name=_("次のマイルストーン"), accessor="pk", orderable=False, empty_values=()
    )
    latest_note = tables.Column(
        verbose_name=_("最新の進捗"), accessor="pk", orderable=False, empty_values=()
    )

    class Meta:
        model = Initiative
        fields = ("name", "theme", "partner")
        template_name = "projects/table.html"
        attrs = {"class": "data", "id": "initiative-table"}
        empty_text = _("条件に合う取組はありません。")
        per_page = PER_PAGE
        default = EMPTY  # an empty cell prints 「－」, as on every page

    def __init__(self, *args, day=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.day = day or timezone.localdate()  # the as-of date: past periods not done are late

    def render_next_milestone(self, record):
        if not record.milestones.all():
            return EMPTY
        row = next_milestone(record, self.day)
        if row is None:
            return _("（すべて完了）")
        if row.overdue:
            return format_html(
                '{}　{} <strong class="overdue-mark">{}</strong>',
                row.period,
                row.milestone.title,
                _("期限超過"),
            )
        return format_html("{}　{}", row.period, row.milestone.title)

    def render_latest_note(self, record):
        notes = list(record.notes.all())
        if not notes:
            return ""
        return format_html("{}：{}", wareki(notes[0].noted_on), notes[0].text)
