"""The DX schedule (全体のスケジュール) and the programme's other threads."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import japanese
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
    short_name = models.CharField(
        _("表での見出し"),
        max_length=50,
        blank=True,
        help_text=_("分野ごとの時期の表の行見出し（資料の「AnotherWorks」「NTTドコモ」など）。"),
    )
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

    @property
    def row_label(self) -> str:
        return self.short_name or self.name


class Milestone(models.Model):
    """A step of an initiative (連携協定, 仕様検討・策定, …) with when the papers put it.

    The papers give months and periods, not days (R03.11, R04.01〜R04.12, 1〜2年): the date is
    the first day of the period and ``precision`` says how much of it is meant; a span has its
    last day too. Sorting and 「次のマイルストーン」 use the first day.
    """

    class Precision(models.TextChoices):
        DAY = japanese.DAY, _("日")
        MONTH = japanese.MONTH, _("月")
        FISCAL_HALF = japanese.FISCAL_HALF, _("年度の上期・下期")
        FISCAL_YEAR = japanese.FISCAL_YEAR, _("年度")
        SPAN = japanese.SPAN, _("期間（開始〜終了）")
        OPEN = japanese.OPEN, _("開始以降（終わりなし）")

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("取組"), on_delete=models.CASCADE, related_name="milestones"
    )
    starts_on = models.DateField(
        _("時期（開始日）"),
        help_text=_("月・年度・期間の場合はその初日（R03.11なら令和3年11月1日）。"),
    )
    precision = models.CharField(
        _("時期の単位"), max_length=12, choices=Precision.choices, default=Precision.DAY
    )
    ends_on = models.DateField(
        _("時期（終了日）"),
        null=True,
        blank=True,
        help_text=_("期間の場合だけ、その末日（R04.01〜R04.12なら令和4年12月31日）。"),
    )
    relative = models.BooleanField(
        _("前の時期から数える"),
        default=False,
        help_text=_(
            "資料が前の時期から数えて書く場合（「1〜2年」「それ以降」）。期間・開始以降のみ。"
        ),
    )
    title = models.CharField(_("内容"), max_length=200)
    done = models.BooleanField(_("完了"), default=False)
    history = ProgrammeHistory()

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = _("マイルストーン")
        verbose_name_plural = _("マイルストーン")
        constraints = [
            models.CheckConstraint(
                condition=Q(precision__in=japanese.PRECISIONS),
                name="milestone_precision_known",
                violation_error_message=_("時期の単位を選んでください。"),
            ),
            models.CheckConstraint(
                condition=Q(precision=japanese.SPAN, ends_on__isnull=False)
                | (~Q(precision=japanese.SPAN) & Q(ends_on__isnull=True)),
                name="milestone_end_only_for_a_span",
                violation_error_message=_(
                    "終了日は時期の単位が「期間」のときだけ、必ず入力してください。"
                ),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="milestone_ends_after_it_starts",
                violation_error_message=_("終了日は開始日以降の日付にしてください。"),
            ),
            models.CheckConstraint(
                condition=Q(relative=False) | Q(precision__in=[japanese.SPAN, japanese.OPEN]),
                name="milestone_relative_only_for_spans",
                violation_error_message=_(
                    "「前の時期から数える」は時期の単位が「期間」か「開始以降」のときだけです。"
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        # A month, half or fiscal year starts on its first day whatever day was typed.
        if self.starts_on and self.precision in (
            japanese.MONTH,
            japanese.FISCAL_HALF,
            japanese.FISCAL_YEAR,
        ):
            self.starts_on = japanese.period_start(self.starts_on, self.precision)

    @property
    def last_day(self):
        """The period's last day (None when open): past it, a step not done is late."""
        return japanese.period_end(self.starts_on, self.precision, self.ends_on)

    def label(self, after=None) -> str:
        """When, as the papers print it; ``after``: the previous period's last day."""
        return japanese.period_label(
            self.starts_on, self.precision, self.ends_on, after=after if self.relative else None
        )

    def is_overdue(self, day) -> bool:
        """Not done and its period over as of ``day``."""
        last = self.last_day
        return not self.done and last is not None and last < day


def milestone_labels(milestones) -> list[tuple[Milestone, str]]:
    """Each milestone with its printed period; a relative one counts from the one before."""
    labelled, after = [], None
    for milestone in milestones:
        labelled.append((milestone, milestone.label(after)))
        after = milestone.last_day
    return labelled


class Specialist(models.Model):
    """A specialist of a shared programme (愛媛県市町連携の高度デジタル人材): field, name, career."""

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("取組"), on_delete=models.CASCADE, related_name="specialists"
    )
    field = models.CharField(_("専門分野"), max_length=100)
    name = models.CharField(_("氏名"), max_length=100)
    career = models.TextField(_("主な経歴"), blank=True)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    history = ProgrammeHistory()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("専門官")
        verbose_name_plural = _("専門官")
        constraints = [
            models.CheckConstraint(
                condition=~Q(field="") & ~Q(name=""),
                name="specialist_field_and_name_given",
                violation_error_message=_("専門分野と氏名を入力してください。"),
            ),
        ]

    def __str__(self):
        return f"{self.field}：{self.name}"


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
