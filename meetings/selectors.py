"""Reads of meetings: every page (and later export) goes through here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from core.history import AsOf
from core.history import as_of as as_of_rows
from core.japanese import fiscal_year_bounds, fiscal_year_of, wareki

from .models import (
    OPEN_STATES,
    AgendaPaper,
    Meeting,
    MeetingPoint,
    MeetingResult,
    PointKind,
    PointNote,
    PointState,
)


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


def meeting_for_workbook(meeting_id: int) -> Meeting | None:
    """The meeting whose papers lead the workbook, with its agenda paper and points (None if
    there is no such meeting). Two queries: the meeting with its paper, the points."""
    return meeting_with_papers().filter(pk=meeting_id).first()


# --- Commitments (決定事項・指示事項) ----------------------------------------------------------


@dataclass(frozen=True)
class Commitment:
    """A decision or instruction as it stood on a day, with its latest progress note."""

    pk: int
    meeting_id: int
    held_on: dt.date
    kind: str
    text: str
    reply: str
    owner: str
    due_on: dt.date | None
    state: str
    overdue: bool
    last_note: PointNote | None

    @property
    def kind_label(self) -> str:
        return str(PointKind(self.kind).label)

    @property
    def state_label(self) -> str:
        return str(PointState(self.state).label)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def content(self) -> str:
        return f"{self.text}\n→{self.reply}" if self.reply else self.text


COMMITMENTS_SHOWN = 20


def commitments(
    as_of: AsOf,
    *,
    held_before: dt.date | None = None,
    open_only: bool = True,
    closed_since: dt.date | None = None,
    limit: int | None = None,
) -> tuple[list[Commitment], int]:
    """Decisions and instructions as they stood on the as-of day, overdue first, then by due
    date (none last) and meeting; and how many there are in all.

    The points are read as of the day (their history); only meetings held on or before the day
    (or before ``held_before``) count. ``open_only`` keeps 未着手 and 対応中; ``closed_since``
    also keeps those closed with a note dated after that day (closed since the last meeting).
    Three queries whatever the number: the count, the points, their latest notes.
    """
    day = as_of.day
    last_day = min(day, held_before - dt.timedelta(days=1)) if held_before else day
    meetings_held = Meeting.objects.filter(held_on__lte=last_day).values("pk")
    points = as_of_rows(MeetingPoint, as_of.moment).filter(meeting_id__in=meetings_held)
    points = points.exclude(kind=PointKind.REMARK)
    if open_only:
        wanted = Q(state__in=OPEN_STATES)
        if closed_since is not None:
            noted = PointNote.objects.filter(
                point_id=OuterRef("id"), noted_on__gt=closed_since, noted_on__lte=day
            )
            wanted |= Exists(noted)
        points = points.filter(wanted)
    overdue = Case(
        When(Q(state__in=OPEN_STATES, due_on__lt=day), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    points = points.annotate(
        overdue=overdue,
        held_on=Subquery(Meeting.objects.filter(pk=OuterRef("meeting_id")).values("held_on")),
    ).order_by("-overdue", F("due_on").asc(nulls_last=True), "held_on", "order", "id")
    total = points.count()
    rows = list(
        points.values(
            "id", "meeting_id", "held_on", "kind", "text", "reply", "owner", "due_on", "state",
            "overdue",
        )[:limit]
    )  # fmt: skip
    notes: dict[int, PointNote] = {}
    for note in PointNote.objects.filter(
        point_id__in=[row["id"] for row in rows], noted_on__lte=day
    ).order_by("noted_on", "id"):
        notes[note.point_id] = note  # the latest comes last
    found = [
        Commitment(
            pk=row["id"],
            meeting_id=row["meeting_id"],
            held_on=row["held_on"],
            kind=row["kind"],
            text=row["text"],
            reply=row["reply"],
            owner=row["owner"],
            due_on=row["due_on"],
            state=row["state"],
            overdue=bool(row["overdue"]),
            last_note=notes.get(row["id"]),
        )
        for row in rows
    ]
    return found, total
