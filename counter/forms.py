from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.japanese import wareki

from .models import Site
from .selectors import SOURCE_PERIOD, CounterFilter

MAX_DAYS = 366 * 20  # a period longer than the service has run is a typing error


class CounterPeriodForm(forms.Form):
    """The page's period and site pickers (the source period and every site by default)."""

    start = forms.DateField(
        label=_("期間の初日"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("期間の末日"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    site = forms.ModelChoiceField(
        label=_("窓口の場所"),
        queryset=Site.objects.order_by("order", "id"),
        required=False,
        empty_label=_("すべての場所"),
    )

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
        site = self.cleaned_data.get("site")
        return CounterFilter(
            self.cleaned_data["start"], self.cleaned_data["end"], site.pk if site else None
        )
