from django.contrib import admin
from django.db.models import BooleanField, ExpressionWrapper
from django.utils.translation import gettext_lazy as _

from core.admin import ProgrammeAdmin
from core.japanese import EMPTY, fiscal_year_label, number
from dataimport.admin import ImportAdminMixin

from .imports import LayoutImporter
from .models import Building, Floor, SeatPlan, Section
from .selectors import BALANCE, mismatch_q


@admin.register(Building)
class BuildingAdmin(ProgrammeAdmin):
    list_display = ("name", "order", "floor_count", "named_in_print")
    ordering = ("order",)


@admin.register(Floor)
class FloorAdmin(ProgrammeAdmin):
    list_display = ("__str__", "building", "number")
    list_filter = ("building",)
    list_select_related = ("building",)
    ordering = ("building__order", "number")


@admin.register(Section)
class SectionAdmin(ProgrammeAdmin):
    list_display = ("name", "floor", "order")
    list_filter = ("floor__building", "floor")
    list_select_related = ("floor__building",)
    search_fields = ("name",)
    ordering = ("floor__building__order", "floor__number", "order")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "floor":
            kwargs["queryset"] = Floor.objects.select_related("building")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class FlaggedFilter(admin.SimpleListFilter):
    title = _("過不足の印刷値")
    parameter_name = "flagged"

    def lookups(self, request, model_admin):
        return [("yes", _("計算と違う")), ("no", _("一致・印刷値なし"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(mismatch_q())
        if self.value() == "no":
            return queryset.exclude(mismatch_q())
        return queryset


@admin.register(SeatPlan)
class SeatPlanAdmin(ImportAdminMixin, ProgrammeAdmin):
    importer = LayoutImporter
    list_display = (
        "section",
        "year",
        "staff_planned",
        "parttime_planned",
        "seats_secured",
        "seats_needed",
        "balance",
        "printed",
    )
    list_filter = ("fiscal_year", "section__floor__building", FlaggedFilter)
    list_select_related = ("section__floor__building",)
    search_fields = ("section__name",)
    ordering = ("-fiscal_year", "section__floor__building__order", "section__floor__number")
    fieldsets = (
        (None, {"fields": ("section", "fiscal_year")}),
        (_("前年度の人数"), {"fields": (("staff_current", "parttime_current"),)}),
        (_("計画年度の人数と席"), {"fields": (("staff_planned", "parttime_planned"),)}),
        (None, {"fields": (("seats_secured", "seats_needed"), "printed_balance")}),
    )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":
            kwargs["queryset"] = Section.objects.select_related("floor__building")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                computed=BALANCE,
                flagged=ExpressionWrapper(mismatch_q(), output_field=BooleanField()),
            )
        )

    @admin.display(description=_("年度"), ordering="fiscal_year")
    def year(self, obj):
        return fiscal_year_label(obj.fiscal_year)

    @admin.display(description=_("過不足（計算）"), ordering="computed")
    def balance(self, obj):
        return number(obj.computed)

    @admin.display(description=_("過不足（印刷値）"))
    def printed(self, obj):
        if obj.printed_balance is None:
            return EMPTY
        mark = _("（計算と違う）") if obj.flagged else ""
        return f"{number(obj.printed_balance)}{mark}"
