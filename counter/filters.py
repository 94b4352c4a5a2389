import django_filters
from django.utils.translation import gettext_lazy as _

from .models import CounterRequest, RequestState


class CounterRequestFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        label=_("対応状況"), choices=RequestState.choices, empty_label=_("すべて")
    )
    q = django_filters.CharFilter(label=_("キーワード"), method="filter_text")

    class Meta:
        model = CounterRequest
        fields = ["state", "q"]

    def filter_text(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(text__icontains=value) if value else queryset
