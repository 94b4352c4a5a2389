"""The seat plan's changes between two moments, grouped by section (for "since the last meeting")."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from reports.changes import ChangeSource

from .models import SeatPlan, Section


class LayoutChanges(ChangeSource):
    key = "layout"
    title = _("座席計画")
    order = 60
    permission = "layout.view_seatplan"

    def histories(self):
        return [
            (Section.history.all(), "id"),
            (SeatPlan.history.all(), "section_id"),
        ]

    def labels(self, things, end) -> dict[int, str]:
        """Each section's name as it last stood up to ``end`` (deleted ones keep theirs)."""
        records = Section.history.filter(id__in=things)
        if end is not None:
            records = records.filter(history_date__lte=end)
        rows = records.order_by("history_date", "history_id").values_list("id", "name")
        return dict(rows)
