from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, render
from django_tables2 import RequestConfig

from core.history import change_log

from . import selectors
from .filters import MeetingFilter
from .models import AgendaPaper
from .tables import MeetingTable

PER_PAGE = 50


@permission_required("meetings.view_meeting", raise_exception=True)
def meeting_list(request):
    """会議の一覧: newest first, filterable by keyword, result and fiscal year."""
    filterset = MeetingFilter(request.GET or None, queryset=selectors.meetings())
    table = MeetingTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return render(request, "meetings/list.html", {"table": table, "filter": filterset})


@permission_required("meetings.view_meeting", raise_exception=True)
def meeting_detail(request, pk):
    """Both papers of a meeting laid out as printed, and their change history."""
    meeting = get_object_or_404(selectors.meeting_with_papers(), pk=pk)
    try:
        agenda_paper = meeting.agenda_paper
    except AgendaPaper.DoesNotExist:
        agenda_paper = None
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "points": list(meeting.points.all()),
            "agenda_paper": agenda_paper,
            "history": change_log(selectors.meeting_histories(meeting.pk)),
            "can_edit": request.user.has_perm("meetings.change_meeting"),
        },
    )
