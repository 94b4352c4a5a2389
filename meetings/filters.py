import django_filters
from django.utils.translation import gettext_lazy as _

from core.japanese import fiscal_year_label

from .models import Meeting, MeetingResult
from .selectors import meeting_fiscal_years, meetings_in_fiscal_year, search_meetings


class MeetingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("キーワード"), method="filter_text")
    result = django_filters.ChoiceFilter(
        label=_("会議結果"), choices=MeetingResult.choices, empty_label=_("すべて")
    )
    fiscal_year = django_filters.ChoiceFilter(
        label=_("年度"), choices=[], method="filter_fiscal_year", empty_label=_("すべて")
    )

    class Meta:
        model = Meeting
        fields = ["q", "result", "fiscal_year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["fiscal_year"].extra["choices"] = [
            (str(year), fiscal_year_label(year)) for year in meeting_fiscal_years()
        ]

    def filter_text(self, queryset, name, value):
        value = value.strip()
        return search_meetings(queryset, value) if value else queryset

    def filter_fiscal_year(self, queryset, name, value):
        return meetings_in_fiscal_year(queryset, int(value))
