"""Cloud PBX rollout per site (クラウドPBX): the contract, its sites and every change of plan.

A site's plan is its first planned go-live date followed by its revisions, each decided on a
date: the as-of views read the revisions by that decision date (not by when a record was
typed in). Revisions are append-only: a correction is a new revision. The model, the admin and
the database (triggers, migrations 0002 and 0003) all refuse an edit or a deletion of a stored
revision; only Django's flush, emptying every table, gets past the database's guard (pbx/guard.py).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.history import ProgrammeHistory
from core.japanese import fiscal_year_label, wareki


class CarryoverKind(models.TextChoices):
    NONE = "", _("なし")
    EXPLICIT = "explicit", _("繰越明許")
    ACCIDENT = "accident", _("事故繰越")


class Contract(models.Model):
    """The contract the rollout is built under, and the schedule item that holds its budget."""

    name = models.CharField(_("契約名"), max_length=100, unique=True)
    schedule_item = models.ForeignKey(
        "projects.ScheduleItem",
        verbose_name=_("スケジュール項目"),
        on_delete=models.PROTECT,
        related_name="pbx_contracts",
        help_text=_("予算はこの項目の予算です（予算の行ではなく項目を参照します）。"),
    )
    signed_on = models.DateField(_("契約日"))
    due_on = models.DateField(_("履行期限"))
    original_plan = models.TextField(_("当初の計画"), blank=True)
    revised_plan = models.TextField(_("変更後の計画"), blank=True)
    carried_over_from = models.PositiveSmallIntegerField(
        _("繰越元の年度（西暦の開始年）"),
        null=True,
        blank=True,
        help_text=_("令和3年度なら 2021。"),
    )
    carryover_kind = models.CharField(
        _("繰越の種類"), max_length=10, choices=CarryoverKind.choices, blank=True
    )
    carryover_reason = models.TextField(_("繰越の理由"), blank=True)
    history = ProgrammeHistory()

    class Meta:
        ordering = ["signed_on", "id"]
        verbose_name = _("クラウドPBXの契約")
        verbose_name_plural = _("クラウドPBXの契約")
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("signed_on")),
                name="pbx_contract_due_after_signed",
                violation_error_message=_("履行期限は契約日以降の日付にしてください。"),
            ),
            models.CheckConstraint(
                condition=Q(carryover_kind__in=["", "explicit", "accident"]),
                name="pbx_contract_carryover_kind_valid",
                violation_error_message=_("繰越の種類が正しくありません。"),
            ),
            models.CheckConstraint(
                condition=Q(carryover_kind="") | Q(carried_over_from__isnull=False),
                name="pbx_contract_carryover_has_year",
                violation_error_message=_("繰越の場合は繰越元の年度を入力してください。"),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def carried_over_label(self) -> str:
        if not self.carryover_kind:
            return ""
        return f"{fiscal_year_label(self.carried_over_from)}から{self.get_carryover_kind_display()}"


class SiteState(models.TextChoices):
    PLANNED = "planned", _("準備中")
    LIVE = "live", _("運用中")


class Porting(models.TextChoices):
    """番号ポータビリティ (moving the site's phone numbers to the cloud PBX)."""

    NOT_APPLIED = "not_applied", _("未申請")
    APPLIED = "applied", _("申請中")
    DONE = "done", _("完了")


PORTING_VALUES = [value for value, _label in Porting.choices]


class Site(models.Model):
    """A site the PBX goes live at (本庁, 明浜支所, …) with its first planned go-live date."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("契約"), on_delete=models.PROTECT, related_name="sites"
    )
    name = models.CharField(_("施設"), max_length=50)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    first_planned_on = models.DateField(_("当初の運用開始予定日"))
    state = models.CharField(
        _("状態"), max_length=10, choices=SiteState.choices, default=SiteState.PLANNED
    )
    went_live_on = models.DateField(_("運用開始日（実績）"), null=True, blank=True)
    note = models.CharField(_("備考"), max_length=200, blank=True)
    history = ProgrammeHistory()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("施設")
        verbose_name_plural = _("施設")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "name"],
                name="pbx_site_unique_name_per_contract",
                violation_error_message=_("この契約には同じ名前の施設がすでにあります。"),
            ),
            models.CheckConstraint(
                condition=Q(state__in=["planned", "live"]),
                name="pbx_site_state_valid",
                violation_error_message=_("状態が正しくありません。"),
            ),
            models.CheckConstraint(
                condition=(Q(state="live") & Q(went_live_on__isnull=False))
                | (Q(state="planned") & Q(went_live_on__isnull=True)),
                name="pbx_site_live_has_go_live_date",
                violation_error_message=_(
                    "運用中の施設には運用開始日を、準備中の施設には運用開始日なしを入力してください。"
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        if self.state == SiteState.LIVE and self.went_live_on is None:
            errors["went_live_on"] = _("運用中の施設には運用開始日を入力してください。")
        if self.state == SiteState.PLANNED and self.went_live_on is not None:
            errors["state"] = _("運用開始日があるときは状態を「運用中」にしてください。")
        contract = self.contract if self.contract_id else None
        if contract is not None and self.went_live_on and self.went_live_on < contract.signed_on:
            errors["went_live_on"] = _(
                "運用開始日（%(live)s）が契約日（%(signed)s）より前です。"
            ) % {"live": wareki(self.went_live_on), "signed": wareki(contract.signed_on)}
        if self.went_live_on and self.went_live_on > timezone.localdate():
            errors["went_live_on"] = _("運用開始日に未来の日付は入力できません。")
        if errors:
            raise ValidationError(errors)


class AppendOnlyError(ValidationError):
    pass


APPEND_ONLY_MESSAGE = _(
    "記録済みの予定変更は修正・削除できません。訂正は新しい予定変更として追加してください。"
)


class RevisionQuerySet(models.QuerySet):
    """No bulk edit or delete of revisions through the ORM (the database refuses it too)."""

    def update(self, **kwargs):
        raise AppendOnlyError(APPEND_ONLY_MESSAGE)

    def delete(self):
        raise AppendOnlyError(APPEND_ONLY_MESSAGE)


class RevisionLabel(models.Model):
    """How a revision (and its history record) is named in change logs: 令和4年10月24日決定 → 未定."""

    class Meta:
        abstract = True

    @property
    def text(self) -> str:
        if self.undecided:
            plan = str(_("未定"))
        elif self.planned_on:
            plan = wareki(self.planned_on)
        else:
            plan = str(Porting(self.porting).label) if self.porting else ""
        label = _("%(day)s決定 → %(plan)s") % {"day": wareki(self.decided_on), "plan": plan}
        return f"{label}（{self.reason}）" if self.reason else label


class Revision(RevisionLabel):
    """One change of a site's plan: a new go-live date or 未定, decided on a date, and why.

    ``decision_date_known`` is off where the papers give no decision date: ``decided_on`` is
    then the date of record (the papers' date) and ``note`` says so.
    """

    site = models.ForeignKey(
        Site, verbose_name=_("施設"), on_delete=models.PROTECT, related_name="revisions"
    )
    decided_on = models.DateField(_("決定日"))
    decision_date_known = models.BooleanField(
        _("決定日が分かっている"),
        default=True,
        help_text=_("資料に決定日がないときは外し、記録した日を決定日に入れて備考に書きます。"),
    )
    planned_on = models.DateField(_("変更後の運用開始予定日"), null=True, blank=True)
    undecided = models.BooleanField(_("未定"), default=False)
    porting = models.CharField(
        _("番号ポータビリティ"),
        max_length=12,
        choices=Porting.choices,
        blank=True,
        help_text=_("この時点の申請状況（変わらないときは空欄）。"),
    )
    reason = models.CharField(_("理由"), max_length=200, blank=True)
    note = models.CharField(_("備考"), max_length=200, blank=True)
    slipped = models.BooleanField(
        _("遅延"),
        default=False,
        editable=False,
        help_text=_("それまでの予定より遅い日付、または未定になった変更。"),
    )
    history = ProgrammeHistory(bases=[RevisionLabel])

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["site__order", "site_id", "decided_on", "id"]
        verbose_name = _("予定変更")
        verbose_name_plural = _("予定変更")
        # Append-only: nobody is given the right to change or delete a revision.
        default_permissions = ("add", "view")
        indexes = [models.Index(fields=["site", "decided_on", "id"], name="pbx_revision_site_day")]
        constraints = [
            models.CheckConstraint(
                condition=~(Q(planned_on__isnull=False) & Q(undecided=True)),
                name="pbx_revision_date_or_undecided",
                violation_error_message=_(
                    "予定日を入力するか「未定」を選ぶか、どちらか一方にしてください。"
                ),
            ),
            models.CheckConstraint(
                condition=Q(planned_on__isnull=False) | Q(undecided=True) | ~Q(porting=""),
                name="pbx_revision_not_empty",
                violation_error_message=_(
                    "変更後の予定日、「未定」、番号ポータビリティの状況のいずれかを入力してください。"
                ),
            ),
            models.CheckConstraint(
                condition=Q(porting__in=["", *PORTING_VALUES]),
                name="pbx_revision_porting_valid",
                violation_error_message=_("番号ポータビリティの状況が正しくありません。"),
            ),
            models.CheckConstraint(
                condition=Q(decision_date_known=True) | ~Q(note=""),
                name="pbx_revision_unknown_date_noted",
                violation_error_message=_(
                    "決定日が分からないときは、記録した日とその旨を備考に書いてください。"
                ),
            ),
        ]

    def __str__(self):
        return f"{self.site} {wareki(self.decided_on)} → {self.plan_label}"

    append_only = True  # for generic code and tests: stored rows are never changed

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(APPEND_ONLY_MESSAGE)
        self.slipped = self.is_slip(*self.previous_plan()) if self.changes_plan else False
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(APPEND_ONLY_MESSAGE)

    @property
    def changes_plan(self) -> bool:
        return self.undecided or self.planned_on is not None

    @property
    def plan_label(self) -> str:
        if self.undecided:
            return str(_("未定"))
        if self.planned_on:
            return wareki(self.planned_on)
        return str(_("（予定日の変更なし）"))

    def previous_plan(self) -> tuple[object, bool]:
        """(date, undecided) of the site's plan before this revision (one query)."""
        earlier = (
            Revision.objects.filter(site_id=self.site_id)
            .filter(Q(planned_on__isnull=False) | Q(undecided=True))
            .order_by("-decided_on", "-id")
        )
        if self.pk:
            earlier = earlier.filter(Q(decided_on__lt=self.decided_on) | Q(pk__lt=self.pk))
        last = earlier.values_list("planned_on", "undecided").first()
        if last is None:
            return self.site.first_planned_on, False
        return last

    def clean(self):
        super().clean()
        if not self._state.adding:
            raise AppendOnlyError(APPEND_ONLY_MESSAGE)
        errors = {}
        if self.planned_on is not None and self.undecided:
            errors["undecided"] = _(
                "予定日を入力するか「未定」を選ぶか、どちらか一方にしてください。"
            )
        if not self.changes_plan and not self.porting:
            errors["planned_on"] = _(
                "変更後の予定日、「未定」、番号ポータビリティの状況のいずれかを入力してください。"
            )
        if not self.decision_date_known and not self.note.strip():
            errors["note"] = _(
                "決定日が分からないときは、記録した日とその旨を備考に書いてください。"
            )
        if self.decided_on and self.decided_on > timezone.localdate():
            errors["decided_on"] = _("決定日に未来の日付は入力できません。")
        if self.site_id and self.decided_on:
            latest = (
                Revision.objects.filter(site_id=self.site_id)
                .order_by("-decided_on")
                .values_list("decided_on", flat=True)
                .first()
            )
            if latest is not None and self.decided_on < latest:
                errors["decided_on"] = _(
                    "この施設の直前の予定変更（%(latest)s決定）より前の決定日は入力できません。"
                ) % {"latest": wareki(latest)}
            contract = self.site.contract
            if self.planned_on and self.planned_on < contract.signed_on:
                errors["planned_on"] = _("予定日（%(day)s）が契約日（%(signed)s）より前です。") % {
                    "day": wareki(self.planned_on),
                    "signed": wareki(contract.signed_on),
                }
        if errors:
            raise ValidationError(errors)

    def is_slip(self, previous_date, previous_undecided: bool) -> bool:
        """A slip: the plan moves to a later date, or to 未定 from a date."""
        if self.undecided:
            return not previous_undecided
        if previous_undecided or previous_date is None:
            return False
        return self.planned_on > previous_date
