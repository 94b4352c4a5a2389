from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ProgrammeAdmin
from core.japanese import fiscal_year_label, wareki
from dataimport.admin import ImportAdminMixin

from .imports import HourlyTallyImporter, PaymentImporter, ReceptionImporter
from .models import (
    CashlessPayment,
    CounterPlan,
    CounterRequest,
    PaymentMethod,
    PublishedFigure,
    Reception,
    ReceptionTally,
    Service,
    Site,
)


@admin.register(Site)
class SiteAdmin(ProgrammeAdmin):
    list_display = ("name", "kind", "opened", "order")
    list_editable = ("order",)
    ordering = ("order", "id")

    @admin.display(description=_("総合窓口の開設日"), ordering="counter_opened_on")
    def opened(self, obj):
        return wareki(obj.counter_opened_on) or _("未開設")


@admin.register(Service)
class ServiceAdmin(ProgrammeAdmin):
    list_display = ("name", "group", "handling", "order")
    list_filter = ("handling", "group")
    list_editable = ("order",)


@admin.register(PaymentMethod)
class PaymentMethodAdmin(ProgrammeAdmin):
    list_display = ("name", "kind", "active", "order")
    list_editable = ("active", "order")


@admin.register(CashlessPayment)
class CashlessPaymentAdmin(ImportAdminMixin, ProgrammeAdmin):
    importer = PaymentImporter
    list_display = ("paid_on_wareki", "site", "method", "purpose", "count", "amount", "origin")
    list_filter = ("method", "purpose", "site", "origin")
    list_select_related = ("site", "method")
    date_hierarchy = "paid_on"
    change_list_template = "admin/counter/import_change_list.html"

    @admin.display(description=_("決済日"), ordering="paid_on")
    def paid_on_wareki(self, obj):
        return wareki(obj.paid_on)


class MachineDataAdmin(ImportAdminMixin, admin.ModelAdmin):
    """What the reception system wrote: read here, replaced by importing the day again."""

    change_list_template = "admin/counter/import_change_list.html"

    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.concrete_fields]

    def _has_import_permission(self, request, result=None) -> bool:
        """No add form here, but importing adds: the model's own permissions decide."""
        opts = self.model._meta
        needed = result.required_permissions() if result is not None else {"change"}
        return all(
            request.user.has_perm(f"{opts.app_label}.{name}_{opts.model_name}") for name in needed
        )


@admin.register(Reception)
class ReceptionAdmin(MachineDataAdmin):
    importer = ReceptionImporter
    list_display = ("received_on_wareki", "received_at", "site", "service", "handled_at_general")
    list_filter = ("site", "handled_at_general", "service")
    list_select_related = ("site", "service")
    date_hierarchy = "received_on"
    show_full_result_count = False  # no COUNT(*) over millions of rows per page

    @admin.display(description=_("受付日"), ordering="received_on")
    def received_on_wareki(self, obj):
        return wareki(obj.received_on)


@admin.register(ReceptionTally)
class ReceptionTallyAdmin(MachineDataAdmin):
    importer = HourlyTallyImporter  # systems that give only counts per hour
    list_display = ("day_wareki", "site", "received", "handled", "origin")
    list_filter = ("site", "origin")
    list_select_related = ("site",)
    date_hierarchy = "day"
    show_full_result_count = False

    @admin.display(description=_("受付日"), ordering="day")
    def day_wareki(self, obj):
        return wareki(obj.day)


@admin.register(CounterRequest)
class CounterRequestAdmin(ProgrammeAdmin):
    list_display = ("text", "department", "received_on", "state")
    list_filter = ("state",)
    search_fields = ("text", "department", "response")


@admin.register(CounterPlan)
class CounterPlanAdmin(ProgrammeAdmin):
    list_display = ("title", "site", "year", "priority", "state")
    list_filter = ("fiscal_year", "state")
    list_select_related = ("site",)

    @admin.display(description=_("年度"), ordering="fiscal_year")
    def year(self, obj):
        return fiscal_year_label(obj.fiscal_year)


@admin.register(PublishedFigure)
class PublishedFigureAdmin(ProgrammeAdmin):
    list_display = ("label", "value", "unit", "period_start", "period_end", "published_in")
