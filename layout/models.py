"""The floor-seat plan (組織改革を反映したレイアウト): buildings, floors, the sections on each floor
and, per fiscal year, their headcounts and seats.

過不足 (seats secured − seats needed) is never stored: selectors compute it in the database. A
過不足 that came in as printed (the papers, an import) is kept in ``printed_balance`` and every
row where it disagrees with the computed one is flagged, never silently corrected.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.history import ProgrammeHistory
from core.japanese import fiscal_year_label

MAX_FLOORS = 99
MAX_COUNT = 9_999  # people or seats on one row


class Building(models.Model):
    """A building staff sit in (本庁, 教保), with how many floors it has."""

    name = models.CharField(_("建物"), max_length=30, unique=True)
    order = models.PositiveSmallIntegerField(_("表示順"), unique=True)
    floor_count = models.PositiveSmallIntegerField(
        _("階数（地上）"), help_text=_("この建物にある階の数。これより上の階は登録できません。")
    )
    named_in_print = models.BooleanField(
        _("階数に建物名を付ける"),
        default=True,
        help_text=_("印刷する表の「階数」に建物名を付けるか（「教保 3階」）。本庁は「1階」のみ。"),
    )
    history = ProgrammeHistory()

    class Meta:
        ordering = ["order"]
        verbose_name = _("建物")
        verbose_name_plural = _("建物")
        constraints = [
            models.CheckConstraint(
                condition=Q(floor_count__gte=1, floor_count__lte=MAX_FLOORS),
                name="layout_building_floor_count_range",
                violation_error_message=_("階数は1から99の間で入力してください。"),
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.pk and self.floor_count:
            highest = self.floors.aggregate(highest=models.Max("number"))["highest"]
            if highest and highest > self.floor_count:
                raise ValidationError(
                    {
                        "floor_count": _(
                            "%(number)s階が登録されているため、階数を%(count)sにはできません。"
                        )
                        % {"number": highest, "count": self.floor_count}
                    }
                )


class Floor(models.Model):
    """A floor of a building that the plan uses."""

    building = models.ForeignKey(
        Building, verbose_name=_("建物"), on_delete=models.PROTECT, related_name="floors"
    )
    number = models.PositiveSmallIntegerField(_("階"))
    history = ProgrammeHistory()

    class Meta:
        ordering = ["building__order", "number"]
        verbose_name = _("階")
        verbose_name_plural = _("階")
        constraints = [
            models.UniqueConstraint(
                fields=["building", "number"],
                name="layout_floor_unique_number",
                violation_error_message=_("この建物のこの階はすでに登録されています。"),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=MAX_FLOORS),
                name="layout_floor_number_range",
                violation_error_message=_("階は1から99の間で入力してください。"),
            ),
        ]

    def __str__(self):
        return floor_label(self.building.name, self.number, True)

    @property
    def printed_label(self) -> str:
        """As the printed table's 階数 column shows it: 1階 (本庁), 教保 3階."""
        return floor_label(self.building.name, self.number, self.building.named_in_print)

    def clean(self):
        super().clean()
        if self.building_id and self.number and self.number > self.building.floor_count:
            raise ValidationError(
                {
                    "number": _("%(building)sは%(count)s階までです。%(number)s階はありません。")
                    % {
                        "building": self.building.name,
                        "count": self.building.floor_count,
                        "number": self.number,
                    }
                }
            )


def floor_label(building: str, number: int, named: bool) -> str:
    return f"{building} {number}階" if named else f"{number}階"


class Section(models.Model):
    """A row of the printed table (フロア): the 課 that sit together on one floor."""

    floor = models.ForeignKey(
        Floor, verbose_name=_("階"), on_delete=models.PROTECT, related_name="sections"
    )
    name = models.CharField(
        _("フロア（課）"),
        max_length=100,
        help_text=_(
            "同じ階に並ぶ課を印刷のとおりに（例：市民、人権啓発、税務、会計 (管理者込み)）。"
        ),
    )
    order = models.PositiveSmallIntegerField(_("階内の表示順"), default=0)
    history = ProgrammeHistory()

    class Meta:
        ordering = ["floor__building__order", "floor__number", "order", "id"]
        verbose_name = _("フロア（課）")
        verbose_name_plural = _("フロア（課）")
        constraints = [
            models.UniqueConstraint(
                fields=["floor", "name"],
                name="layout_section_unique_name",
                violation_error_message=_("この階に同じ名前のフロア（課）がすでにあります。"),
            )
        ]

    def __str__(self):
        return f"{self.floor} {self.name}"


COUNT_FIELDS = (
    "staff_current",
    "parttime_current",
    "staff_planned",
    "parttime_planned",
    "seats_secured",
    "seats_needed",
)


class SeatPlan(models.Model):
    """One section's headcounts and seats for a fiscal year's plan (令和5年度), beside the
    headcount of the year before (令和4年度, 現職員数).

    ``seats_needed`` is entered as printed: it differs from the planned headcount by −1 to +4
    in the papers, and is shown beside it as information.
    """

    section = models.ForeignKey(
        Section, verbose_name=_("フロア（課）"), on_delete=models.CASCADE, related_name="plans"
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("計画年度（西暦の開始年）"), help_text=_("令和5年度なら 2023。")
    )
    staff_current = models.IntegerField(_("現職員数"))
    parttime_current = models.IntegerField(_("現会計年度任用職員数"))
    staff_planned = models.IntegerField(_("計画年度の職員数"))
    parttime_planned = models.IntegerField(_("計画年度の会計年度任用職員数"))
    seats_secured = models.IntegerField(_("確保席数"))
    seats_needed = models.IntegerField(_("必要数"))
    printed_balance = models.IntegerField(
        _("過不足（印刷値）"),
        null=True,
        blank=True,
        help_text=_(
            "資料に印刷された過不足（取り込んだ値）。計算した過不足（確保席数－必要数）と違えば"
            "表に印が付きます。空欄なら比べません。"
        ),
    )
    history = ProgrammeHistory()

    class Meta:
        ordering = ["fiscal_year", "section__floor__building__order", "section__floor__number"]
        verbose_name = _("座席計画")
        verbose_name_plural = _("座席計画")
        constraints = [
            models.UniqueConstraint(
                fields=["section", "fiscal_year"],
                name="layout_seatplan_unique_year",
                violation_error_message=_("このフロア（課）のこの年度の計画はすでにあります。"),
            ),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=1989, fiscal_year__lte=2100),
                name="layout_seatplan_year_range",
                violation_error_message=_("年度は1989年度から2100年度の間で入力してください。"),
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 0, f"{name}__lte": MAX_COUNT}),
                    name=f"layout_seatplan_{name}_range",
                    violation_error_message=_("人数・席数は0以上9,999以下で入力してください。"),
                )
                for name in COUNT_FIELDS
            ),
            models.CheckConstraint(
                condition=Q(printed_balance__isnull=True)
                | Q(printed_balance__gte=-MAX_COUNT, printed_balance__lte=MAX_COUNT),
                name="layout_seatplan_printed_balance_range",
                violation_error_message=_(
                    "過不足（印刷値）は△9,999から9,999の間で入力してください。"
                ),
            ),
        ]

    def __str__(self):
        return f"{fiscal_year_label(self.fiscal_year)} {self.section}"

    @property
    def balance(self) -> int:
        return self.seats_secured - self.seats_needed
