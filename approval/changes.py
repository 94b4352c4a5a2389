"""E-approval's changes since the previous meeting: per department (its rollout and counts),
and the plan, targets and published rates (one group each)."""

from __future__ import annotations

from django.db.models import CharField, Value
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.changes import ChangeSource

from .models import Department, Measurement, PlanRevision, PublishedRate, Target


class ApprovalChanges(ChangeSource):
    key = "approval"
    title = gettext_lazy("電子決裁（部）")
    order = 40
    permission = "approval.view_measurement"

    def histories(self):
        return [
            (Department.history.all(), "id"),
            (Measurement.history.all(), "department_id"),
        ]

    def labels(self, things, end) -> dict[int, str]:
        """Each department's name as it last stood up to ``end``."""
        records = Department.history.filter(id__in=things)
        if end is not None:
            records = records.filter(history_date__lte=end)
        return dict(records.order_by("history_date", "history_id").values_list("id", "name"))


GROUPS = {
    "plan": gettext_lazy("電子決裁の計画"),
    "target": gettext_lazy("電子決裁率の目標"),
    "published": gettext_lazy("公表された電子決裁率"),
}


def _grouped(history, group: str):
    """A history whose records all belong to one group (the tables have no common parent)."""
    return history.annotate(change_group=Value(group, output_field=CharField()))


class ApprovalPlanChanges(ChangeSource):
    key = "approval_plan"
    title = gettext_lazy("電子決裁（計画・目標・公表値）")
    order = 41
    permission = "approval.view_planrevision"

    def histories(self):
        return [
            (_grouped(PlanRevision.history.all(), "plan"), "change_group"),
            (_grouped(Target.history.all(), "target"), "change_group"),
            (_grouped(PublishedRate.history.all(), "published"), "change_group"),
        ]

    def labels(self, things, end) -> dict[str, str]:
        return {thing: str(GROUPS.get(thing, _("その他"))) for thing in things}
