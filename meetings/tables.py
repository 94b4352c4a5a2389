import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from core.japanese import EMPTY, wareki

from .models import Meeting


class MeetingTable(tables.Table):
    held_on = tables.Column(verbose_name=_("会議日"), order_by=("held_on", "id"))
    subject = tables.Column(verbose_name=_("件名"), linkify=True)
    place = tables.Column(verbose_name=_("場所"))
    result = tables.Column(verbose_name=_("会議結果"), order_by=("result_order", "-held_on"))

    class Meta:
        model = Meeting
        fields = ("held_on", "subject", "place", "result")
        attrs = {"class": "data", "id": "meeting-table"}
        empty_text = _("条件に合う会議はありません。")
        default = EMPTY  # an empty cell prints 「－」, as on every page

    def render_held_on(self, value):
        return wareki(value)

    def value_held_on(self, value):
        return value.isoformat()
