from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core.japanese import wareki
from core.widgets import EraDateInput

from .selectors import SOURCE_PERIOD, CounterFilter, SiteAsOf

MAX_DAYS = 366 * 20  # a period longer than the service has run is a typing error


class SiteSelect(forms.Select):
    """A ``<select>`` written in one pass: the site picker lists every site of a prefecture-wide
    service, and Django renders a ``Select`` through a template per option."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = "" if value in (None, "") else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, " selected" if str(key) == chosen else "", label)
                for key, label in self.choices
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            options,
        )


class CounterPeriodForm(forms.Form):
    """The page's period and site pickers (the source period and every site by default).

    The sites are those of ``selectors.site_list`` for the page's as-of day (their names then);
    the as-of day itself is read by ``reports.views.parse_as_of`` and shown beside them.
    """

    start = forms.DateField(label=_("期間の初日"), required=False, widget=EraDateInput)
    end = forms.DateField(label=_("期間の末日"), required=False, widget=EraDateInput)
    site = forms.TypedChoiceField(
        label=_("窓口の場所"), required=False, coerce=int, empty_value=None, widget=SiteSelect
    )

    def __init__(self, data=None, *, sites: list[SiteAsOf]):
        # An empty period field is the source period's day, and the picker shows it.
        data = data.copy() if data is not None else {}
        for key, day in zip(("start", "end"), SOURCE_PERIOD, strict=True):
            if not data.get(key):
                data[key] = day.isoformat()
        super().__init__(data)
        self.fields["site"].choices = [("", _("すべての場所"))] + [(s.id, s.name) for s in sites]

    def clean(self):
        data = super().clean()
        start = data.get("start") or SOURCE_PERIOD[0]
        end = data.get("end") or SOURCE_PERIOD[1]
        if start > end:
            raise forms.ValidationError(
                _("期間の初日（%(start)s）が末日（%(end)s）より後です。")
                % {"start": wareki(start), "end": wareki(end)}
            )
        if (end - start).days > MAX_DAYS:
            raise forms.ValidationError(_("期間は20年以内にしてください。"))
        data["start"], data["end"] = start, end
        return data

    def counter_filter(self) -> CounterFilter:
        """The chosen period and site, or the source period for every site if the form is bad."""
        if not self.is_valid():
            return CounterFilter.source_period()
        return CounterFilter(
            self.cleaned_data["start"], self.cleaned_data["end"], self.cleaned_data.get("site")
        )
