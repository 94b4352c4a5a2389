"""Writes of meetings: issuing a meeting's papers, preparing the next meeting."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.history import AsOf
from core.japanese import person_name
from reports.workbook import WorkbookContext, build_workbook, workbook_filename

from .models import AgendaPaper, IssuedPapers, Meeting


class AlreadyIssued(Exception):
    """The meeting's papers were issued before: they stay as they were."""


def draft_workbook(meeting: Meeting, user) -> tuple[bytes, str]:
    """The meeting's workbook as of its date, built now (what 「資料を確定」 would store)."""
    context = WorkbookContext(
        as_of=AsOf(meeting.held_on), options={"meeting": meeting.pk}, user=user
    )
    buffer = io.BytesIO()
    build_workbook(context).save(buffer)
    return buffer.getvalue(), workbook_filename(context)


def issue_papers(meeting: Meeting, user) -> IssuedPapers:
    """Build the workbook now and store its bytes and SHA-256; once per meeting."""
    content, filename = draft_workbook(meeting, user)
    name = person_name(user)
    try:
        with transaction.atomic():
            return IssuedPapers.objects.create(
                meeting=meeting,
                issued_at=timezone.now(),
                issued_by=user,
                issued_by_name=name,
                as_of=meeting.held_on,
                filename=filename,
                content=content,
                sha256=hashlib.sha256(content).hexdigest(),
                size=len(content),
            )
    except IntegrityError as error:  # issued meanwhile by someone else
        raise AlreadyIssued from error


def prepare_next_meeting(
    previous: Meeting, held_on: dt.date, subject: str, name: str = ""
) -> Meeting:
    """A new meeting on ``held_on``, its agenda paper a copy of the previous one's to edit.

    The place and attendees are carried over as a start; the result stays blank until held.
    """
    with transaction.atomic():
        meeting = Meeting.objects.create(
            held_on=held_on,
            name=name,
            subject=subject,
            place=previous.place,
            attendees=previous.attendees,
        )
        paper = AgendaPaper.objects.filter(meeting=previous).first()
        if paper is not None:
            AgendaPaper.objects.create(
                meeting=meeting,
                submitted_on=timezone.localdate(),
                department=paper.department,
                subject=paper.subject,
                plan_summary=paper.plan_summary,
                related_laws=paper.related_laws,
                related_sections=paper.related_sections,
                other=paper.other,
            )
    return meeting
