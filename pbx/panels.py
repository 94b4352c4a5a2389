"""The rollout's dashboard panel: live / scheduled / 未定, the longest slip, the deadline."""

from django.utils.translation import gettext_lazy as _

from core.history import AsOf
from reports.dashboard import Panel

from . import selectors

SITES_SHOWN = 10  # the page lists them all


class PbxPanel(Panel):
    key = "pbx"
    title = _("クラウドPBX")
    order = 40
    template_name = "pbx/panel.html"
    link_url_name = "pbx:rollout"
    link_label = _("施設ごとの状況を開く")
    permission = "pbx.view_site"

    def figures(self, as_of: AsOf):
        return selectors.figures(as_of)

    def get_context(self, as_of: AsOf) -> dict:
        rows = selectors.site_rows(as_of)
        shown = selectors.with_last_steps(rows[:SITES_SHOWN], as_of.day)
        return {
            "figures": self.figures(as_of),
            "summary": selectors.summary(as_of),
            "rows": shown,
            "more": len(rows) - len(shown),
            "warnings": [row for row in rows if row.deadline_warning][:SITES_SHOWN],
            "as_of": as_of,
        }
