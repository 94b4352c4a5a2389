"""Meetings made in tests (no factory library: a few plain functions)."""

from __future__ import annotations

import datetime as dt

from meetings.models import AgendaPaper, Meeting, MeetingPoint, MeetingResult


def make_meeting(
    held_on: dt.date = dt.date(2023, 5, 10),
    *,
    subject: str = "テスト会議",
    place: str = "第1会議室",
    result: str = MeetingResult.DECIDED,
    points: tuple[tuple[str, str], ...] = (("論点", "回答"),),
    agenda: bool = True,
    **fields,
) -> Meeting:
    meeting = Meeting.objects.create(
        held_on=held_on,
        subject=subject,
        place=place,
        attendees=fields.pop("attendees", "市長、副市長"),
        result=result,
        reported_on=fields.pop("reported_on", held_on + dt.timedelta(days=7)),
        **fields,
    )
    for order, (point, reply) in enumerate(points, start=1):
        MeetingPoint.objects.create(meeting=meeting, order=order, text=point, reply=reply)
    if agenda:
        AgendaPaper.objects.create(
            meeting=meeting,
            submitted_on=held_on - dt.timedelta(days=7),
            department="政策企画部 政策推進課",
            subject=subject,
            plan_summary="計画の概要",
        )
    return meeting
