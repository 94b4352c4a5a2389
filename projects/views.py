from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, render
from django_tables2 import RequestConfig
from openpyxl import Workbook

from core.history import AsOf, change_log
from core.spreadsheets import csv_response, xlsx_file_response

from . import datasheet, selectors
from .filters import InitiativeFilter, ScheduleItemFilter
from .tables import InitiativeTable, ScheduleTable

EXPORT_FORMATS = ("csv", "xlsx")


@permission_required("projects.view_scheduleitem", raise_exception=True)
def schedule(request):
    """全体のスケジュール: grouped by category, filterable, sortable, exportable."""
    filterset = ScheduleItemFilter(request.GET or None, queryset=selectors.schedule_items())
    items = filterset.qs
    years = selectors.programme_years()
    total = selectors.budget_total(items)
    export = request.GET.get("export")
    if export in EXPORT_FORMATS:
        return _export_schedule(items, export)
    table = ScheduleTable(items, years=years, budget_total=total)
    RequestConfig(request, paginate=False).configure(table)
    filtered = filterset.is_bound and filterset.form.has_changed()
    return render(
        request,
        "projects/schedule.html",
        {
            "table": table,
            "filter": filterset,
            "budget_total": total,
            "figure": selectors.budget_total_figure(AsOf.today(), total, filtered=filtered),
            "filtered": filtered,
            "export_query": request.GET.urlencode(),
        },
    )


def _export_schedule(items, export):
    """The data sheet (the same columns the import reads) of the items shown, as of today.

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
    return xlsx_file_response(workbook, f"{filename}.xlsx")


@permission_required("projects.view_scheduleitem", raise_exception=True)
def item_detail(request, pk):
    item = get_object_or_404(selectors.schedule_items(), pk=pk)
    history = change_log(selectors.item_histories(item.pk))
    years = selectors.programme_years()
    plans = {plan.year_id: plan for plan in item.plans.all()}
    return render(
        request,
        "projects/item_detail.html",
        {
            "item": item,
            "plans": [(year, plans.get(year.pk)) for year in years],
            "history": history,
            "can_edit": request.user.has_perm("projects.change_scheduleitem"),
        },
    )


@permission_required("projects.view_initiative", raise_exception=True)
def initiatives(request):
    filterset = InitiativeFilter(request.GET or None, queryset=selectors.initiatives())
    table = InitiativeTable(filterset.qs)
    RequestConfig(request, paginate=False).configure(table)
    return render(request, "projects/initiatives.html", {"table": table, "filter": filterset})


@permission_required("projects.view_initiative", raise_exception=True)
def initiative_detail(request, pk):
    initiative = get_object_or_404(selectors.initiatives(), pk=pk)
    history = change_log(selectors.initiative_histories(initiative.pk))
    return render(
        request,
        "projects/initiative_detail.html",
        {
            "initiative": initiative,
            "history": history,
            "can_edit": request.user.has_perm("projects.change_initiative"),
        },
    )
