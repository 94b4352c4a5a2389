"""The rollout page's conditions: as-of date, state, porting, warnings, the warning window."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.japanese import FIRST_PRINTABLE_DAY

from .models import Porting
from .selectors import DEFAULT_WARN_DAYS, State

STATE_CHOICES = [("", _("すべて"))] + [(key, _(label)) for key, label in State.LABELS.items()]


class RolloutFilter(forms.Form):
    as_of = forms.DateField(
        label=_("時点"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    state = forms.ChoiceField(label=_("状況"), choices=STATE_CHOICES, required=False)
    porting = forms.ChoiceField(
        label=_("番号ポータビリティ"),
        choices=[("", _("すべて")), *Porting.choices],
        required=False,
    )
    warning = forms.BooleanField(label=_("履行期限の注意がある施設だけ"), required=False)
    warn_days = forms.IntegerField(
        label=_("履行期限の何日前から未定を注意するか"),
        required=False,
        min_value=0,
        max_value=3650,
        initial=DEFAULT_WARN_DAYS,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_as_of(self):
        day = self.cleaned_data.get("as_of")
        if day is not None and not FIRST_PRINTABLE_DAY <= day <= forms.DateField().to_python(
            "2100-12-31"
        ):
            raise forms.ValidationError(_("表示できる範囲の外の日付です。"))
        return day
