"""Reads of meetings: every page (and later export) goes through here."""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)

from core.japanese import fiscal_year_bounds, fiscal_year_of, wareki

from .models import AgendaPaper, Meeting, MeetingPoint, MeetingResult


def meetings() -> QuerySet[Meeting]:
    """Meetings newest first, as the list shows them (one query whatever their number).

    ``result_order`` is the position of the result's box on the paper, so that sorting by
    会議結果 follows the printed order rather than the stored codes.
    """
    result_order = Case(
        *(When(result=value, then=Value(i)) for i, value in enumerate(MeetingResult.values)),
        output_field=IntegerField(),
    )
    return Meeting.objects.annotate(result_order=result_order).order_by("-held_on", "-id")


def meeting_with_papers() -> QuerySet[Meeting]:
    """Meetings with everything both papers show: the agenda paper and the points."""
    return Meeting.objects.select_related("agenda_paper").prefetch_related("points")


def search_meetings(items: QuerySet[Meeting], text: str) -> QuerySet[Meeting]:
    """Meetings whose subject, place or points (or their replies) contain ``text``.

    The points are searched with EXISTS rather than a join, so no meeting is listed twice.
    """
    return items.filter(
        Q(subject__icontains=text)
        | Q(place__icontains=text)
        | Exists(
            MeetingPoint.objects.filter(meeting=OuterRef("pk")).filter(
                Q(text__icontains=text) | Q(reply__icontains=text)
            )
        )
    )


def meetings_in_fiscal_year(items: QuerySet[Meeting], fiscal_year: int) -> QuerySet[Meeting]:
    return items.filter(held_on__range=fiscal_year_bounds(fiscal_year))


def meeting_fiscal_years() -> list[int]:
    """The fiscal years (年度) in which meetings were held, newest first (one query)."""
    months = Meeting.objects.dates("held_on", "month")
    return sorted({fiscal_year_of(month) for month in months}, reverse=True)


def meeting_part_histories(meeting_id: int) -> list[QuerySet]:
    """The history querysets of a meeting's points and agenda paper.

    Filtered by the meeting's id, so points and papers since deleted are still included.
    """
    return [
        MeetingPoint.history.filter(meeting_id=meeting_id),
        AgendaPaper.history.filter(meeting_id=meeting_id),
    ]


def meeting_histories(meeting_id: int) -> list[QuerySet]:
    """The history querysets of a meeting and its parts, for ``core.history.change_log``."""
    return [Meeting.history.filter(id=meeting_id), *meeting_part_histories(meeting_id)]


def _with_agenda_and_point_count() -> QuerySet[Meeting]:
    """Meetings with their agenda paper joined and ``point_count`` (会議内容) annotated."""
    return Meeting.objects.select_related("agenda_paper").annotate(point_count=Count("points"))


def last_meeting_on_or_before(day: dt.date) -> Meeting | None:
    """The latest meeting held on or before ``day``, with its points (two queries), or None."""
    return (
        _with_agenda_and_point_count()
        .prefetch_related("points")
        .filter(held_on__lte=day)
        .order_by("-held_on", "-id")
        .first()
    )


def next_meeting_after(day: dt.date) -> Meeting | None:
    """The first meeting held after ``day`` (one query), or None."""
    return _with_agenda_and_point_count().filter(held_on__gt=day).order_by("held_on", "id").first()


def meeting_dates() -> list[tuple[dt.date, str]]:
    """For the as-of picker: (held_on, "令和4年11月1日 件名"), newest first (one query)."""
    rows = Meeting.objects.order_by("-held_on", "-id").values_list("held_on", "subject")
    return [(held_on, f"{wareki(held_on)} {subject}") for held_on, subject in rows]


def meeting_for_workbook(meeting_id: int | None, day: dt.date) -> Meeting | None:
    """The meeting whose papers lead the workbook, with its agenda paper and points.

    The chosen meeting if ``meeting_id`` is given (None if it does not exist), else the last
    meeting held on or before ``day``. Two queries: the meeting with its paper, the points.
    """
    items = meeting_with_papers()
    if meeting_id is not None:
        return items.filter(pk=meeting_id).first()
    return items.filter(held_on__lte=day).order_by("-held_on", "-id").first()
