"""The rollout page: every site as of a chosen date, its story of revisions, the timeline,
slips per month, and downloads of the same data."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.history import AsOf
from core.japanese import wareki
from core.spreadsheets import csv_response, xlsx_response
from reports.workbook import WorkbookContext

from . import selectors
from .charts import timeline_chart
from .filters import RolloutFilter
from .sheets import (
    REVISION_HEADER,
    SITE_HEADER,
    PbxFormSheet,
    PbxRevisionDataSheet,
    PbxSiteDataSheet,
    revision_data_rows,
    site_data_rows,
)

PER_PAGE = 50


def _conditions(request):
    form = RolloutFilter(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    day = data.get("as_of")
    as_of = AsOf(day) if day else AsOf.today()
    warn_days = data.get("warn_days")
    if warn_days is None:
        warn_days = selectors.DEFAULT_WARN_DAYS
    return form, data, as_of, warn_days


@permission_required("pbx.view_site", raise_exception=True)
def rollout(request):
    form, data, as_of, warn_days = _conditions(request)
    all_rows = selectors.site_rows(as_of, warn_days)
    rows = selectors.filter_rows(
        all_rows, data.get("state", ""), data.get("porting", ""), data.get("warning", False)
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    shown = selectors.with_steps(list(page.object_list), as_of.day)
    contract = selectors.contract_as_of(as_of)
    chart = None
    if contract is not None and shown:
        chart = timeline_chart(shown, contract.signed_on, contract.due_on, as_of.day)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "pbx/rollout.html",
        {
            "filter": form,
            "as_of": as_of,
            "rows": shown,
            "page": page,
            "query": query.urlencode(),
            "contract": contract,
            "summary": selectors.summary(as_of, warn_days),
            "figures": selectors.figures(as_of),
            "slips": selectors.slips_per_month(as_of),
            "chart": chart,
            "warn_days": warn_days,
        },
    )


@permission_required("pbx.view_site", raise_exception=True)
def sites_csv(request):
    _form, _data, as_of, _warn = _conditions(request)
    name = _("クラウドPBX_施設_%(date)s時点.csv") % {"date": wareki(as_of.day)}
    return csv_response(name, SITE_HEADER, site_data_rows(as_of))


@permission_required("pbx.view_revision", raise_exception=True)
def revisions_csv(request):
    _form, _data, as_of, _warn = _conditions(request)
    name = _("クラウドPBX_予定変更_%(date)s時点.csv") % {"date": wareki(as_of.day)}
    return csv_response(name, REVISION_HEADER, revision_data_rows(as_of))


@permission_required("pbx.view_revision", raise_exception=True)
def rollout_xlsx(request):
    """The form and both data sheets, as in the meeting workbook."""
    _form, _data, as_of, _warn = _conditions(request)
    context = WorkbookContext(as_of=as_of, user=request.user)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in (PbxFormSheet(), PbxSiteDataSheet(), PbxRevisionDataSheet()):
        sheet.write(workbook.create_sheet(sheet.title), context)
    name = _("クラウドPBX_%(date)s時点.xlsx") % {"date": wareki(as_of.day)}
    return xlsx_response(workbook, name)
