"""The views the core composes from what the apps register: the dashboard and the workbook."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.history import AsOf
from core.spreadsheets import xlsx_response

from .dashboard import date_shortcuts, panels
from .workbook import WorkbookContext, build_workbook, sheets_for, workbook_filename


def parse_as_of(request) -> AsOf:
    """?as_of=YYYY-MM-DD, today by default; a bad date falls back to today with a message."""
    raw = request.GET.get("as_of", "").strip()
    if not raw:
        return AsOf.today()
    try:
        return AsOf(dt.date.fromisoformat(raw))
    except ValueError:
        messages.error(
            request,
            _("日付「%(value)s」は読み取れません。本日の時点で表示します。") % {"value": raw},
        )
        return AsOf.today()


@require_GET
def home(request):
    """The executive dashboard: every registered panel, as of one date."""
    as_of = parse_as_of(request)
    rendered = []
    for panel in panels:
        if not panel.visible_to(request.user):
            continue
        context = {**panel.get_context(as_of), "panel": panel, "as_of": as_of}
        rendered.append(
            {
                "panel": panel,
                "html": render_to_string(panel.template_name, context, request=request),
                "link": reverse(panel.link_url_name) if panel.link_url_name else None,
            }
        )
    shortcuts = [
        {"label": shortcut.label, "dates": shortcut.dates()} for shortcut in date_shortcuts
    ]
    return render(
        request,
        "reports/dashboard.html",
        {"as_of": as_of, "panels": rendered, "shortcuts": shortcuts},
    )


@require_GET
def workbook_download(request):
    """会議結果報告書_令和4年11月1日.xlsx: every registered sheet, as of the date (or meeting)."""
    as_of = parse_as_of(request)
    meeting = request.GET.get("meeting", "")
    if not sheets_for(request.user):
        raise PermissionDenied
    context = WorkbookContext(
        as_of=as_of, meeting_id=int(meeting) if meeting.isdigit() else None, user=request.user
    )
    return xlsx_response(build_workbook(context), workbook_filename(as_of))
