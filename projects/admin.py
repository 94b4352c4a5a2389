from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from core.admin import HistoryWithPartsAdmin, ProgrammeAdmin
from core.japanese import EMPTY, number
from dataimport.admin import ImportAdminMixin

from .imports import ScheduleImporter
from .models import (
    BudgetLine,
    Category,
    Concern,
    FiscalYearPlan,
    Initiative,
    Milestone,
    ProgrammeYear,
    ProgressNote,
    ScheduleItem,
    Specialist,
    Status,
)
from .selectors import initiative_part_histories, item_part_histories


class BudgetLineFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [
            form
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE", False)
        ]
        if kept and self.instance.included_in_id:
            raise ValidationError(
                _(
                    "予算を他の項目に含める場合、予算額は入力できません（「%(name)sを含む」と表示されます）。"
                )
                % {"name": self.instance.included_in.name}
            )


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    formset = BudgetLineFormSet
    extra = 0
    fields = ("amount", "label", "order")


class FiscalYearPlanInline(admin.TabularInline):
    model = FiscalYearPlan
    extra = 0
    fields = ("year", "content")


class ConcernInline(admin.TabularInline):
    model = Concern
    extra = 0
    fields = ("text", "order")


@admin.register(ScheduleItem)
class ScheduleItemAdmin(ImportAdminMixin, HistoryWithPartsAdmin):
    importer = ScheduleImporter
    list_display = ("name", "category", "status", "budget", "included_in")
    list_filter = ("category", "status", "plans__year")
    list_select_related = ("category", "status", "included_in")
    search_fields = ("name", "concerns__text", "plans__content")
    ordering = ("category__order", "order")
    fields = ("category", "name", "order", "status", "included_in")
    autocomplete_fields = ()
    inlines = [BudgetLineInline, FiscalYearPlanInline, ConcernInline]
    parts_label = _("予算・年度計画・懸案")

    def history_parts(self, obj):
        return item_part_histories(obj.pk)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(budget_total=Sum("budget_lines__amount"))

    @admin.display(description=_("予算額（千円）"), ordering="budget_total")
    def budget(self, obj):
        return number(obj.budget_total) if obj.budget_total is not None else EMPTY


@admin.register(Category)
class CategoryAdmin(ProgrammeAdmin):
    list_display = ("name", "order")
    ordering = ("order",)


@admin.register(Status)
class StatusAdmin(ProgrammeAdmin):
    list_display = ("name", "order", "is_complete")
    list_editable = ("order", "is_complete")


@admin.register(ProgrammeYear)
class ProgrammeYearAdmin(ProgrammeAdmin):
    list_display = ("__str__", "start_year")


class MilestoneInline(admin.TabularInline):
    """The step, when (its first day, the unit the papers give, a span's last day) and done."""

    model = Milestone
    extra = 0
    fields = ("title", "starts_on", "precision", "ends_on", "relative", "done", "period")
    readonly_fields = ("period",)

    @admin.display(description=_("表示"))
    def period(self, obj):
        return obj.label() if obj.pk else "－"


class SpecialistInline(admin.TabularInline):
    model = Specialist
    extra = 0
    fields = ("order", "field", "name", "career")


class ProgressNoteInline(admin.StackedInline):
    model = ProgressNote
    extra = 0


@admin.register(Initiative)
class InitiativeAdmin(HistoryWithPartsAdmin):
    list_display = ("name", "theme", "partner")
    list_filter = ("theme",)
    fields = ("name", "theme", "partner", "short_name", "summary", "order")
    search_fields = ("name", "partner", "summary", "notes__text")
    inlines = [MilestoneInline, ProgressNoteInline, SpecialistInline]
    parts_label = _("マイルストーン・進捗メモ・専門官")

    def history_parts(self, obj):
        return initiative_part_histories(obj.pk)
