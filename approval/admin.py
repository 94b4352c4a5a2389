from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import HistoryWithPartsAdmin, ProgrammeAdmin
from core.japanese import fiscal_year_label, wareki
from dataimport.admin import ImportAdminMixin

from .imports import MonthlyCountImporter
from .models import Department, Measurement, PlanRevision, PublishedRate, Target
from .selectors import rate_text


@admin.register(Department)
class DepartmentAdmin(HistoryWithPartsAdmin):
    list_display = ("name", "actual_start_wareki", "planned_start_wareki", "cross_department")
    list_editable = ()
    ordering = ("order", "id")
    search_fields = ("name",)
    fields = ("name", "order", "planned_start", "actual_start", "cross_department", "notes")
    parts_label = _("決裁件数")

    def history_parts(self, obj):
        return [Measurement.history.filter(department_id=obj.pk)]

    @admin.display(description=_("開始日"), ordering="actual_start")
    def actual_start_wareki(self, obj):
        return wareki(obj.actual_start)

    @admin.display(description=_("開始予定日"), ordering="planned_start")
    def planned_start_wareki(self, obj):
        return wareki(obj.planned_start)


@admin.register(Measurement)
class MeasurementAdmin(ImportAdminMixin, ProgrammeAdmin):
    importer = MonthlyCountImporter
    list_display = ("department", "period", "electronic", "total", "rate_display", "source")
    list_filter = ("department", "source")
    list_select_related = ("department",)
    date_hierarchy = "period_start"
    ordering = ("-period_start", "department__order")
    fields = ("department", "period_start", "period_end", "electronic", "total", "source", "note")
    list_per_page = 100

    @admin.display(description=_("期間"), ordering="period_start")
    def period(self, obj):
        return f"{wareki(obj.period_start)}～{wareki(obj.period_end)}"

    @admin.display(description=_("電子決裁率"))
    def rate_display(self, obj):
        return rate_text(obj.rate)


@admin.register(PublishedRate)
class PublishedRateAdmin(ProgrammeAdmin):
    list_display = ("__str__", "published_on", "source")
    fields = ("department", "period_start", "period_end", "rate", "published_on", "source")


@admin.register(PlanRevision)
class PlanRevisionAdmin(ProgrammeAdmin):
    list_display = ("__str__", "stage", "target_label", "stated_on", "order")
    ordering = ("order", "id")
    fields = (
        "stage",
        "heading",
        "content",
        ("target_label", "target_by"),
        "cross_department",
        ("stated_on", "source"),
        "order",
    )


@admin.register(Target)
class TargetAdmin(ProgrammeAdmin):
    list_display = ("year_label", "rate", "basis")
    fields = ("fiscal_year", "rate", "basis")

    @admin.display(description=_("年度"), ordering="fiscal_year")
    def year_label(self, obj):
        return fiscal_year_label(obj.fiscal_year)
