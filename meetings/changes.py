"""The meetings' own changes, grouped by meeting, and which meeting counts as the previous one."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.japanese import wareki
from reports.changes import Baseline, ChangeSource

from .models import AgendaPaper, Meeting, MeetingPoint


def previous_meeting(day: dt.date) -> Baseline | None:
    """The last meeting held on or before ``day`` (one query)."""
    held_on = (
        Meeting.objects.filter(held_on__lte=day)
        .order_by("-held_on")
        .values_list("held_on", flat=True)
        .first()
    )
    if held_on is None:
        return None
    return Baseline(held_on, _("前回の会議（%(date)s）") % {"date": wareki(held_on)})


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
