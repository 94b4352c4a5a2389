"""The import's admin: upload → preview → apply, added to a model admin by a mixin."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .imports import (
    MAX_UPLOAD_BYTES,
    REMOVED,
    Importer,
    ImportFileError,
    Refused,
    Result,
    apply_batch,
    check_upload,
    parsed_bytes,
    prepare_batch,
    read_upload,
)
from .models import ImportBatch


class ImportUploadForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "：")  # Django's ja catalogue keeps the ASCII colon
        super().__init__(*args, **kwargs)

    file = forms.FileField(
        label=gettext_lazy("ファイル"),
        help_text=gettext_lazy(
            "Excelファイル（.xlsx）またはCSVファイル（.csv、UTF-8またはShift_JIS）。5MBまで。"
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_upload(upload.name, upload.size)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from error
        return upload


class ImportAdminMixin:
    """Adds the spreadsheet import to a model admin: upload → preview → apply.

    Set ``importer`` to a ``dataimport.imports.Importer`` subclass. URLs: ``import/`` (upload)
    and ``import/<batch_id>/`` (preview; POST applies). The change list gets ``import_url``
    for an object-tools link (see templates/admin/projects/scheduleitem/change_list.html).
    """

    importer: type[Importer] | None = None
    import_upload_template = "admin/dataimport/import_upload.html"
    import_preview_template = "admin/dataimport/import_preview.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        urls = []
        if self.importer is not None:
            urls = [
                path(
                    "import/",
                    self.admin_site.admin_view(self.import_upload_view),
                    name="{}_{}_import".format(*info),
                ),
                path(
                    "import/<int:batch_id>/",
                    self.admin_site.admin_view(self.import_preview_view),
                    name="{}_{}_import_preview".format(*info),
                ),
            ]
        return urls + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        if self.importer is not None and self.has_change_permission(request):
            extra_context = {**(extra_context or {}), "import_url": self._import_url()}
        return super().changelist_view(request, extra_context=extra_context)

    def _import_url(self, batch_id: int | None = None) -> str:
        info = self.opts.app_label, self.opts.model_name
        if batch_id is None:
            return reverse("admin:{}_{}_import".format(*info), current_app=self.admin_site.name)
        return reverse(
            "admin:{}_{}_import_preview".format(*info),
            args=[batch_id],
            current_app=self.admin_site.name,
        )

    def _changelist_url(self) -> str:
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist",
            current_app=self.admin_site.name,
        )

    def _import_context(self, request, **context):
        importer = self.importer
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "importer_title": importer.title,
            "changelist_url": self._changelist_url(),
            "upload_url": self._import_url(),
            "importer_instructions": importer.instructions,
            "download_url": importer.download_url(),
            "blank_url": importer.blank_url(),
            **context,
        }

    def _has_import_permission(self, request, result: Result | None = None) -> bool:
        """Change permission always; add and delete when the changes add or remove rows."""
        checks = {
            "change": self.has_change_permission,
            "add": self.has_add_permission,
            "delete": self.has_delete_permission,
        }
        needed = result.required_permissions() if result is not None else {"change"}
        return all(checks[name](request) for name in needed)

    def _check_import_permission(self, request, result: Result | None = None) -> None:
        if not self._has_import_permission(request, result):
            raise PermissionDenied

    def import_upload_view(self, request):
        self._check_import_permission(request)
        form = ImportUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            batch = ImportBatch.objects.create(
                importer=self.importer.key,
                filename=upload.name,
                content=upload.read(),
                uploaded_by=request.user,
            )
            parsed = read_upload(self.importer(), bytes(batch.content), batch.filename)
            batch.parsed = parsed_bytes(parsed)
            result = prepare_batch(self.importer(), batch)
            batch.summary = _("確認：%(summary)s") % {"summary": result.summary}
            batch.save(update_fields=["parsed", "summary"])
            return HttpResponseRedirect(self._import_url(batch.pk))
        recent = ImportBatch.objects.filter(importer=self.importer.key).select_related(
            "uploaded_by"
        )[:10]
        context = self._import_context(
            request,
            title=_("%(title)sをExcel・CSVから取り込む") % {"title": self.importer.title},
            form=form,
            recent=recent,
            max_megabytes=MAX_UPLOAD_BYTES // 1024 // 1024,
        )
        return TemplateResponse(request, self.import_upload_template, context)

    def import_preview_view(self, request, batch_id: int):
        """GET: the preview. POST: apply, or show why not with the fresh preview."""
        self._check_import_permission(request)
        batch = get_object_or_404(
            ImportBatch, pk=batch_id, importer=self.importer.key, uploaded_by=request.user
        )
        data = request.POST if request.method == "POST" else request.GET
        delete_missing = data.get("delete_missing") == "1"
        result = prepare_batch(self.importer(), batch, delete_missing=delete_missing)
        refusal = None
        if request.method == "POST":
            self._check_import_permission(request, result)
            digest = request.POST.get("digest", "")
            try:
                applied = apply_batch(
                    self.importer(), batch, request.user, digest, delete_missing=delete_missing
                )
            except Refused as refused:
                refusal = refused.message
                result = refused.result or result
                batch.refresh_from_db()
            else:
                messages.success(
                    request,
                    _("「%(file)s」を取り込みました（%(summary)s）。")
                    % {"file": batch.filename, "summary": applied.summary},
                )
                return HttpResponseRedirect(self._changelist_url())
        permitted = self._has_import_permission(request, result)
        context = self._import_context(
            request,
            title=_("%(title)sの取込：変更点の確認") % {"title": self.importer.title},
            batch=batch,
            result=result,
            refusal=refusal,
            permitted=permitted,
            can_apply=result.can_apply and permitted and batch.applied_at is None,
            removed_count=result.count(REMOVED),
            delete_missing=delete_missing,
            preview_url=self._import_url(batch.pk),
        )
        return TemplateResponse(request, self.import_preview_template, context)
