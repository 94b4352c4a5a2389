"""The seat plan's panel on the executive dashboard: floors short, by how much, flagged rows."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.history import AsOf
from reports.dashboard import Panel

from . import selectors
from .charts import seats_by_floor

FLAGGED_SHOWN = 10


class LayoutPanel(Panel):
    key = "layout"
    title = _("座席計画（レイアウト）")
    order = 60
    template_name = "layout/panel.html"
    link_url_name = "layout:table"
    link_label = _("座席計画の表を開く")
    permission = "layout.view_seatplan"

    def figures(self, as_of: AsOf):
        scope = selectors.default_scope(as_of)
        if scope.fiscal_year is None:
            return []
        return selectors.figures(as_of, scope)

    def get_context(self, as_of: AsOf) -> dict:
        scope = selectors.default_scope(as_of)
        if scope.fiscal_year is None:
            return {"scope": scope}
        floors = selectors.floor_totals(as_of, scope)
        return {
            "scope": scope,
            "figures": self.figures(as_of),
            "short_floors": [f for f in floors if f.short],
            "flagged": selectors.flagged_rows(as_of, scope, FLAGGED_SHOWN),
            "flagged_count": selectors.grand_total(as_of, scope).flagged,
            "chart": seats_by_floor("layout-panel", str(_("階ごとの確保席数と必要数")), floors),
        }
