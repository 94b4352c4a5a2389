import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from .models import (
    Category,
    Initiative,
    Milestone,
    ProgrammeYear,
    ProgressNote,
    ScheduleItem,
    Status,
)
from .selectors import items_with_plan_in, search_items


class ScheduleItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("キーワード"), method="filter_text")
    category = django_filters.ModelChoiceFilter(
        label=_("区分"), queryset=Category.objects.all(), empty_label=_("すべて")
    )
    status = django_filters.ModelChoiceFilter(
        label=_("状況"), queryset=Status.objects.all(), empty_label=_("すべて")
    )
    year = django_filters.ModelChoiceFilter(
        label=_("計画のある年度"),
        queryset=ProgrammeYear.objects.all(),
        method="filter_year",
        empty_label=_("すべて"),
    )

    class Meta:
        model = ScheduleItem
        fields = ["q", "category", "status", "year"]

    def filter_text(self, queryset, name, value):
        return search_items(queryset, value.strip()) if value.strip() else queryset

    def filter_year(self, queryset, name, value):
        return items_with_plan_in(queryset, value)


class YesNoAll(forms.NullBooleanSelect):
    """はい / いいえ / すべて: never Django's 「不明」 for "no condition"."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", _("すべて")), ("true", _("はい")), ("false", _("いいえ"))]


class InitiativeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("キーワード"), method="filter_text")
    theme = django_filters.ChoiceFilter(label=_("分野"), choices=[], empty_label=_("すべて"))
    open_milestones = django_filters.BooleanFilter(
        label=_("未完了のマイルストーンあり"), method="filter_open", widget=YesNoAll()
    )

    class Meta:
        model = Initiative
        fields = ["q", "theme", "open_milestones"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        themes = Initiative.objects.order_by("theme").values_list("theme", flat=True).distinct()
        self.filters["theme"].extra["choices"] = [(t, t) for t in themes]

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(partner__icontains=value)
            | Q(summary__icontains=value)
            | Exists(ProgressNote.objects.filter(initiative=OuterRef("pk"), text__icontains=value))
        )

    def filter_open(self, queryset, name, value):
        has_open = Exists(Milestone.objects.filter(initiative=OuterRef("pk"), done=False))
        if value is None:
            return queryset
        return queryset.filter(has_open) if value else queryset.exclude(has_open)
