"""The dashboard's 会議 panel: the last meeting as of the chosen day, and the next one."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.history import AsOf
from reports.dashboard import Panel

from . import selectors


class MeetingPanel(Panel):
    key = "meetings"
    title = _("会議")
    order = 90
    permission = "meetings.view_meeting"
    template_name = "meetings/panel.html"
    link_url_name = "meetings:list"
    link_label = _("会議の一覧")

    def get_context(self, as_of: AsOf) -> dict:
        """The meeting held on or before the day and the first one after it (two queries)."""
        return {
            "last": selectors.last_meeting_on_or_before(as_of.day),
            "next": selectors.next_meeting_after(as_of.day),
        }


class CommitmentPanel(Panel):
    """決定事項・指示事項 still open on the day (未着手・対応中), overdue first."""

    key = "commitments"
    title = _("未完了の指示事項")
    order = 95
    permission = "meetings.view_meeting"
    template_name = "meetings/commitments_panel.html"
    link_url_name = "meetings:list"
    link_label = _("会議の一覧")

    def get_context(self, as_of: AsOf) -> dict:
        found, total = selectors.commitments(as_of, limit=selectors.COMMITMENTS_SHOWN)
        return {"commitments": found, "total": total, "more": total - len(found)}
