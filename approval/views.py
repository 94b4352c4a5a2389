from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from core.spreadsheets import csv_response, data_cell, data_sheet, xlsx_file_response
from reports.views import parse_as_of

from . import selectors
from .charts import rate_chart
from .sheets import COUNT_HEADER, COUNT_WIDTHS, PERCENT_FORMAT, count_sheet_rows


@require_GET
@permission_required("approval.view_measurement", raise_exception=True)
def approval_page(request):
    """電子決裁: the published rate, the counted rate (whole office, per department) with its
    period and n, the rollout, the rate over time with the target, and the plan's history."""
    as_of = parse_as_of(request)
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        return _export_counts(as_of, export)
    current = selectors.current_rates(as_of)
    series = selectors.rate_series(as_of)
    return render(
        request,
        "approval/page.html",
        {
            "as_of": as_of,
            "published": selectors.published_figures(as_of),
            "current": current,
            "rollout": selectors.rollout(as_of),
            "chart": rate_chart(series) if series.months else None,
            "targets": selectors.target_rows(as_of),
            "plan": selectors.plan_sections(as_of),
        },
    )


def _export_counts(as_of, export: str):
    """Every count (all years) as of the date: CSV streamed, .xlsx written in write-only mode."""
    filename = f"電子決裁_件数_{as_of.label}時点"
    rows = count_sheet_rows(selectors.count_rows(as_of))
    if export == "csv":
        return csv_response(f"{filename}.csv", COUNT_HEADER, rows)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("電子決裁_件数(データ)")
    data_sheet(sheet, COUNT_HEADER, [], widths=COUNT_WIDTHS)
    for row in rows:
        cells = [data_cell(sheet, value) for value in row]
        if row[5] is not None:  # the rate: a ratio shown as 66.9%
            cells[5] = WriteOnlyCell(sheet, row[5])
            cells[5].number_format = PERCENT_FORMAT
        sheet.append(cells)
    return xlsx_file_response(workbook, f"{filename}.xlsx")
