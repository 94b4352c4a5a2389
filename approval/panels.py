"""The dashboard's 電子決裁 panel: the published rate, the counted rate and the rollout."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.history import AsOf
from reports.dashboard import Panel

from . import selectors

DEPARTMENTS_SHOWN = 8  # the page lists them all


class ApprovalPanel(Panel):
    key = "approval"
    title = _("電子決裁")
    order = 40
    template_name = "approval/panel.html"
    link_url_name = "approval:page"
    link_label = _("電子決裁の状況を開く")
    permission = "approval.view_measurement"

    def figures(self, as_of: AsOf):
        figures = selectors.published_figures(as_of, limit=1)
        return [*figures, selectors.current_rates(as_of).whole]

    def get_context(self, as_of: AsOf) -> dict:
        current = selectors.current_rates(as_of)
        return {
            "figures": self.figures(as_of),
            "current": current,
            "departments": current.departments[:DEPARTMENTS_SHOWN],
            "more_departments": max(len(current.departments) - DEPARTMENTS_SHOWN, 0),
            "rollout": selectors.rollout_counts(as_of),
        }
