import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from core.japanese import EMPTY, fiscal_year_label, wareki

from .models import CounterPlan, CounterRequest


class CounterRequestTable(tables.Table):
    text = tables.Column(verbose_name=_("要望の内容"))
    department = tables.Column(verbose_name=_("要望元"))
    received_on = tables.Column(verbose_name=_("受けた日"))
    state = tables.Column(verbose_name=_("対応状況"))
    response = tables.Column(verbose_name=_("対応"))

    class Meta:
        model = CounterRequest
        fields = ("text", "department", "received_on", "state", "response")
        attrs = {"class": "data", "id": "counter-requests"}
        empty_text = _("条件に合う要望はありません。")
        orderable = False
        default = EMPTY  # an empty cell prints 「－」, as on every page

    def render_received_on(self, value):
        return wareki(value)


class CounterPlanTable(tables.Table):
    fiscal_year = tables.Column(verbose_name=_("年度"))
    site = tables.Column(verbose_name=_("窓口の場所"))
    title = tables.Column(verbose_name=_("計画"))
    priority = tables.Column(verbose_name=_("実施順"))
    state = tables.Column(verbose_name=_("状況"))
    note = tables.Column(verbose_name=_("備考"))

    class Meta:
        model = CounterPlan
        fields = ("fiscal_year", "site", "title", "priority", "state", "note")
        attrs = {"class": "data", "id": "counter-plans"}
        empty_text = _("計画はありません。")
        orderable = False
        default = EMPTY  # an empty cell prints 「－」, as on every page

    def render_fiscal_year(self, value):
        return fiscal_year_label(value)
