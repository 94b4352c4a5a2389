"""The meetings' own changes, grouped by meeting, and which meeting counts as the previous one."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.japanese import wareki
from reports.changes import Baseline, ChangeSource

from .models import AgendaPaper, IssuedPapers, Meeting, MeetingPoint


def previous_meeting(day: dt.date) -> Baseline | None:
    """The meeting the papers of ``day`` compare with (one query), or None.

    The last meeting held before ``day`` whose papers were issued (「資料を確定」): what the
    executives last saw. Where none before ``day`` was issued, the last meeting held before
    it. Changes count from when the papers were fixed if that was before the meeting's end.
    As of a meeting's own day, the previous meeting is the one before it (its papers answer
    "what changed since we last met").
    """
    found = (
        Meeting.objects.filter(held_on__lt=day)
        .annotate(issued=Exists(IssuedPapers.objects.filter(meeting=OuterRef("pk"))))
        .order_by("-issued", "-held_on", "-id")
        .values_list("held_on", "issued_papers__issued_at")
        .first()
    )
    if found is None:
        return None
    held_on, issued_at = found
    return Baseline(held_on, _("前回の会議（%(date)s）") % {"date": wareki(held_on)}, at=issued_at)


class MeetingChanges(ChangeSource):
    key = "meetings"
    title = gettext_lazy("会議")
    order = 90
    permission = "meetings.view_meeting"

    def histories(self):
        return [
            (Meeting.history.all(), "id"),
            (MeetingPoint.history.all(), "meeting_id"),
            (AgendaPaper.history.all(), "meeting_id"),
        ]

    def labels(self, things, end) -> dict[int, str]:
        rows = (
            Meeting.history.filter(id__in=things)
            .order_by("history_date", "history_id")
            .values_list("id", "held_on", "subject")
        )
        return {pk: f"{wareki(held_on)} {subject}" for pk, held_on, subject in rows}
