"""Meeting records: 会議結果報告書 and its agenda paper 重要計画付議(報告)書."""

from django.db import models
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
    place = models.CharField(_("場所"), max_length=100)
    subject = models.CharField(_("件名"), max_length=200)
    attendees = models.TextField(_("出席者"))
    result = models.CharField(_("会議結果"), max_length=20, choices=MeetingResult.choices)
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


class MeetingPoint(models.Model):
    """One point of 会議内容 (●…) and the reply given to it (→…), if any."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会議"), on_delete=models.CASCADE, related_name="points"
    )
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    text = models.TextField(_("内容"))
    reply = models.TextField(_("回答"), blank=True)
    history = ProgrammeHistory()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("会議内容")
        verbose_name_plural = _("会議内容")

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
