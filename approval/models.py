"""E-approval (電子決裁) adoption: departments, counts, published rates, the plan, targets.

A rate is never stored where its counts are known: it is computed from the counts (電子決裁の
件数 ÷ 決裁件数) in the database. Only a rate that was published without its counts (the papers'
66.9% for 2022-10-01 … 2022-10-21) is stored as such, with its period and source.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.figures import FigureSource
from core.history import ProgrammeHistory
from core.japanese import fiscal_year_label, wareki

RATE_RANGE_MESSAGE = _("率は0以上100以下の数で入力してください（単位は%%）。")
PERIOD_ORDER_MESSAGE = _("期間の終了日が開始日より前になっています。")
ELECTRONIC_OVER_TOTAL_MESSAGE = _("電子決裁の件数が決裁件数（合計）を超えています。")
OVERLAP_CONSTRAINT = "approval_measurement_no_overlap"  # the database's own check (migration 0002)


class Department(models.Model):
    """A department (部) and where it stands in the rollout of e-approval."""

    name = models.CharField(_("部"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    planned_start = models.DateField(_("開始予定日"), null=True, blank=True)
    actual_start = models.DateField(
        _("開始日"),
        null=True,
        blank=True,
        help_text=_("電子決裁を始めた日。空欄はまだ始めていない部です（件数は登録できません）。"),
    )
    cross_department = models.BooleanField(
        _("部をまたがる決裁"), default=False, help_text=_("他の部との決裁も電子で行う。")
    )
    notes = models.TextField(_("備考"), blank=True)
    history = ProgrammeHistory()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("部（電子決裁）")
        verbose_name_plural = _("部（電子決裁）")
        constraints = [
            models.CheckConstraint(
                condition=~Q(name=""),
                name="approval_department_name_not_empty",
                violation_error_message=_("部の名前を入力してください。"),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.pk is None:
            return
        first = (
            Measurement.objects.filter(department_id=self.pk)
            .order_by("period_start")
            .values_list("period_start", flat=True)
            .first()
        )
        if first is None:
            return
        if self.actual_start is None or self.actual_start > first:
            raise ValidationError(
                {
                    "actual_start": _(
                        "この部には%(first)sからの決裁件数が登録されています。"
                        "開始日はその日以前にしてください。"
                    )
                    % {"first": wareki(first)}
                }
            )


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def end_of_month(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


class Measurement(models.Model):
    """Approvals of one department in one period (within a calendar month): how many were
    done electronically, how many in all. The rate is computed from these."""

    department = models.ForeignKey(
        Department, verbose_name=_("部"), on_delete=models.PROTECT, related_name="measurements"
    )
    period_start = models.DateField(_("期間開始"))
    period_end = models.DateField(_("期間終了"))
    electronic = models.PositiveIntegerField(_("電子決裁件数"))
    total = models.PositiveIntegerField(_("決裁件数"), help_text=_("紙と電子を合わせた件数。"))
    source = models.CharField(
        _("出典"),
        max_length=20,
        choices=[
            (FigureSource.COUNTED.value, FigureSource.COUNTED.label),
            (FigureSource.RECONSTRUCTED.value, FigureSource.RECONSTRUCTED.label),
        ],
        default=FigureSource.COUNTED.value,
    )
    note = models.CharField(_("備考"), max_length=200, blank=True)
    history = ProgrammeHistory()

    class Meta:
        ordering = ["department__order", "department_id", "period_start"]
        verbose_name = _("決裁件数")
        verbose_name_plural = _("決裁件数")
        indexes = [models.Index(fields=["period_start", "department"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(electronic__lte=models.F("total")),
                name="approval_measurement_electronic_within_total",
                violation_error_message=ELECTRONIC_OVER_TOTAL_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="approval_measurement_period_in_order",
                violation_error_message=PERIOD_ORDER_MESSAGE,
            ),
            models.UniqueConstraint(
                fields=["department", "period_start"],
                name="approval_measurement_one_per_department_and_start",
                violation_error_message=_("この部のこの期間の件数はすでに登録されています。"),
            ),
        ]

    def __str__(self):
        return f"{self.department} {wareki(self.period_start)}～{wareki(self.period_end)}"

    @property
    def rate(self) -> Decimal | None:
        return rate_of(self.electronic, self.total)

    def clean(self):
        super().clean()
        errors = validate_measurement(
            department=self.department if self.department_id else None,
            period_start=self.period_start,
            period_end=self.period_end,
            exclude_pk=self.pk,
        )
        if errors:
            raise ValidationError(errors)


def rate_of(electronic: int | None, total: int | None) -> Decimal | None:
    """電子決裁率 as a ratio (0.669); no rate for a zero total (shown 「－」)."""
    if not total:
        return None
    return Decimal(electronic or 0) / Decimal(total)


def validate_measurement(
    *, department, period_start, period_end, exclude_pk=None
) -> dict[str, list[str]]:
    """The rules of a count that span fields or rows (the admin and the import share them):
    a period within one month, not before the department started, not overlapping another."""
    errors: dict[str, list[str]] = {}
    if period_start is None or period_end is None:
        return errors
    if period_end < period_start:
        errors.setdefault("period_end", []).append(str(PERIOD_ORDER_MESSAGE))
        return errors
    if (period_start.year, period_start.month) != (period_end.year, period_end.month):
        errors.setdefault("period_end", []).append(
            str(_("期間は1か月の中で入力してください（月ごとに1件ずつ登録します）。"))
        )
    if department is None:
        return errors
    if department.actual_start is None:
        errors.setdefault("department", []).append(
            str(
                _("%(name)sはまだ電子決裁を始めていません（開始日が空欄です）。")
                % {"name": department.name}
            )
        )
    elif period_start < department.actual_start:
        errors.setdefault("period_start", []).append(
            str(
                _("%(name)sが電子決裁を始めた%(start)sより前の期間です。")
                % {"name": department.name, "start": wareki(department.actual_start)}
            )
        )
    overlapping = Measurement.objects.filter(
        department=department, period_start__lte=period_end, period_end__gte=period_start
    )
    if exclude_pk is not None:
        overlapping = overlapping.exclude(pk=exclude_pk)
    other = overlapping.order_by("period_start").first()
    if other is not None:
        errors.setdefault("period_start", []).append(
            str(
                _("%(name)sの%(start)s～%(end)sの件数と期間が重なっています。")
                % {
                    "name": department.name,
                    "start": wareki(other.period_start),
                    "end": wareki(other.period_end),
                }
            )
        )
    return errors


class PublishedRate(models.Model):
    """A rate that was published without its counts (公表値（内訳のデータなし）)."""

    department = models.ForeignKey(
        Department,
        verbose_name=_("部"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="published_rates",
        help_text=_("空欄は全庁の率です。"),
    )
    period_start = models.DateField(_("期間開始"))
    period_end = models.DateField(_("期間終了"))
    rate = models.DecimalField(_("電子決裁率（%）"), max_digits=4, decimal_places=1)
    published_on = models.DateField(_("公表日"), null=True, blank=True)
    source = models.CharField(_("出典"), max_length=200)
    history = ProgrammeHistory()

    class Meta:
        ordering = ["-period_end", "id"]
        verbose_name = _("公表された電子決裁率")
        verbose_name_plural = _("公表された電子決裁率")
        constraints = [
            models.CheckConstraint(
                condition=Q(rate__gte=0, rate__lte=100),
                name="approval_publishedrate_rate_range",
                violation_error_message=RATE_RANGE_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="approval_publishedrate_period_in_order",
                violation_error_message=PERIOD_ORDER_MESSAGE,
            ),
            models.CheckConstraint(
                condition=~Q(source=""),
                name="approval_publishedrate_source_not_empty",
                violation_error_message=_("出典を入力してください。"),
            ),
        ]

    def __str__(self):
        scope = self.department.name if self.department_id else _("全庁")
        return f"{scope} {wareki(self.period_start)}～{wareki(self.period_end)} {self.rate}%"


class PlanStage(models.TextChoices):
    """The headings of the papers' 電子決裁 page, in printed order."""

    ORIGINAL = "original", _("当初の計画")
    REVISED = "revised", _("変更後の計画")
    CURRENT = "current", _("現状")
    NEXT = "next", _("今後の予定")


class PlanRevision(models.Model):
    """A stage of the e-approval plan as a paper stated it (the plan's history)."""

    stage = models.CharField(_("区分"), max_length=20, choices=PlanStage.choices)
    heading = models.CharField(
        _("見出し"), max_length=100, blank=True, help_text=_("例：変更→令和4年度の計画")
    )
    content = models.TextField(_("内容"), help_text=_("1行に1項目を書きます。"))
    target_label = models.CharField(
        _("期限（資料の表記）"), max_length=50, blank=True, help_text=_("例：R4.10、令和3年度内")
    )
    target_by = models.DateField(_("期限"), null=True, blank=True)
    cross_department = models.BooleanField(_("部をまたがる決裁を含む"), default=False)
    stated_on = models.DateField(_("資料の日付"), null=True, blank=True)
    source = models.CharField(_("出典"), max_length=200)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    history = ProgrammeHistory()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("電子決裁の計画")
        verbose_name_plural = _("電子決裁の計画")
        constraints = [
            models.CheckConstraint(
                condition=~Q(content=""),
                name="approval_planrevision_content_not_empty",
                violation_error_message=_("内容を入力してください。"),
            ),
        ]

    def __str__(self):
        return self.heading or self.get_stage_display()

    @property
    def lines(self) -> list[str]:
        return plan_lines(self.content)

    def clean(self):
        super().clean()
        if not self.lines:
            raise ValidationError({"content": _("内容を入力してください。")})


def plan_lines(content: str) -> list[str]:
    return [line.strip() for line in (content or "").splitlines() if line.strip()]


class Target(models.Model):
    """The whole-office e-approval rate aimed at for a fiscal year (年度)."""

    fiscal_year = models.PositiveSmallIntegerField(
        _("年度（西暦の開始年）"), unique=True, help_text=_("令和4年度なら 2022。")
    )
    rate = models.DecimalField(_("目標の電子決裁率（%）"), max_digits=4, decimal_places=1)
    basis = models.CharField(_("根拠"), max_length=200, help_text=_("目標を決めた資料など。"))
    history = ProgrammeHistory()

    class Meta:
        ordering = ["fiscal_year"]
        verbose_name = _("電子決裁率の目標")
        verbose_name_plural = _("電子決裁率の目標")
        constraints = [
            models.CheckConstraint(
                condition=Q(rate__gte=0, rate__lte=100),
                name="approval_target_rate_range",
                violation_error_message=RATE_RANGE_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=1989, fiscal_year__lte=2100),
                name="approval_target_fiscal_year_range",
                violation_error_message=_("年度は1989年度から2100年度の間で入力してください。"),
            ),
        ]

    def __str__(self):
        return f"{fiscal_year_label(self.fiscal_year)} {self.rate}%"
