"""The schedule's changes between two moments, grouped by item (for "since the last meeting")."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from reports.changes import ChangeSource

from .models import BudgetLine, Concern, FiscalYearPlan, ScheduleItem


class ScheduleChanges(ChangeSource):
    key = "schedule"
    title = _("全体のスケジュール")
    order = 10
    permission = "projects.view_scheduleitem"

    def histories(self):
        return [
            (ScheduleItem.history.all(), "id"),
            (BudgetLine.history.all(), "item_id"),
            (FiscalYearPlan.history.all(), "item_id"),
            (Concern.history.all(), "item_id"),
        ]

    def labels(self, things, end) -> dict[int, str]:
        """Each item's name as it last stood up to ``end`` (deleted items keep theirs)."""
        records = ScheduleItem.history.filter(id__in=things)
        if end is not None:
            records = records.filter(history_date__lte=end)
        rows = records.order_by("history_date", "history_id").values_list("id", "name")
        return dict(rows)  # later records overwrite earlier ones
