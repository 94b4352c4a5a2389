"""The counter's tables (requests, plans): columns declared with django-tables2, rendered in one
pass (``as_html``): a table of a few rows cost django-tables2's cell-by-cell rendering (it
inspects each render method's signature for every cell) more than the page's queries."""

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core.japanese import EMPTY, fiscal_year_label, wareki

from .models import CounterPlan, CounterRequest


class OnePassTable(tables.Table):
    """``as_html()``: the table's rows rendered in one loop (the records may be historical rows:
    same field names, same choices)."""

    def cell(self, name: str, record):
        value = getattr(record, name, None)
        if value is None or value == "":
            return self.columns[name].default
        render = getattr(self, f"render_{name}", None)
        if render is not None:
            return render(value)
        display = getattr(record, f"get_{name}_display", None)
        return display() if display else value

    def as_html(self):
        columns = [(column.name, column.header) for column in self.columns]
        head = format_html_join("", '<th scope="col">{}</th>', ((h,) for _n, h in columns))
        rows = [
            format_html(
                "<tr>{}</tr>",
                format_html_join(
                    "", "<td>{}</td>", ((self.cell(name, record),) for name, _h in columns)
                ),
            )
            for record in self.data
        ]
        if not rows:
            rows = [format_html('<tr><td colspan="{}">{}</td></tr>', len(columns), self.empty_text)]
        return format_html(
            '<div class="table-container"><table class="{}" id="{}"><thead><tr>{}</tr></thead>'
            "<tbody>{}</tbody></table></div>",
            self.attrs.get("class", ""),
            self.attrs.get("id", ""),
            head,
            mark_safe("".join(rows)),  # each row was built by format_html
        )


class CounterRequestTable(OnePassTable):
    text = tables.Column(verbose_name=_("要望の内容"))
    department = tables.Column(verbose_name=_("要望元"))
    received_on = tables.Column(verbose_name=_("受けた日"), default=EMPTY)
    state = tables.Column(verbose_name=_("対応状況"))
    response = tables.Column(verbose_name=_("対応"), default=EMPTY)

    class Meta:
        model = CounterRequest
        fields = ("text", "department", "received_on", "state", "response")
        attrs = {"class": "data", "id": "counter-requests"}
        empty_text = _("条件に合う要望はありません。")
        orderable = False
        default = EMPTY  # an empty cell prints 「－」, as on every page

    def render_received_on(self, value):
        return wareki(value)


class CounterPlanTable(OnePassTable):
    fiscal_year = tables.Column(verbose_name=_("年度"))
    site_name = tables.Column(verbose_name=_("窓口の場所"), default=EMPTY)
    title = tables.Column(verbose_name=_("計画"))
    priority = tables.Column(verbose_name=_("実施順"))
    state = tables.Column(verbose_name=_("状況"))
    note = tables.Column(verbose_name=_("備考"), default=EMPTY)

    class Meta:
        model = CounterPlan
        fields = ("fiscal_year", "site_name", "title", "priority", "state", "note")
        attrs = {"class": "data", "id": "counter-plans"}
        empty_text = _("計画はありません。")
        orderable = False
        default = EMPTY  # an empty cell prints 「－」, as on every page

    def render_fiscal_year(self, value):
        return fiscal_year_label(value)
