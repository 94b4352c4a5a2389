from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.history import AsOf
from core.spreadsheets import csv_response, xlsx_file_response

from . import datasheet, selectors
from .charts import seats_by_floor
from .filters import SeatPlanFilter

EXPORT_FORMATS = ("csv", "xlsx")


@permission_required("layout.view_seatplan", raise_exception=True)
def layout_table(request):
    """座席計画: the printed table with floor subtotals and building totals, filterable,
    with its chart and downloads. Constant queries: rows, floors, buildings, the grand total
    and the years, each read once and summed by the database."""
    as_of = AsOf.today()
    years = selectors.fiscal_years(as_of)
    filterset = SeatPlanFilter(request.GET or None, years=years)
    scope = filterset.scope()
    context = {"filter": filterset, "as_of": as_of, "scope": scope}
    if scope is None or scope.fiscal_year is None:
        return render(request, "layout/table.html", context, status=200)
    export = request.GET.get("export")
    if export in EXPORT_FORMATS:
        return _export(as_of, scope, export)
    table = selectors.layout_table(as_of, scope)
    floors = selectors.floor_totals(as_of, scope)
    query = request.GET.copy()
    query.pop("export", None)
    context.update(
        table=table,
        figures=selectors.figures(as_of, scope),
        chart=seats_by_floor("layout-floors", _("階ごとの確保席数と必要数"), floors),
        export_query=query.urlencode(),
    )
    return render(request, "layout/table.html", context)


def _export(as_of: AsOf, scope: selectors.Scope, export: str):
    """Every row the page's filters match (not only the rows it lists), in the city's layout:
    what the import reads. Streamed as the database sends them."""
    rows = selectors.iter_rows(as_of, scope)
    header = datasheet.header(scope.fiscal_year)
    filename = _("座席計画_%(year)s_%(date)s時点") % {
        "year": selectors.fiscal_year_label(scope.fiscal_year),
        "date": as_of.label,
    }
    if export == "csv":
        return csv_response(f"{filename}.csv", header, datasheet.body(rows))
    workbook = Workbook(write_only=True)
    datasheet.write(workbook.create_sheet(datasheet.SHEET_TITLE), scope.fiscal_year, rows)
    return xlsx_file_response(workbook, f"{filename}.xlsx")
