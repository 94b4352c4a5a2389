"""The dashboard's 総合窓口 panel: the fiscal year up to the dashboard's date."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.history import AsOf
from reports.dashboard import Panel

from . import selectors
from .selectors import CounterFilter


class CounterPanel(Panel):
    key = "counter"
    title = _("総合窓口・キャッシュレス決済")
    order = 40
    permission = "counter.view_receptiontally"
    template_name = "counter/panel.html"
    link_url_name = "counter:summary"
    link_label = _("総合窓口の集計を開く")

    def period(self, as_of: AsOf) -> CounterFilter:
        return CounterFilter.fiscal_year_to(as_of.day)

    def figures(self, as_of: AsOf):
        period = self.period(as_of)
        return [
            *selectors.reception_figures(as_of, period),
            *selectors.cashless_figures(as_of, period),
        ]

    def get_context(self, as_of: AsOf) -> dict:
        """Four queries whatever the data: totals, hours, cashless (the figures share them)."""
        period = self.period(as_of)
        return {
            "figures": self.figures(as_of),
            "busiest": selectors.busiest_hours(selectors.by_hour(as_of, period)),
            "period": period,
            "until": period.until(as_of),
        }
