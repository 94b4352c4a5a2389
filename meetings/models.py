"""Meeting records: 会議結果報告書 and its agenda paper 重要計画付議(報告)書."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.history import ProgrammeHistory
from core.japanese import wareki


class MeetingResult(models.TextChoices):
    """The five boxes of 会議結果, in their printed order."""

    DECIDED = "decided", _("案のとおり決定する")
    DECIDED_AMENDED = "decided_amended", _("一部修正の上、決定する")
    CONTINUE = "continue", _("継続して検討する")
    REJECTED = "rejected", _("案を否決する")
    ACKNOWLEDGED = "acknowledged", _("報告を了承する")


class Meeting(models.Model):
    """A strategy meeting and its result report (会議結果報告書)."""

    held_on = models.DateField(_("会議日時"))
    # 行政経営戦略会議, …: the papers name some meetings only by their body and date.
    name = models.CharField(_("会議名"), max_length=100, blank=True)
    place = models.CharField(_("場所"), max_length=100, blank=True)
    subject = models.CharField(_("件名"), max_length=200)
    attendees = models.TextField(_("出席者"), blank=True)
    # Blank until the meeting is held (a meeting being prepared), or where the papers do not say.
    result = models.CharField(
        _("会議結果"), max_length=20, choices=MeetingResult.choices, blank=True
    )
    reported_on = models.DateField(_("報告日"), null=True, blank=True)
    remarks = models.TextField(_("備考"), blank=True)
    history = ProgrammeHistory()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("会議")
        verbose_name_plural = _("会議")

    def __str__(self):
        return f"{wareki(self.held_on)} {self.subject}"

    def get_absolute_url(self):
        return reverse("meetings:detail", args=[self.pk])

    def result_boxes(self):
        """The five choices in printed order, each with whether it is ticked."""
        return [(label, value == self.result) for value, label in MeetingResult.choices]


class PointKind(models.TextChoices):
    """What a point of 会議内容 is: a plain remark, or a commitment someone owes."""

    REMARK = "", _("記録のみ")
    DECISION = "decision", _("決定事項")
    INSTRUCTION = "instruction", _("指示事項")


class PointState(models.TextChoices):
    NOT_STARTED = "not_started", _("未着手")
    IN_PROGRESS = "in_progress", _("対応中")
    DONE = "done", _("完了")
    DROPPED = "dropped", _("見送り")


OPEN_STATES = (PointState.NOT_STARTED, PointState.IN_PROGRESS)


class MeetingPoint(models.Model):
    """One point of 会議内容 (●…) and the reply given to it (→…), if any.

    A decision or an instruction is a commitment: it has an owner (課), a due date or none, a
    state and dated progress notes, and it is followed up at the next meetings until closed.
    """

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会議"), on_delete=models.CASCADE, related_name="points"
    )
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    text = models.TextField(_("内容"))
    reply = models.TextField(_("回答"), blank=True)
    kind = models.CharField(
        _("種別"), max_length=20, choices=PointKind.choices, blank=True, default=""
    )
    owner = models.CharField(_("担当課"), max_length=100, blank=True)
    due_on = models.DateField(_("期限"), null=True, blank=True)
    state = models.CharField(
        _("対応状況"), max_length=20, choices=PointState.choices, default=PointState.NOT_STARTED
    )
    history = ProgrammeHistory()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("会議内容")
        verbose_name_plural = _("会議内容")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=PointKind.values),
                name="meetings_point_kind_valid",
                violation_error_message=_("種別が正しくありません。"),
            ),
            models.CheckConstraint(
                condition=Q(state__in=PointState.values),
                name="meetings_point_state_valid",
                violation_error_message=_("対応状況が正しくありません。"),
            ),
            models.CheckConstraint(
                condition=Q(kind="") | ~Q(owner=""),
                name="meetings_commitment_has_owner",
                violation_error_message=_("決定事項・指示事項には担当課を入力してください。"),
            ),
        ]

    def __str__(self):
        return self.text[:40]

    def save(self, *args, **kwargs):
        # A point added without a number goes after the others, as it would on the paper.
        if not self.order and self.meeting_id:
            last = MeetingPoint.objects.filter(meeting_id=self.meeting_id).aggregate(
                last=models.Max("order")
            )["last"]
            self.order = (last or 0) + 1
        super().save(*args, **kwargs)

    @property
    def is_commitment(self) -> bool:
        return bool(self.kind)

    def clean(self):
        super().clean()
        if self.kind and not self.owner.strip():
            raise ValidationError({"owner": _("決定事項・指示事項には担当課を入力してください。")})


class AgendaPaper(models.Model):
    """重要計画付議(報告)書 (様式第2号(第4条関係)): the paper put to the meeting."""

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("会議"), on_delete=models.CASCADE, related_name="agenda_paper"
    )
    submitted_on = models.DateField(_("日付"))
    department = models.CharField(_("部課名"), max_length=100)
    subject = models.CharField(_("件名"), max_length=200)
    plan_summary = models.TextField(_("計画の概要"))
    related_laws = models.TextField(_("関係法令等"), blank=True)
    related_sections = models.TextField(_("関係課"), blank=True)
    other = models.TextField(_("その他"), blank=True)
    history = ProgrammeHistory()

    class Meta:
        verbose_name = _("重要計画付議(報告)書")
        verbose_name_plural = _("重要計画付議(報告)書")

    def __str__(self):
        return f"{wareki(self.submitted_on)} {self.subject}"


class PointNote(models.Model):
    """A dated progress note on a commitment (対応状況の記録)."""

    point = models.ForeignKey(
        MeetingPoint, verbose_name=_("会議内容"), on_delete=models.CASCADE, related_name="notes"
    )
    noted_on = models.DateField(_("日付"))
    text = models.TextField(_("経過"))
    history = ProgrammeHistory()

    class Meta:
        ordering = ["noted_on", "id"]
        verbose_name = _("対応の経過")
        verbose_name_plural = _("対応の経過")
        constraints = [
            models.CheckConstraint(
                condition=~Q(text=""),
                name="meetings_pointnote_text_not_blank",
                violation_error_message=_("経過を入力してください。"),
            ),
        ]

    def __str__(self):
        return f"{wareki(self.noted_on)} {self.text[:30]}"


class IssuedPapers(models.Model):
    """A meeting's papers as issued (「資料を確定」): the workbook's bytes and their SHA-256.

    Stored in the database (a BinaryField), not in file storage: the file is small (tens of
    kilobytes), it is written in the same transaction as the record that says it was issued,
    and it is backed up and restored with everything else; there is no media directory to
    share between processes or to lose. The record is never changed after it is written.
    """

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("会議"), on_delete=models.PROTECT, related_name="issued_papers"
    )
    issued_at = models.DateTimeField(_("確定日時"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("確定した人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    issued_by_name = models.CharField(_("確定した人の氏名"), max_length=150)
    as_of = models.DateField(_("資料の時点"))
    filename = models.CharField(_("ファイル名"), max_length=200)
    content = models.BinaryField(_("ファイル"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("サイズ（バイト）"))
    # The file itself is not copied into the history (the record is written once).
    history = ProgrammeHistory(excluded_fields=["content"])

    class Meta:
        verbose_name = _("確定した会議資料")
        verbose_name_plural = _("確定した会議資料")
        constraints = [
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"),
                name="meetings_issuedpapers_sha256_hex",
                violation_error_message=_("SHA-256 の値が正しくありません。"),
            ),
        ]

    def __str__(self):
        return f"{self.meeting} ({self.sha256[:12]})"
