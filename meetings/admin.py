from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.admin import HistoryWithPartsAdmin
from core.japanese import wareki

from .models import AgendaPaper, Meeting, MeetingPoint
from .selectors import meeting_part_histories

SHORT_TEXT = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 60})}}
NARROW_TEXT = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 40})}}


class MeetingPointInline(admin.TabularInline):
    """会議内容: one row per ●point and its →reply."""

    model = MeetingPoint
    extra = 1
    fields = ("order", "text", "reply")
    formfield_overrides = NARROW_TEXT


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
