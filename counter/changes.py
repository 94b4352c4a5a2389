"""The counter's changes since the previous meeting: requests, and plans with the sites."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.japanese import fiscal_year_label
from reports.changes import ChangeSource

from .models import CounterPlan, CounterRequest


def _latest(history, things, end, *fields):
    records = history.filter(id__in=things)
    if end is not None:
        records = records.filter(history_date__lte=end)
    return records.order_by("history_date", "history_id").values_list("id", *fields)


class CounterRequestChanges(ChangeSource):
    key = "counter_requests"
    title = _("総合窓口への要望")
    order = 40
    permission = "counter.view_counterrequest"

    def histories(self):
        return [(CounterRequest.history.all(), "id")]

    def labels(self, things, end) -> dict[int, str]:
        rows = _latest(CounterRequest.history, things, end, "text")
        return {pk: text[:40] for pk, text in rows}


class CounterPlanChanges(ChangeSource):
    key = "counter_plans"
    title = _("総合窓口の展開計画")
    order = 41
    permission = "counter.view_counterplan"

    def histories(self):
        return [(CounterPlan.history.all(), "id")]

    def labels(self, things, end) -> dict[int, str]:
        rows = _latest(CounterPlan.history, things, end, "fiscal_year", "title")
        return {pk: f"{fiscal_year_label(year)} {title}" for pk, year, title in rows}
