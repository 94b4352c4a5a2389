"""The rollout's changes between two moments, grouped by site (for "since the last meeting")."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from reports.changes import ChangeSource

from .models import Revision, Site


class PbxChanges(ChangeSource):
    key = "pbx"
    title = _("クラウドPBX")
    order = 40
    permission = "pbx.view_site"

    def histories(self):
        return [
            (Site.history.all(), "id"),
            (Revision.history.all(), "site_id"),
        ]

    def labels(self, things, end) -> dict[int, str]:
        """Each site's name as it last stood up to ``end``."""
        records = Site.history.filter(id__in=things)
        if end is not None:
            records = records.filter(history_date__lte=end)
        return dict(records.order_by("history_date", "history_id").values_list("id", "name"))
