"""The first two sheets of the meeting workbook: 会議結果報告書 and 重要計画付議(報告)書.

Each sheet is laid out like the paper form (A4 portrait, fitted to the page width, bordered
rows, merged cells) so that it prints as the city files it. Dates are date cells printed in
the era (令和4年11月1日, ``form_date``), row numbers are numbers; every user text goes through
``form_cell`` (and so ``write_cell``), which stores it as text, never as a formula.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, range_boundaries

from core.formsheet import FONT_SIZE, ListedForm, column_range, outline, row_height
from core.japanese import wareki
from core.organisation import organisation
from core.spreadsheets import (
    FORM_FONT,
    MEDIUM,
    PLAIN_INTEGER_FORMAT,
    form_cell,
    form_date,
    set_widths,
    setup_page,
    write_cell,
)
from reports.workbook import Sheet, WorkbookContext

from . import selectors
from .changes import previous_meeting
from .models import AgendaPaper, Meeting

# A: row number, B: label, C–H: the answer (six equal columns, so the five result boxes can
# sit three and two to a line, two columns each). Widths in Excel units (≈ one half-width
# character; a kanji takes about two).
WIDTHS = (4.5, 13, 13, 13, 13, 13, 13, 13)
LAST_COLUMN = get_column_letter(len(WIDTHS))
ANSWER_WIDTH = sum(WIDTHS[2:])  # columns C–H merged
FULL_WIDTH = sum(WIDTHS)  # columns A–H merged

NO_MEETING = gettext_noop("該当する会議はありません。")
NO_AGENDA_PAPER = gettext_noop("この会議の重要計画付議(報告)書は登録されていません。")


def heading(ws, row: int, number: int, label: str, *, last_row: int | None = None) -> None:
    """The number (a number cell) and label cells of a numbered row (merged to ``last_row``)."""
    last_row = last_row or row

    form_cell(
        ws,
        column_range("A", row, last_row),
        number,
        horizontal="center",
        number_format=PLAIN_INTEGER_FORMAT,
    )
    label_cell = form_cell(ws, column_range("B", row, last_row), label)
    # 均等割り付け: short labels are spread over the cell as on the paper (場　所, 件　名).
    label_cell.alignment = Alignment(
        horizontal="distributed", vertical="center", wrap_text=True, indent=1
    )


def indented(cell) -> None:
    """Keep the text off the cell's left border (wrapped, aligned as before)."""
    old = cell.alignment
    cell.alignment = Alignment(
        horizontal=old.horizontal, vertical=old.vertical, wrap_text=old.wrap_text, indent=1
    )


def answer(ws, row: int, value: str, *, vertical: str = "center", minimum: float = 24) -> None:
    """The answer of a numbered row, columns C–H merged, its height fitted to the text."""
    indented(form_cell(ws, f"C{row}:{LAST_COLUMN}{row}", value, vertical=vertical))
    ws.row_dimensions[row].height = row_height(value, ANSWER_WIDTH - 2, minimum=minimum)


def answer_date(ws, row: int, day) -> None:
    """A numbered row's date (会議日時): a date cell printed in the era."""
    indented(form_date(ws, f"C{row}:{LAST_COLUMN}{row}", day))
    ws.row_dimensions[row].height = 24


def date_line(ws, row: int, day, *, first: str = "F") -> None:
    """The form's date above the table (令和4年11月24日), right-aligned: a date cell."""
    form_date(ws, f"{first}{row}:{LAST_COLUMN}{row}", day, horizontal="right", border=False)
    ws.row_dimensions[row].height = 20


def title(ws, row: int, text: str) -> None:
    form_cell(
        ws,
        f"A{row}:{LAST_COLUMN}{row}",
        text,
        size=16,
        bold=True,
        horizontal="center",
        border=False,
    )
    ws.row_dimensions[row].height = 32


def line(ws, row: int, text: str, *, first: str = "A", horizontal: str = "left") -> None:
    """A line of text outside the table (date, 部課名, 備考), fitted to its width."""
    form_cell(ws, f"{first}{row}:{LAST_COLUMN}{row}", text, horizontal=horizontal, border=False)
    first_index = range_boundaries(f"{first}1")[0]
    width = sum(WIDTHS[first_index - 1 :])
    ws.row_dimensions[row].height = row_height(text, width, minimum=20)


def start(ws) -> None:
    """What every form sheet shares: A4 portrait fitted to the width, widths, no grid."""
    setup_page(ws)
    set_widths(ws, WIDTHS)
    ws.sheet_view.showGridLines = False


def note_only(ws, text: str) -> None:
    """A sheet with nothing to show but why (no meeting, no agenda paper)."""
    start(ws)
    cell = write_cell(ws, 1, 1, text)
    cell.font = Font(name=FORM_FONT, size=FONT_SIZE)
    ws.print_area = f"A1:{LAST_COLUMN}1"


class MeetingFormSheet(Sheet):
    """A paper of the meeting the download chose (``?meeting=``); a plain date has none."""

    permission = "meetings.view_meeting"
    options = {"meeting": forms.IntegerField(required=False, min_value=1)}

    def meeting(self, context: WorkbookContext) -> Meeting | None:
        """The meeting of this download, read once for all its sheets."""
        meeting_id = context.options.get("meeting")
        return context.as_of.once(
            f"meetings.workbook_meeting.{meeting_id}",
            lambda: selectors.meeting_for_workbook(meeting_id),
        )

    def included(self, context: WorkbookContext) -> bool:
        # A plain date's workbook is the programme's state, not a meeting's papers: no meeting
        # form leads it (the meeting page's 会議資料 button chooses the meeting).
        return bool(context.options.get("meeting"))

    def file_title(self, context: WorkbookContext) -> str | None:
        meeting = self.meeting(context)
        if meeting is None:
            return None
        return _("会議資料_%(date)s") % {"date": wareki(meeting.held_on)}

    def write(self, ws, context: WorkbookContext) -> None:
        meeting = self.meeting(context)
        if meeting is None:
            note_only(ws, _(NO_MEETING))
            return
        self.write_form(ws, meeting)

    def write_form(self, ws, meeting: Meeting) -> None:
        raise NotImplementedError


# --- 会議結果報告書 ---------------------------------------------------------------------------


class MeetingReportSheet(MeetingFormSheet):
    key = "meeting_report"
    title = "会議結果報告書"
    order = 10

    def write_form(self, ws, meeting: Meeting) -> None:
        start(ws)
        title(ws, 1, _("会議結果報告書"))
        date_line(ws, 3, meeting.reported_on)

        top = 5
        heading(ws, 5, 1, _("会議日時"))
        answer_date(ws, 5, meeting.held_on)
        heading(ws, 6, 2, _("場所"))
        answer(ws, 6, meeting.place)
        heading(ws, 7, 3, _("件名"))
        answer(ws, 7, meeting.subject)
        heading(ws, 8, 4, _("出席者"))
        answer(ws, 8, meeting.attendees)

        # 5 会議結果: the five boxes in printed order, three on the first line, two below.
        heading(ws, 9, 5, _("会議結果"), last_row=10)
        slots = ("C9:D9", "E9:F9", "G9:H9", "C10:D10", "E10:F10")
        for slot, (label, chosen) in zip(slots, meeting.result_boxes(), strict=True):
            box = "☑" if chosen else "☐"
            indented(form_cell(ws, slot, f"{box} {label}", bold=chosen, border=False))
        outline(ws, f"C9:{LAST_COLUMN}10")
        ws.row_dimensions[9].height = ws.row_dimensions[10].height = 22

        # 6 会議内容: one wrapped cell per point (●…), its reply (→…) on the lines below.
        points = list(meeting.points.all())
        first_point = 11
        last_point = first_point + max(len(points), 1) - 1
        heading(ws, first_point, 6, _("会議内容"), last_row=last_point)
        for row, point in enumerate(points, start=first_point):
            text = f"●{point.text}"
            if point.reply:
                text += f"\n→{point.reply}"
            cell = form_cell(ws, f"C{row}:{LAST_COLUMN}{row}", text, vertical="top", border=False)
            indented(cell)
            ws.row_dimensions[row].height = row_height(text, ANSWER_WIDTH - 2, minimum=24)
        if not points:
            form_cell(ws, f"C{first_point}:{LAST_COLUMN}{first_point}", "", border=False)
            ws.row_dimensions[first_point].height = 60
        outline(ws, f"C{first_point}:{LAST_COLUMN}{last_point}")

        outline(ws, f"A{top}:{LAST_COLUMN}{last_point}", MEDIUM)

        row = last_point + 1
        line(ws, row, _("備考：会議内容を簡潔に記載すること"))
        if meeting.remarks:
            row += 1
            line(ws, row, meeting.remarks)
            ws[f"A{row}"].alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
        ws.print_area = f"A1:{LAST_COLUMN}{row}"


# --- 重要計画付議(報告)書 (様式第2号(第4条関係)) -----------------------------------------------


class AgendaPaperSheet(MeetingFormSheet):
    key = "agenda_paper"
    title = "重要計画付議(報告)書"
    order = 20

    def write_form(self, ws, meeting: Meeting) -> None:
        try:
            paper = meeting.agenda_paper
        except AgendaPaper.DoesNotExist:
            note_only(ws, _(NO_AGENDA_PAPER))
            return
        start(ws)
        form_cell(ws, "A1:D1", organisation().agenda_form_number, border=False)
        title(ws, 3, _("重要計画付議(報告)書"))
        date_line(ws, 5, paper.submitted_on)
        department = _("部課名(%(department)s)") % {"department": paper.department}
        line(ws, 6, department, first="C", horizontal="right")

        rows = (
            (1, _("件名"), paper.subject, "center", 30),
            (2, _("計画の概要"), paper.plan_summary, "top", 160),
            (3, _("関係法令等"), paper.related_laws, "top", 60),
            (4, _("関係課"), paper.related_sections, "top", 60),
            (5, _("その他"), paper.other, "top", 60),
        )
        top = 8
        for row, (number, label, value, vertical, minimum) in enumerate(rows, start=top):
            heading(ws, row, number, label)
            answer(ws, row, value, vertical=vertical, minimum=minimum)
        bottom = top + len(rows) - 1
        outline(ws, f"A{top}:{LAST_COLUMN}{bottom}", MEDIUM)

        line(ws, bottom + 1, _("備考：計画書を付議又は報告する場合に使用"))
        ws.print_area = f"A1:{LAST_COLUMN}{bottom + 1}"


# --- 前回までの指示事項の対応状況 (the follow-up, before the new business) --------------------

FOLLOW_UP_WIDTHS = (14, 10, 50, 20, 14, 10, 40)
NO_COMMITMENTS = gettext_noop("前回までの会議の決定事項・指示事項はありません。")


class FollowUpSheet(MeetingFormSheet):
    """The decisions and instructions of the meetings before this one: those still open as of
    the papers' date, and those closed since the previous meeting, with their latest note."""

    key = "follow_up"
    title = "前回までの指示事項の対応状況"
    order = 22

    def write(self, ws, context: WorkbookContext) -> None:
        meeting = self.meeting(context)
        if meeting is None:
            note_only(ws, _(NO_MEETING))
            return
        previous = previous_meeting(meeting.held_on)
        found, _total = selectors.commitments(
            context.as_of,
            held_before=meeting.held_on,
            closed_since=previous.day if previous else None,
        )
        heading_text = _("前回までの指示事項の対応状況（%(date)s時点）") % {
            "date": context.as_of.label
        }
        header = [
            _("会議日"),
            _("種別"),
            _("内容"),
            _("担当課"),
            _("期限"),
            _("対応状況"),
            _("経過（最新）"),
        ]
        form = ListedForm(ws, heading_text, header, FOLLOW_UP_WIDTHS)
        for item in found:
            due = wareki(item.due_on) if item.due_on else _("期限なし")
            if item.overdue:
                due += _("（期限超過）")
            note = ""
            if item.last_note is not None:
                note = f"{wareki(item.last_note.noted_on)}：{item.last_note.text}"
            form.add(
                [
                    item.held_on,
                    item.kind_label,
                    item.content,
                    item.owner,
                    due,
                    item.state_label,
                    note,
                ]
            )
        form.finish(empty=_(NO_COMMITMENTS))
