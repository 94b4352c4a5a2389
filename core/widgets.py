"""Form widgets shared by the apps."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.template.loader import render_to_string


class EraDateInput(forms.DateInput):
    """A date picker with the era date beside it (令和4年5月9日), drawn by the same partial as the
    dashboard's as-of picker (``includes/era_date.html``; ``static/js/era_date.js`` keeps the
    era date in step as the date changes).

    The value is written ``YYYY-MM-DD``, the only form a browser's ``type="date"`` field shows:
    in the Japanese locale Django would write ``2022/05/09`` and the field would stay empty.
    """

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                value = None
        day = value if isinstance(value, dt.date) else None
        return render_to_string(
            "includes/era_date.html",
            {"id": attrs.get("id") or f"id_{name}", "name": name, "day": day},
        )
