from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from openpyxl import Workbook

from core.history import AsOf, change_log
from core.spreadsheets import csv_response, xlsx_file_response, xlsx_response

from . import blank, datasheet, selectors
from .filters import InitiativeFilter, ScheduleItemFilter
from .tables import InitiativeTable, ScheduleTable, paginate

EXPORT_FORMATS = ("csv", "xlsx")
HISTORY_SHOWN = 50  # newest changes listed on an item's or initiative's page
PAGE_PARAMETERS = ("page", "per_page")


def _latest_changes(histories, admin_history: str | bool) -> dict:
    """The change log for a page: the newest HISTORY_SHOWN changes and how many there are.

    ``admin_history``: the admin's history page, offered to editors when some are not shown.
    """
    changes = change_log(histories, newest=HISTORY_SHOWN)
    return {"history": changes, "history_more": changes.more, "history_url": admin_history}


@permission_required("projects.view_scheduleitem", raise_exception=True)
def schedule(request):
    """全体のスケジュール: grouped by category, filterable, sortable, paginated, exportable.

    Queries do not grow with the items: one page of rows is read (with its prefetches), the
    count and 計 (over all the filtered items) are computed in the database.
    """
    filterset = ScheduleItemFilter(request.GET or None, queryset=selectors.schedule_items())
    items = filterset.qs
    years = selectors.programme_years()
    export = request.GET.get("export")
    if export in EXPORT_FORMATS:
        return _export_schedule(items, export)
    filtered = filterset.is_bound and filterset.form.has_changed()
    figure = selectors.budget_total_figure(AsOf.today(), items if filtered else None)
    total = figure.value
    table = paginate(request, ScheduleTable(items, years=years, budget_total=total))
    export_query = request.GET.copy()
    for name in PAGE_PARAMETERS:
        export_query.pop(name, None)
    return render(
        request,
        "projects/schedule.html",
        {
            "table": table,
            "filter": filterset,
            "budget_total": total,
            "figure": figure,
            "filtered": filtered,
            "export_query": export_query.urlencode(),
        },
    )


def _export_schedule(items, export):
    """The data sheets (the tables the import reads) of the items shown, as of today: the
    items (CSV: that table alone), and in the .xlsx their plans and concerns as long tables.

    Filtered in the database and written as the rows arrive: CSV streamed, .xlsx in
    write-only mode into a temporary file that is then served in blocks.
    """
    today = AsOf.today()
    header, body = datasheet.export(items, today.day)
    filename = f"全体のスケジュール_{today.label}"
    if export == "csv":
        return csv_response(f"{filename}.csv", header, body)
    workbook = Workbook(write_only=True)
    datasheet.write_table(workbook.create_sheet(datasheet.SHEET_TITLE), header, body)
    # The plans and the concerns, several lines per item, as long tables of their own.
    datasheet.write_table(
        workbook.create_sheet(datasheet.PLANS_TITLE),
        datasheet.PLAN_HEADER,
        datasheet.export_plans(items),
    )
    datasheet.write_table(
        workbook.create_sheet(datasheet.CONCERNS_TITLE),
        datasheet.CONCERN_HEADER,
        datasheet.export_concerns(items),
    )
    return xlsx_file_response(workbook, f"{filename}.xlsx")


@permission_required("projects.view_scheduleitem", raise_exception=True)
def schedule_blank(request):
    """The data sheet with no rows and its column rules: a new installation fills it and
    uploads it through the schedule's import (``blank.py``)."""
    today = AsOf.today()
    return xlsx_response(blank.workbook(today.day), "全体のスケジュール_記入用.xlsx")


@permission_required("projects.view_scheduleitem", raise_exception=True)
def item_detail(request, pk):
    item = get_object_or_404(selectors.schedule_items(), pk=pk)
    years = selectors.programme_years()
    plans = {plan.year_id: plan for plan in item.plans.all()}
    can_edit = request.user.has_perm("projects.change_scheduleitem")
    admin_history = reverse("admin:projects_scheduleitem_history", args=[item.pk])
    return render(
        request,
        "projects/item_detail.html",
        {
            "item": item,
            "plans": [(year, plans.get(year.pk)) for year in years],
            **_latest_changes(selectors.item_histories(item.pk), can_edit and admin_history),
            "can_edit": can_edit,
        },
    )


@permission_required("projects.view_initiative", raise_exception=True)
def initiatives(request):
    """その他の取組: the list, then the page's initiatives by theme and period, as the papers
    lay them out (DX人材関係, ホームページ), and the specialists of the shared programmes."""
    day = AsOf.today().day
    filterset = InitiativeFilter(request.GET or None, queryset=selectors.initiatives())
    table = paginate(request, InitiativeTable(filterset.qs, day=day))
    shown = [row.record for row in table.page.object_list]
    return render(
        request,
        "projects/initiatives.html",
        {
            "table": table,
            "filter": filterset,
            "timelines": selectors.timelines(shown, day),
            "specialist_groups": [i for i in shown if i.specialists.all()],
        },
    )


@permission_required("projects.view_initiative", raise_exception=True)
def initiative_detail(request, pk):
    initiative = get_object_or_404(selectors.initiatives(), pk=pk)
    day = AsOf.today().day
    can_edit = request.user.has_perm("projects.change_initiative")
    admin_history = reverse("admin:projects_initiative_history", args=[initiative.pk])
    return render(
        request,
        "projects/initiative_detail.html",
        {
            "initiative": initiative,
            "milestones": selectors.milestone_rows(initiative, day),
            "timelines": [
                timeline
                for timeline in selectors.timelines(
                    selectors.theme_initiatives(initiative.theme), day
                )
                if len(timeline.rows) > 1
            ],
            **_latest_changes(
                selectors.initiative_histories(initiative.pk), can_edit and admin_history
            ),
            "can_edit": can_edit,
        },
    )
