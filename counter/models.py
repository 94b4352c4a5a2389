"""The general counter (総合窓口) and cashless payments.

Sites, services, the plans and the departments' requests are programme data that editors change
(with history). Receptions are what the city's reception system (発券機・受付システム) writes: one
row per reception, never edited by hand (a corrected export replaces the file's days as a
whole), and read through daily tallies with their hours (``ReceptionTally``) so that every
figure is one aggregate query over the days of the period, however many receptions there are.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.history import ProgrammeHistory
from core.japanese import fiscal_year_label, wareki


class SiteKind(models.TextChoices):
    MAIN = "main", _("本庁")
    BRANCH = "branch", _("支所")
    HALL = "hall", _("公民館")


class Site(models.Model):
    """Where people are received: 本庁, a 支所 or a 公民館, with the day its general counter opened."""

    name = models.CharField(_("窓口の場所"), max_length=50, unique=True)
    kind = models.CharField(_("種別"), max_length=10, choices=SiteKind.choices)
    counter_opened_on = models.DateField(
        _("総合窓口の開設日"),
        null=True,
        blank=True,
        help_text=_("まだ開設していない場所は空欄にします。受付はこの日から記録できます。"),
    )
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    history = ProgrammeHistory()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("窓口の場所")
        verbose_name_plural = _("窓口の場所")

    def __str__(self):
        return self.name

    def refuse_day(self, day) -> str:
        """Why receptions or payments on ``day`` cannot be recorded here ("" when they can)."""
        if self.counter_opened_on is None:
            return _("%(site)sの総合窓口はまだ開設されていません。") % {"site": self.name}
        if day < self.counter_opened_on:
            return _("%(day)sは%(site)sの総合窓口の開設日（%(opened)s）より前です。") % {
                "day": wareki(day),
                "site": self.name,
                "opened": wareki(self.counter_opened_on),
            }
        if day > timezone.localdate():
            return _("%(day)sは未来の日付です。") % {"day": wareki(day)}
        return ""


class Handling(models.TextChoices):
    GENERAL = "general", _("総合窓口")
    INDIVIDUAL = "individual", _("個別窓口")


class Service(models.Model):
    """A procedure people come for (出生, 住民票, 納付 …) and where it is handled."""

    name = models.CharField(_("手続き"), max_length=50, unique=True)
    group = models.CharField(_("分類"), max_length=30, help_text=_("届出、証明、相談、納付など"))
    handling = models.CharField(_("取扱窓口"), max_length=10, choices=Handling.choices)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    history = ProgrammeHistory()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("手続き")
        verbose_name_plural = _("手続き")

    def __str__(self):
        return self.name


class DataOrigin(models.TextChoices):
    """Where counted rows came from: a figure made from reconstructed rows says so."""

    SYSTEM = "system", _("受付システムのデータ")
    RECONSTRUCTED = "reconstructed", _("再構成したデモデータ")


class Reception(models.Model):
    """One reception as the reception system writes it (no history: machine data, replaced by
    re-importing the day; each import is recorded as an ``ImportBatch``)."""

    site = models.ForeignKey(Site, verbose_name=_("窓口の場所"), on_delete=models.PROTECT)
    received_on = models.DateField(_("受付日"))
    received_at = models.TimeField(_("受付時刻"))
    service = models.ForeignKey(
        Service, verbose_name=_("手続き"), on_delete=models.PROTECT, null=True, blank=True
    )
    handled_at_general = models.BooleanField(_("総合窓口で処理"))

    class Meta:
        ordering = ["received_on", "received_at", "id"]
        verbose_name = _("受付")
        verbose_name_plural = _("受付")
        indexes = [models.Index(fields=["site", "received_on"], name="counter_reception_site_day")]

    def __str__(self):
        return f"{self.site} {wareki(self.received_on)} {self.received_at:%H:%M}"


HOURS = range(24)


def received_in(hour: int) -> str:
    """The column of the receptions in an hour of the day (r09: 9時台)."""
    return f"r{hour:02d}"


def handled_in(hour: int) -> str:
    return f"h{hour:02d}"


class ReceptionTally(models.Model):
    """Receptions of one site (or of every site) on one day, in total and per hour of the day:
    what every reception figure reads.

    Made from the receptions of the day when they are imported. Rows without a site are the
    totals over every site (made from the sites' rows on each import), so that a period "for
    every site" reads one row a day whether the service holds one site or hundreds. A period is
    one range scan of the (site, day) index; the hours are 24 + 24 columns summed in the same
    query (r09 = receptions in the 9時台, h09 = of them handled at the general counter).
    """

    site = models.ForeignKey(
        Site,
        verbose_name=_("窓口の場所"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("空欄はすべての場所の合計です。"),
    )
    day = models.DateField(_("受付日"))
    received = models.PositiveIntegerField(_("総合受付件数"))
    handled = models.PositiveIntegerField(_("うち総合窓口での処理件数"))
    origin = models.CharField(
        _("データの出所"), max_length=15, choices=DataOrigin.choices, default=DataOrigin.SYSTEM
    )
    for _hour in HOURS:
        locals()[received_in(_hour)] = models.PositiveIntegerField(
            _("%(hour)s時台の受付") % {"hour": _hour}, default=0
        )
        locals()[handled_in(_hour)] = models.PositiveIntegerField(
            _("%(hour)s時台の処理") % {"hour": _hour}, default=0
        )
    del _hour

    class Meta:
        ordering = ["day", "site"]
        verbose_name = _("日別の受付件数")
        verbose_name_plural = _("日別の受付件数")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "day"],
                name="counter_tally_one_per_day",
                violation_error_message=_("同じ場所・日の件数がすでにあります。"),
            ),
            models.UniqueConstraint(
                fields=["day"],
                condition=Q(site=None),
                name="counter_tally_one_total_per_day",
                violation_error_message=_("同じ日の合計がすでにあります。"),
            ),
            models.CheckConstraint(
                condition=Q(handled__lte=F("received")),
                name="counter_tally_handled_within_received",
                violation_error_message=_("総合窓口での処理件数が総合受付件数を超えています。"),
            ),
            models.CheckConstraint(
                condition=Q(*(Q(**{f"{handled_in(h)}__lte": F(received_in(h))}) for h in HOURS)),
                name="counter_tally_hourly_handled_within_received",
                violation_error_message=_(
                    "ある時台の総合窓口での処理件数が、その時台の受付件数を超えています。"
                ),
            ),
        ]
        indexes = [models.Index(fields=["day", "site"], name="counter_tally_day_site")]

    def __str__(self):
        site = self.site if self.site_id else _("すべての場所")
        return f"{site} {wareki(self.day)}"

    def clean(self):
        if self.site_id and self.day:
            refused = self.site.refuse_day(self.day)
            if refused:
                raise ValidationError({"day": refused})


class PaymentMethodKind(models.TextChoices):
    CODE = "code", _("コード決済")
    CARD = "card", _("クレジットカード")
    EMONEY = "emoney", _("電子マネー")


class PaymentMethod(models.Model):
    """A cashless method the counter accepts (d払い, auPay, PayPay, クレジットカード …)."""

    name = models.CharField(_("決済手段"), max_length=30, unique=True)
    kind = models.CharField(_("種類"), max_length=10, choices=PaymentMethodKind.choices)
    active = models.BooleanField(_("取扱中"), default=True)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    history = ProgrammeHistory()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("決済手段")
        verbose_name_plural = _("決済手段")

    def __str__(self):
        return self.name


class PaymentPurpose(models.TextChoices):
    FEE = "fee", _("窓口手数料")
    FACILITY = "facility", _("施設使用料")
    TAX = "tax", _("税")


class CashlessPayment(models.Model):
    """Cashless payments of one day, site, method and purpose: how many and how many yen."""

    site = models.ForeignKey(Site, verbose_name=_("窓口の場所"), on_delete=models.PROTECT)
    paid_on = models.DateField(_("決済日"))
    method = models.ForeignKey(PaymentMethod, verbose_name=_("決済手段"), on_delete=models.PROTECT)
    purpose = models.CharField(
        _("支払の内容"), max_length=10, choices=PaymentPurpose.choices, default=PaymentPurpose.FEE
    )
    count = models.PositiveIntegerField(_("件数"))
    amount = models.PositiveBigIntegerField(_("金額（円）"))
    origin = models.CharField(
        _("データの出所"), max_length=15, choices=DataOrigin.choices, default=DataOrigin.SYSTEM
    )
    history = ProgrammeHistory()

    class Meta:
        ordering = ["paid_on", "site", "method", "purpose"]
        verbose_name = _("キャッシュレス決済")
        verbose_name_plural = _("キャッシュレス決済")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "paid_on", "method", "purpose"],
                name="counter_payment_one_per_day",
                violation_error_message=_(
                    "同じ日・場所・決済手段・支払の内容の決済がすでにあります。"
                ),
            ),
            models.CheckConstraint(
                condition=Q(count__gte=0, amount__gte=0),
                name="counter_payment_not_negative",
                violation_error_message=_("件数と金額は0以上で入力してください。"),
            ),
            models.CheckConstraint(
                condition=Q(count__gt=0) | Q(amount=0),
                name="counter_payment_amount_needs_count",
                violation_error_message=_("件数が0件のときは金額も0円にしてください。"),
            ),
        ]
        indexes = [
            models.Index(
                fields=["paid_on", "site", "method", "count", "amount"],
                name="counter_payment_covering",
            )
        ]

    def __str__(self):
        return f"{wareki(self.paid_on)} {self.site} {self.method}"

    def clean(self):
        if self.site_id and self.paid_on:
            refused = self.site.refuse_day(self.paid_on)
            if refused:
                raise ValidationError({"paid_on": refused})


class RequestState(models.TextChoices):
    OPEN = "open", _("未解決")
    ONGOING = "ongoing", _("随時対応")
    DONE = "done", _("対応済み")
    DECLINED = "declined", _("見送り")


class CounterRequest(models.Model):
    """A department's request about the counter (more certificate kinds, a printer …)."""

    text = models.TextField(_("要望の内容"))
    department = models.CharField(_("要望元"), max_length=50)
    received_on = models.DateField(_("受けた日"), null=True, blank=True)
    state = models.CharField(_("対応状況"), max_length=10, choices=RequestState.choices)
    response = models.TextField(_("対応"), blank=True)
    history = ProgrammeHistory()

    class Meta:
        ordering = ["-received_on", "id"]
        verbose_name = _("窓口への要望")
        verbose_name_plural = _("窓口への要望")

    def __str__(self):
        return self.text[:40]


class PlanState(models.TextChoices):
    PLANNED = "planned", _("計画")
    PREPARING = "preparing", _("準備中")
    DONE = "done", _("実施済み")


class CounterPlan(models.Model):
    """A next step for the counter: terminals in a branch or hall in a fiscal year."""

    site = models.ForeignKey(
        Site, verbose_name=_("窓口の場所"), on_delete=models.PROTECT, null=True, blank=True
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("年度（西暦の開始年）"), help_text=_("令和5年度なら 2023。")
    )
    title = models.CharField(_("計画"), max_length=200)
    priority = models.PositiveSmallIntegerField(
        _("実施順"), default=0, help_text=_("先に実施する場所ほど小さい数（1が最初）。")
    )
    state = models.CharField(
        _("状況"), max_length=10, choices=PlanState.choices, default=PlanState.PLANNED
    )
    note = models.TextField(_("備考"), blank=True)
    history = ProgrammeHistory()

    class Meta:
        ordering = ["fiscal_year", "priority", "id"]
        verbose_name = _("窓口の展開計画")
        verbose_name_plural = _("窓口の展開計画")
        constraints = [
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=2019, fiscal_year__lte=2100),
                name="counter_plan_fiscal_year_range",
                violation_error_message=_("年度は2019年度から2100年度の間で入力してください。"),
            )
        ]

    def __str__(self):
        return f"{fiscal_year_label(self.fiscal_year)} {self.title}"


class PublishedFigure(models.Model):
    """A total as the papers printed it, kept beside the figures counted from data."""

    key = models.SlugField(_("キー"), max_length=50, unique=True)
    label = models.CharField(_("指標"), max_length=100)
    value = models.DecimalField(_("値"), max_digits=16, decimal_places=4)
    unit = models.CharField(_("単位"), max_length=10)
    period_start = models.DateField(_("期間開始"))
    period_end = models.DateField(_("期間終了"))
    published_in = models.CharField(_("出典"), max_length=100)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    history = ProgrammeHistory()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("公表値")
        verbose_name_plural = _("公表値")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__lte=F("period_end")),
                name="counter_published_period_order",
                violation_error_message=_("期間の開始は終了より前の日にしてください。"),
            )
        ]

    def __str__(self):
        return self.label
