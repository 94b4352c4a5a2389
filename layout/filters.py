"""The seat plan page's filters: plan year, building, floor, and which rows to list."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from core.japanese import fiscal_year_label

from .models import Building, Floor, SeatPlan
from .selectors import Scope


class SeatPlanFilter(django_filters.FilterSet):
    """Read as a form: the page builds a ``selectors.Scope`` from it (totals in the database)."""

    fiscal_year = django_filters.ChoiceFilter(label=_("計画年度"), choices=[], empty_label=None)
    building = django_filters.ModelChoiceFilter(
        label=_("建物"), queryset=Building.objects.all(), empty_label=_("すべて")
    )
    floor = django_filters.ModelChoiceFilter(
        label=_("階"),
        queryset=Floor.objects.select_related("building"),
        empty_label=_("すべて"),
    )
    rows = django_filters.ChoiceFilter(
        label=_("表示する行"),
        choices=[("short", _("席が足りない行")), ("flagged", _("印刷値が計算と違う行"))],
        empty_label=_("すべて"),
    )
    q = django_filters.CharFilter(label=_("フロア（課）名"), max_length=100)

    class Meta:
        model = SeatPlan
        fields = ["fiscal_year", "building", "floor", "rows", "q"]

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.years = years
        self.filters["fiscal_year"].extra["choices"] = [
            (str(year), fiscal_year_label(year)) for year in years
        ]

    def scope(self) -> Scope | None:
        """The choices as a ``Scope`` (the newest year by default); None if the form is bad."""
        default = self.years[0] if self.years else None
        if not self.is_bound:
            return Scope(fiscal_year=default)
        form = self.form
        if not form.is_valid():
            return None
        data = form.cleaned_data
        year = int(data["fiscal_year"]) if data.get("fiscal_year") else default
        return Scope(
            fiscal_year=year,
            building=data["building"].pk if data.get("building") else None,
            floor=data["floor"].pk if data.get("floor") else None,
            short_only=data.get("rows") == "short",
            flagged_only=data.get("rows") == "flagged",
            keyword=(data.get("q") or "").strip(),
        )
