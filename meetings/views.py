from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_tables2 import RequestConfig

from core.history import change_log
from core.japanese import wareki
from core.spreadsheets import XLSX_TYPE, content_disposition

from . import selectors, services
from .filters import MeetingFilter
from .forms import NextMeetingForm
from .models import AgendaPaper, IssuedPapers, Meeting
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
            "issued": IssuedPapers.objects.filter(meeting=meeting)
            .defer("content")
            .select_related("issued_by")
            .first(),
            "can_issue": request.user.has_perm("meetings.add_issuedpapers"),
            "can_prepare": request.user.has_perm("meetings.add_meeting"),
        },
    )


@permission_required("meetings.view_meeting", raise_exception=True)
@require_GET
def meeting_papers(request, pk):
    """The meeting's papers: the issued file byte for byte once issued, else a draft built now
    as of the meeting's date."""
    meeting = get_object_or_404(Meeting, pk=pk)
    issued = IssuedPapers.objects.filter(meeting=meeting).first()
    if issued is not None:
        response = HttpResponse(bytes(issued.content), content_type=XLSX_TYPE)
        response["Content-Disposition"] = content_disposition(issued.filename)
        response["ETag"] = f'"{issued.sha256}"'
        return response
    content, filename = services.draft_workbook(meeting, request.user)
    stem = filename.removesuffix(".xlsx")
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition(_("%(name)s_案.xlsx") % {"name": stem})
    return response


@permission_required("meetings.add_issuedpapers", raise_exception=True)
@require_POST
def issue_papers(request, pk):
    """「資料を確定」: store the workbook as it is now; the meeting's papers are that file."""
    meeting = get_object_or_404(Meeting, pk=pk)
    try:
        issued = services.issue_papers(meeting, request.user)
    except services.AlreadyIssued:
        messages.error(request, _("この会議の資料はすでに確定しています。"))
    else:
        messages.success(
            request,
            _("会議資料を確定しました（SHA-256: %(digest)s）。") % {"digest": issued.sha256},
        )
    return redirect(meeting)


@permission_required("meetings.add_meeting", raise_exception=True)
def prepare_next(request, pk):
    """次回の会議を準備: a new meeting with its date; its agenda paper a copy of this one's."""
    previous = get_object_or_404(Meeting, pk=pk)
    if request.method == "POST":
        form = NextMeetingForm(request.POST, previous=previous)
        if form.is_valid():
            meeting = services.prepare_next_meeting(
                previous,
                form.cleaned_data["held_on"],
                form.cleaned_data["subject"],
                form.cleaned_data["name"],
            )
            messages.success(
                request,
                _("次回の会議（%(date)s）を作成しました。重要計画付議書は前回の写しです。")
                % {"date": wareki(meeting.held_on)},
            )
            return redirect(meeting)
    else:
        form = NextMeetingForm(
            previous=previous,
            initial={"name": previous.name, "subject": previous.subject},
        )
    return render(request, "meetings/prepare_next.html", {"form": form, "previous": previous})
