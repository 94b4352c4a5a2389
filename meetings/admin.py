from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.admin import HistoryWithPartsAdmin, ProgrammeAdmin
from core.japanese import wareki
from core.organisation import organisation

from .models import AgendaPaper, IssuedPapers, Meeting, MeetingPoint, PointNote
from .selectors import meeting_part_histories

SHORT_TEXT = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 60})}}
NARROW_TEXT = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 40})}}


class MeetingPointInline(admin.TabularInline):
    """会議内容: one row per ●point and its →reply."""

    model = MeetingPoint
    extra = 1
    fields = ("order", "text", "reply", "kind", "owner", "due_on", "state")
    formfield_overrides = NARROW_TEXT
    show_change_link = True  # the point's own page takes its dated progress notes


class AgendaPaperInline(admin.StackedInline):
    """重要計画付議(報告)書: at most one per meeting."""

    model = AgendaPaper
    extra = 1
    max_num = 1
    fields = (
        ("submitted_on", "department"),
        "subject",
        "plan_summary",
        "related_laws",
        "related_sections",
        "other",
    )
    formfield_overrides = SHORT_TEXT

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # A new paper starts with the installation's 部課名 (settings.SEIYO_ORGANISATION).
        formset.form.base_fields["department"].initial = organisation().department
        return formset


@admin.register(Meeting)
class MeetingAdmin(HistoryWithPartsAdmin):
    list_display = ("held_on_wareki", "subject", "place", "result")
    list_filter = ("result", "held_on")
    search_fields = ("subject", "place", "attendees", "points__text")
    date_hierarchy = "held_on"
    ordering = ("-held_on", "-id")
    fieldsets = (
        (
            _("会議結果報告書"),
            {
                "fields": (
                    ("held_on", "reported_on"),
                    "name",
                    "place",
                    "subject",
                    "attendees",
                    "result",
                    "remarks",
                )
            },
        ),
    )
    radio_fields = {"result": admin.VERTICAL}
    formfield_overrides = SHORT_TEXT
    inlines = [MeetingPointInline, AgendaPaperInline]
    parts_label = _("会議内容・重要計画付議(報告)書")

    @admin.display(description=_("会議日時"), ordering="held_on")
    def held_on_wareki(self, obj):
        return wareki(obj.held_on)

    def history_parts(self, obj):
        return meeting_part_histories(obj.pk)


class PointNoteInline(admin.TabularInline):
    """対応の経過: dated notes on a decision or instruction."""

    model = PointNote
    extra = 1
    fields = ("noted_on", "text")
    formfield_overrides = NARROW_TEXT


@admin.register(MeetingPoint)
class MeetingPointAdmin(ProgrammeAdmin):
    """決定事項・指示事項: owner, due date, state and progress notes."""

    list_display = ("text_short", "meeting", "kind", "owner", "due_on", "state")
    list_filter = ("kind", "state")
    search_fields = ("text", "reply", "owner")
    fields = ("meeting", "order", "text", "reply", "kind", "owner", "due_on", "state")
    formfield_overrides = SHORT_TEXT
    inlines = [PointNoteInline]
    list_select_related = ("meeting",)

    @admin.display(description=_("内容"))
    def text_short(self, obj):
        return obj.text[:40]


@admin.register(IssuedPapers)
class IssuedPapersAdmin(ProgrammeAdmin):
    """Issued papers are read only: they stay as issued."""

    append_only = True  # nothing stored is changed: no stale form to refuse

    list_display = ("meeting", "issued_at", "issued_by_name", "sha256")
    fields = ("meeting", "issued_at", "issued_by_name", "as_of", "filename", "sha256", "size")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
