"""The schedule's panel on the executive dashboard."""

from django.utils.translation import gettext_lazy as _

from core.charts import bar_chart
from core.history import AsOf
from core.japanese import fiscal_year_label, number
from reports.dashboard import Panel

from . import selectors

# A panel shows the first entries of a list and how many there are; the page has them all.
OPEN_ITEMS_SHOWN = 10
CONCERNS_SHOWN = 8


class SchedulePanel(Panel):
    key = "schedule"
    title = _("全体のスケジュール")
    order = 10
    template_name = "projects/panel.html"
    link_url_name = "projects:schedule"
    link_label = _("全体のスケジュールを開く")
    permission = "projects.view_scheduleitem"

    def figures(self, as_of: AsOf):
        return [selectors.budget_total_figure(as_of)]

    def sheet_figures(self, as_of: AsOf):
        """The 計, and what the panel shows as a chart and a list: the items, the items per
        status and the concerns, each counted as of the day (the same queries as the panel)."""
        return [*self.figures(as_of), *selectors.count_figures(as_of, CONCERNS_SHOWN)]

    def get_context(self, as_of: AsOf) -> dict:
        counts = [c for c in selectors.status_counts(as_of) if c.count]
        return {
            "figures": self.figures(as_of),
            "item_count": sum(c.count for c in counts),
            "status_chart": bar_chart(
                "schedule-status",
                str(_("状況別の項目数")),
                [c.name for c in counts],
                [c.count for c in counts],
                unit=str(_("項目数")),
                label_header=str(_("状況")),
                value_header=str(_("項目数")),
                formatted=[number(c.count) for c in counts],
            ),
            "open_items": selectors.open_items_of_fiscal_year(as_of, OPEN_ITEMS_SHOWN),
            "programme_years": [
                fiscal_year_label(y) for y in selectors.programme_years_as_of(as_of)
            ],
            "year_in_programme": as_of.fiscal_year in selectors.programme_years_as_of(as_of),
            "concerns": selectors.concerns_as_of(as_of, CONCERNS_SHOWN),
        }
