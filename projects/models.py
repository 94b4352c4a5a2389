"""The DX schedule (全体のスケジュール) and the programme's other threads."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.history import ProgrammeHistory
from core.japanese import fiscal_year_bounds, fiscal_year_label


class Category(models.Model):
    """A group of the schedule (窓口フロントスタッフ, 教育ICT, …) in its printed order."""

    name = models.CharField(_("区分"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("表示順"), unique=True)
    history = ProgrammeHistory()

    class Meta:
        ordering = ["order"]
        verbose_name = _("区分")
        verbose_name_plural = _("区分")

    def __str__(self):
        return self.name


class Status(models.Model):
    """A managed status label (完了, 完了予定, 継続, R4継続, R4にかけて …)."""

    name = models.CharField(_("状況"), max_length=30, unique=True)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    is_complete = models.BooleanField(
        _("完了を表す"), default=False, help_text=_("この状況の項目を完了済みとして数えます。")
    )
    history = ProgrammeHistory()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("状況")
        verbose_name_plural = _("状況")

    def __str__(self):
        return self.name


class ProgrammeYear(models.Model):
    """A fiscal year the programme plans for (令和3〜5年度): the schedule's plan columns."""

    start_year = models.PositiveSmallIntegerField(
        _("年度（西暦の開始年）"),
        unique=True,
        help_text=_("令和4年度なら 2022。"),
    )
    history = ProgrammeHistory()

    class Meta:
        ordering = ["start_year"]
        verbose_name = _("計画年度")
        verbose_name_plural = _("計画年度")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_year__gte=1989, start_year__lte=2100),
                name="programmeyear_start_year_range",
                violation_error_message=_("年度は1989年度から2100年度の間で入力してください。"),
            )
        ]

    def __str__(self):
        return fiscal_year_label(self.start_year)

    @property
    def bounds(self):
        return fiscal_year_bounds(self.start_year)


class ScheduleItem(models.Model):
    """One row of the schedule: an item of the programme with its budget, status and plans."""

    category = models.ForeignKey(
        Category, verbose_name=_("区分"), on_delete=models.PROTECT, related_name="items"
    )
    name = models.CharField(_("項目"), max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(_("区分内の表示順"), default=0)
    status = models.ForeignKey(
        Status, verbose_name=_("状況"), on_delete=models.PROTECT, related_name="items"
    )
    included_in = models.ForeignKey(
        "self",
        verbose_name=_("予算を含む項目"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="includes",
        help_text=_("予算が他の項目に含まれる場合に選びます（例：「オンライン窓口を含む」）。"),
    )
    history = ProgrammeHistory()

    class Meta:
        ordering = ["category__order", "order", "id"]
        verbose_name = _("スケジュール項目")
        verbose_name_plural = _("スケジュール項目")
        constraints = [
            models.CheckConstraint(
                condition=~Q(included_in=models.F("pk")),
                name="scheduleitem_not_included_in_itself",
                violation_error_message=_("項目を自分自身に含めることはできません。"),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:item", args=[self.pk])

    def clean(self):
        super().clean()
        self._check_inclusion_chain()

    def _check_inclusion_chain(self):
        """Refuse an item included in itself, directly or through a loop of inclusions."""
        if self.included_in_id is None:
            return
        seen = {self.pk} if self.pk else set()
        current = self.included_in
        while current is not None:
            if current.pk in seen or current is self:
                raise ValidationError(
                    {
                        "included_in": _("「%(name)s」を含めると、含む関係が循環します。")
                        % {"name": self.included_in.name}
                    }
                )
            seen.add(current.pk)
            current = current.included_in


class BudgetLine(models.Model):
    """A budget amount of an item, in thousand yen (テレワーク環境 has two)."""

    item = models.ForeignKey(
        ScheduleItem, verbose_name=_("項目"), on_delete=models.CASCADE, related_name="budget_lines"
    )
    amount = models.BigIntegerField(_("予算額（千円）"))
    label = models.CharField(_("内訳"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    history = ProgrammeHistory()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("予算")
        verbose_name_plural = _("予算")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="budgetline_amount_not_negative",
                violation_error_message=_("予算額は0以上の数で入力してください。"),
            )
        ]

    def __str__(self):
        return f"{self.item} {self.amount:,}千円"


def budget_cell(amounts: list[int], included_in: str | None) -> list[int | str]:
    """What the printed schedule's budget cell holds: the amounts, 「Xを含む」, or "-"."""
    if amounts:
        return list(amounts)
    if included_in:
        return [_("%(name)sを含む") % {"name": included_in}]
    return ["-"]


class FiscalYearPlan(models.Model):
    """What an item plans for one fiscal year: one line per bullet of the printed table."""

    item = models.ForeignKey(
        ScheduleItem, verbose_name=_("項目"), on_delete=models.CASCADE, related_name="plans"
    )
    year = models.ForeignKey(
        ProgrammeYear, verbose_name=_("年度"), on_delete=models.PROTECT, related_name="plans"
    )
    content = models.TextField(_("計画"), help_text=_("1行に1項目を書きます。"))
    history = ProgrammeHistory()

    class Meta:
        ordering = ["year__start_year"]
        verbose_name = _("年度計画")
        verbose_name_plural = _("年度計画")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "year"],
                name="fiscalyearplan_one_per_item_and_year",
                violation_error_message=_("この項目のこの年度の計画はすでにあります。"),
            ),
            models.CheckConstraint(
                condition=~Q(content=""),
                name="fiscalyearplan_content_not_empty",
                violation_error_message=_("計画を入力してください。"),
            ),
        ]

    def __str__(self):
        return f"{self.item} {self.year}"

    @property
    def lines(self) -> list[str]:
        return [line.strip() for line in self.content.splitlines() if line.strip()]

    def clean(self):
        super().clean()
        if not self.lines:
            raise ValidationError({"content": _("計画を入力してください。")})


class Concern(models.Model):
    """A concern (懸案) noted against an item."""

    item = models.ForeignKey(
        ScheduleItem, verbose_name=_("項目"), on_delete=models.CASCADE, related_name="concerns"
    )
    text = models.CharField(_("懸案"), max_length=200)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    history = ProgrammeHistory()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("懸案")
        verbose_name_plural = _("懸案")

    def __str__(self):
        return self.text


class Initiative(models.Model):
    """Another thread of the programme (DX talent, the website review, …)."""

    name = models.CharField(_("取組"), max_length=100, unique=True)
    theme = models.CharField(_("分野"), max_length=50)
    partner = models.CharField(_("連携先"), max_length=200, blank=True)
    summary = models.TextField(_("概要"), blank=True)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    history = ProgrammeHistory()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("その他の取組")
        verbose_name_plural = _("その他の取組")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:initiative", args=[self.pk])


class Milestone(models.Model):
    """A dated step of an initiative (連携協定, 仕様検討・策定, …)."""

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("取組"), on_delete=models.CASCADE, related_name="milestones"
    )
    due_on = models.DateField(_("予定日"), help_text=_("月単位の予定は、その月の1日とします。"))
    title = models.CharField(_("内容"), max_length=200)
    done = models.BooleanField(_("完了"), default=False)
    history = ProgrammeHistory()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("マイルストーン")
        verbose_name_plural = _("マイルストーン")

    def __str__(self):
        return self.title


class ProgressNote(models.Model):
    """A dated note of progress on an initiative."""

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("取組"), on_delete=models.CASCADE, related_name="notes"
    )
    noted_on = models.DateField(_("記録日"))
    text = models.TextField(_("内容"))
    history = ProgrammeHistory()

    class Meta:
        ordering = ["-noted_on", "-id"]
        verbose_name = _("進捗メモ")
        verbose_name_plural = _("進捗メモ")

    def __str__(self):
        return self.text[:40]
