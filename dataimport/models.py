"""Shared models: the audit of spreadsheet imports."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    """One uploaded spreadsheet: what was uploaded, by whom, and whether it was applied."""

    importer = models.CharField(_("取込の種類"), max_length=50)
    filename = models.CharField(_("ファイル名"), max_length=255)
    content = models.BinaryField(_("ファイルの内容"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("アップロードした人"),
        on_delete=models.PROTECT,
        related_name="import_batches",
    )
    uploaded_at = models.DateTimeField(_("アップロード日時"), auto_now_add=True)
    applied_at = models.DateTimeField(_("適用日時"), null=True, blank=True)
    summary = models.TextField(_("結果"), blank=True)
    # The file's rows as read at upload (or why it could not be read): the preview and the
    # apply work from these and never read the file again.
    # JSON as UTF-8 bytes: a NUL in a cell (refused, but still shown) cannot be stored in
    # PostgreSQL's text or jsonb.
    parsed = models.BinaryField(_("読み取った内容"), null=True, editable=False)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("Excel・CSV取込")
        verbose_name_plural = _("Excel・CSV取込")

    def __str__(self):
        return f"{self.filename}（{self.uploaded_at:%Y-%m-%d %H:%M}）"
