"""The admin base of every programme model: history, no revert, and no edit silently lost.

``ProgrammeAdmin`` is what every area's model admin subclasses (a system check, ``core.E001``,
refuses an area admin that does not). It gives:

- the history page in Japanese, with the changes of the object's parts (its inlines);
- past versions shown read-only: simple-history's revert is switched off for everyone (see
  ``history_form_view``);
- optimistic concurrency: the change form carries the version it was opened at (the newest
  history record of the object and of each part), and a save made after someone else's is
  refused with what they changed, the user's input kept in the form.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.core import checks
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, router
from django.db.models import Max, QuerySet
from django.forms.models import _get_foreign_key
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from .history import change_log, historical_model
from .japanese import wareki

VERSION_FIELD = "_version"
MAX_LISTED_CHANGES = 20


class ProgrammeAdmin(SimpleHistoryAdmin):
    """Base of every programme model's admin (areas' too): see the module's docstring.

    ``history_parts(obj)`` names the history querysets of the object's parts; by default those
    of its inlines' models, by their foreign key to the object (deleted parts included).
    """

    object_history_template = "admin/core/object_history.html"
    object_history_list_template = "admin/core/object_history_list.html"
    object_history_form_template = "admin/core/object_history_form.html"
    change_form_template = "admin/core/change_form.html"
    parts_label = ""

    # --- The history page and its parts ---------------------------------------------------

    def history_parts(self, obj) -> list[QuerySet]:
        parts = []
        for inline in self.inlines:
            try:
                historical_model(inline.model)
            except LookupError:
                continue
            fk = _get_foreign_key(self.model, inline.model, fk_name=inline.fk_name)
            history = getattr(inline.model, inline.model._meta.simple_history_manager_attribute)
            parts.append(history.filter(**{fk.attname: obj.pk}))
        return parts

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and self.parts_label:
            extra_context = {
                **(extra_context or {}),
                "parts_history": change_log(self.history_parts(obj), part_of=self.model),
                "parts_label": self.parts_label,
            }
        return super().history_view(request, object_id, extra_context=extra_context)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Each listed version's ``change``: what it changed, as the change log reads it (the
        log's fields: no 表示順; a version loaded from the papers 「資料から読込（…）」 with its
        reason); ``None`` for a save that changed nothing the log shows. One log of the
        object's versions up to the newest listed, instead of simple-history's field diff."""
        records = list(historical_records)
        if not records:
            return
        newest = max(records, key=lambda record: (record.history_date, record.history_id))
        own = type(newest)._default_manager.filter(
            **{self.model._meta.pk.attname: getattr(newest, self.model._meta.pk.attname)},
            history_date__lte=newest.history_date,
        )
        changes = {change.record_id: change for change in change_log([own])}
        for record in records:
            record.change = changes.get(record.history_id)

    def history_view_title(self, request, obj):
        return _("変更履歴：%(name)s") % {"name": obj}

    def history_form_view_title(self, request, obj):
        return _("過去の版（表示のみ）：%(name)s") % {"name": obj}

    # --- Revert: switched off -------------------------------------------------------------
    #
    # simple-history's revert writes back the object's own fields only: the parts (budget
    # lines, plans, concerns, milestones, meeting points …) stay as they are today, so the
    # "reverted" record is a mix of past and present that nobody ever saw; it skips the rules
    # that span the form and its inlines (「含む」 and budget lines), and it checked only the
    # view permission. A past version is shown read-only; to go back, an editor types the old
    # values (listed, before → after, on the history page) into the change form, where every
    # rule, the permission and the version check apply.

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied(
                _("履歴から元に戻すことはできません。変更画面で入力してください。")
            )
        request._programme_past_version = True  # every field read-only (get_readonly_fields)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_readonly_fields(self, request, obj=None):
        if getattr(request, "_programme_past_version", False):
            if self.fieldsets:
                return flatten_fieldsets(self.fieldsets)
            if self.fields:
                return flatten_fieldsets([(None, {"fields": self.fields})])
            return [f.name for f in self.model._meta.fields if f.editable and not f.auto_created]
        return super().get_readonly_fields(request, obj)

    # --- Optimistic concurrency -----------------------------------------------------------

    def edit_version(self, obj) -> str:
        """The newest history id of the object and of each of its parts: "12.40.7.3".

        Any save of the object or a part (added, changed, deleted) writes a history record, so
        the version changes with every save. One query per table.
        """
        own = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        histories = [own.filter(**{self.model._meta.pk.attname: obj.pk}), *self.history_parts(obj)]
        newest = [qs.order_by().aggregate(newest=Max("history_id"))["newest"] for qs in histories]
        return ".".join(str(value or 0) for value in newest)

    def changes_since(self, obj, version: str) -> list[str] | None:
        """What was saved after ``version``, a line per field: who, when, before → after.

        None when the version cannot be read (a form not from this page).
        """
        own = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        histories = [own.filter(**{self.model._meta.pk.attname: obj.pk}), *self.history_parts(obj)]
        try:
            ids = [int(part) for part in version.split(".")]
        except ValueError:
            return None
        if len(ids) != len(histories):
            return None
        moments = [
            qs.filter(history_id=history_id).values_list("history_date", flat=True).first()
            for qs, history_id in zip(histories, ids, strict=True)
            if history_id
        ]
        since = max((moment for moment in moments if moment is not None), default=None)
        lines = []
        for change in reversed(change_log(histories, since=since)):  # oldest first
            local = timezone.localtime(change.when)
            head = _("%(when)s %(user)s：%(subject)s") % {
                "when": f"{wareki(local.date())} {local:%H:%M}",
                "user": change.user,
                "subject": change.subject,
            }
            if change.object_label:
                head += f"「{change.object_label}」"
            if not change.fields:
                lines.append(f"{head} {change.action}")
            for field in change.fields:
                lines.append(
                    _("%(head)s %(field)s：%(before)s → %(after)s")
                    % {
                        "head": head,
                        "field": field.label,
                        "before": field.before or _("（なし）"),
                        "after": field.after or _("（なし）"),
                    }
                )
        return lines

    def check_version(self, request, obj, submitted: str | None) -> None:
        """Refuse the save when the object or a part was saved since the form was opened.

        The object's row is locked first (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite writes
        one transaction at a time), so two saves at the same moment are checked one after the
        other. A form without a version (not rendered by this admin) is not checked.
        """
        connection = connections[router.db_for_write(self.model)]
        if connection.features.has_select_for_update and connection.in_atomic_block:
            list(
                self.model._default_manager.select_for_update()
                .filter(pk=obj.pk)
                .values_list("pk", flat=True)
            )
        current = self.edit_version(obj)
        request._programme_edit_version = current  # the re-rendered form carries it
        if not submitted or submitted == current:
            return
        lines = self.changes_since(obj, submitted)
        messages = [
            _(
                "この画面を開いた後に、他の人がこの%(name)sを保存しました。あなたの入力はまだ"
                "保存されていません。下の変更を確かめ、必要なら入力を直して、もう一度保存して"
                "ください。"
            )
            % {"name": self.model._meta.verbose_name}
        ]
        if lines:
            messages += lines[:MAX_LISTED_CHANGES]
            if len(lines) > MAX_LISTED_CHANGES:
                messages.append(_("ほか%(count)d件") % {"count": len(lines) - MAX_LISTED_CHANGES})
        raise ValidationError([ValidationError(m, code="stale") for m in messages])

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if not (change and obj is not None and request.method == "POST"):
            return form
        if getattr(request, "_programme_past_version", False):
            return form
        model_admin = self

        class VersionCheckedForm(form):
            def clean(self):
                cleaned_data = super().clean()
                model_admin.check_version(request, obj, self.data.get(VERSION_FIELD))
                return cleaned_data

        VersionCheckedForm.__name__ = form.__name__
        return VersionCheckedForm

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None and obj.pk is not None:
            context["edit_version"] = getattr(
                request, "_programme_edit_version", None
            ) or self.edit_version(obj)
            context["version_field"] = VERSION_FIELD
        return super().render_change_form(request, context, add, change, form_url, obj)


class HistoryWithPartsAdmin(ProgrammeAdmin):
    """A programme admin whose history page lists its parts' changes (set ``parts_label``)."""

    parts_label = gettext_lazy("部分")


# --- Every programme admin uses the base ------------------------------------------------


def programme_admins_without_the_base(site=None) -> list[str]:
    from .roles import programme_app_labels

    site = site or admin.site
    labels = set(programme_app_labels())
    # Machine data (a reception system's rows, read-only in the admin and replaced by imports)
    # keeps no history of its own: its import batches record who changed what.
    return [
        f"{model._meta.label}: {type(model_admin).__name__}"
        for model, model_admin in site._registry.items()
        if model._meta.app_label in labels
        and getattr(model._meta, "simple_history_manager_attribute", None) is not None
        and not isinstance(model_admin, ProgrammeAdmin)
    ]


@checks.register(checks.Tags.admin)
def check_programme_admins(app_configs=None, **kwargs):
    return [
        checks.Error(
            f"{entry} does not subclass core.admin.ProgrammeAdmin",
            hint="Programme data is edited only through ProgrammeAdmin: it refuses a "
            "history revert and a stale save.",
            id="core.E001",
        )
        for entry in programme_admins_without_the_base()
    ]
