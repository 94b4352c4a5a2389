"""Admin building blocks shared by the area apps: the history page with the parts' changes."""

from django.db.models import QuerySet
from simple_history.admin import SimpleHistoryAdmin

from .history import change_log


class HistoryWithPartsAdmin(SimpleHistoryAdmin):
    """The history page also lists the changes of the object's parts (its inlines).

    Subclasses name the parts' history querysets in ``history_parts``.
    """

    object_history_template = "admin/core/object_history.html"
    object_history_list_template = "admin/core/object_history_list.html"
    parts_label = ""

    def history_parts(self, obj) -> list[QuerySet]:
        return []

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None:
            extra_context = {
                **(extra_context or {}),
                "parts_history": change_log(self.history_parts(obj)),
                "parts_label": self.parts_label,
            }
        return super().history_view(request, object_id, extra_context=extra_context)
