"""The views the core composes from what the apps register: the dashboard and the workbook."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.history import AsOf
from core.japanese import FIRST_PRINTABLE_DAY, wareki
from core.spreadsheets import xlsx_response

from .changes import GROUPS_SHOWN, comparison
from .dashboard import date_shortcuts, panels
from .workbook import (
    WorkbookContext,
    build_workbook,
    options_form,
    sheets_for,
    workbook_filename,
)

LAST_DAY = dt.date(2100, 12, 31)  # the programme years end there too


def requested_day(query) -> str:
    """The day the dashboard's one form asks for: ?as_of, or a date picked from a list
    (?pick, a meeting's date) when the user changed the list rather than the date.

    The form sends the day it showed (?shown): a pick different from it is what the user
    chose; otherwise the date field is (with or without JavaScript keeping the two in step).
    """
    shown = query.get("shown", "").strip()
    for picked in query.getlist("pick"):
        picked = picked.strip()
        if picked and picked != shown:
            return picked
    return query.get("as_of", "").strip()


def parse_as_of(request) -> AsOf:
    """?as_of=YYYY-MM-DD, today by default; a bad date falls back to today with a message."""
    raw = requested_day(request.GET)
    if not raw:
        return AsOf.today()
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        messages.error(
            request,
            _("日付「%(value)s」は読み取れません。本日の時点で表示します。") % {"value": raw},
        )
        return AsOf.today()
    if not FIRST_PRINTABLE_DAY <= day <= LAST_DAY:
        messages.error(
            request,
            _(
                "日付「%(value)s」は表示できる範囲（%(first)s〜%(last)s）の外です。"
                "本日の時点で表示します。"
            )
            % {"value": raw, "first": wareki(FIRST_PRINTABLE_DAY), "last": wareki(LAST_DAY)},
        )
        return AsOf.today()
    return AsOf(day)


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
        {"label": shortcut.label, "dates": shortcut.dates()}
        for shortcut in date_shortcuts
        if shortcut.visible_to(request.user)
    ]
    return render(
        request,
        "reports/dashboard.html",
        {
            "as_of": as_of,
            "panels": rendered,
            "shortcuts": shortcuts,
            "comparison": comparison(as_of, request.user, limit=GROUPS_SHOWN),
        },
    )


@require_GET
def workbook_download(request):
    """Every registered sheet the user may view, as of the date, with the options they chose."""
    as_of = parse_as_of(request)
    chosen = sheets_for(request.user)
    if not chosen:
        raise PermissionDenied
    form = options_form(chosen, request.GET)
    if not form.is_valid():
        errors = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        return HttpResponseBadRequest(
            _("会議資料の指定が正しくありません：%(errors)s") % {"errors": errors},
            content_type="text/plain; charset=utf-8",
        )
    context = WorkbookContext(as_of=as_of, options=form.cleaned_data, user=request.user)
    return xlsx_response(build_workbook(context), workbook_filename(context))
