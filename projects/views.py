from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django_tables2 import RequestConfig
from openpyxl import Workbook

from seiyo_dx.history import change_log
from seiyo_dx.japanese import wareki
from seiyo_dx.spreadsheets import csv_response, data_sheet, xlsx_response

from . import selectors
from .filters import InitiativeFilter, ScheduleItemFilter
from .tables import InitiativeTable, ScheduleExportTable, ScheduleTable

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
        table = ScheduleExportTable(items, years=years, budget_total=total)
        RequestConfig(request, paginate=False).configure(table)
        return _export_schedule(table, export)
    table = ScheduleTable(items, years=years, budget_total=total)
    RequestConfig(request, paginate=False).configure(table)
    return render(
        request,
        "projects/schedule.html",
        {
            "table": table,
            "filter": filterset,
            "budget_total": total,
            "export_query": request.GET.urlencode(),
        },
    )


def _export_schedule(table, export):
    rows = list(table.as_values())
    header, body = rows[0], rows[1:]
    filename = f"全体のスケジュール_{wareki(timezone.localdate())}"
    if export == "csv":
        return csv_response(f"{filename}.csv", header, body)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "全体のスケジュール(データ)"
    data_sheet(sheet, header, body, widths=[18, 30, 14, 16, 18, 12] + [34] * (len(header) - 6))
    return xlsx_response(workbook, f"{filename}.xlsx")


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
