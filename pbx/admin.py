"""The PBX rollout in the admin: contracts, sites, and revisions that can only be added."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from core.admin import HistoryWithPartsAdmin, ProgrammeAdmin
from core.japanese import wareki
from dataimport.admin import ImportAdminMixin
from dataimport.imports import ADDED

from .imports import RevisionImporter
from .models import Contract, Revision, Site


class AppendOnlyMixin:
    """Stored revisions are shown read-only and never deleted, for every user.

    Nobody is given the change or delete permission on revisions (``default_permissions``);
    superusers pass every permission check, so these methods refuse them too rather than rely
    on permissions: a revision entered by mistake is corrected by a new revision whose note
    says so, for superusers as for editors. The database refuses the statement anyway
    (migrations 0002/0003), so the as-of views of past days never change."""

    append_only = True  # nothing stored is changed: no stale form to refuse

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RevisionInline(AppendOnlyMixin, admin.TabularInline):
    """The site's revisions: the stored ones read-only, new ones added below them."""

    model = Revision
    extra = 1
    can_delete = False
    fields = (
        "decided_on",
        "decision_date_known",
        "planned_on",
        "undecided",
        "porting",
        "reason",
        "note",
    )

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("pbx.add_revision")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("pbx.view_revision")


class SiteInline(admin.TabularInline):
    model = Site
    extra = 0
    fields = ("order", "name", "first_planned_on", "state", "went_live_on", "note")
    show_change_link = True


@admin.register(Contract)
class ContractAdmin(HistoryWithPartsAdmin):
    list_display = ("name", "schedule_item", "signed_on_wareki", "due_on_wareki")
    fields = (
        "name",
        "schedule_item",
        ("signed_on", "due_on"),
        "original_plan",
        "revised_plan",
        ("carried_over_from", "carryover_kind"),
        "carryover_reason",
    )
    inlines = [SiteInline]
    parts_label = _("施設")

    @admin.display(description=_("契約日"), ordering="signed_on")
    def signed_on_wareki(self, obj):
        return wareki(obj.signed_on)

    @admin.display(description=_("履行期限"), ordering="due_on")
    def due_on_wareki(self, obj):
        return wareki(obj.due_on)

    def history_parts(self, obj):
        return [Site.history.filter(contract_id=obj.pk)]


@admin.register(Site)
class SiteAdmin(HistoryWithPartsAdmin):
    list_display = ("name", "contract", "first_planned_on", "state", "went_live_on")
    list_filter = ("state", "contract")
    ordering = ("order", "id")
    fields = (
        "contract",
        ("name", "order"),
        "first_planned_on",
        ("state", "went_live_on"),
        "note",
    )
    inlines = [RevisionInline]
    parts_label = _("予定変更")

    def history_parts(self, obj):
        return [Revision.history.filter(site_id=obj.pk)]


@admin.register(Revision)
class RevisionAdmin(AppendOnlyMixin, ImportAdminMixin, ProgrammeAdmin):
    """Revisions are added here, under their site or from a spreadsheet; a stored one is only
    viewed."""

    importer = RevisionImporter

    list_display = (
        "site",
        "decided_on",
        "decision_date_known",
        "plan",
        "porting",
        "slipped",
        "reason",
    )
    list_filter = ("site", "slipped", "undecided", "porting")
    list_select_related = ("site",)
    ordering = ("site__order", "site_id", "decided_on", "id")
    fields = (
        "site",
        ("decided_on", "decision_date_known"),
        ("planned_on", "undecided"),
        "porting",
        "reason",
        "note",
    )

    @admin.display(description=_("変更後の予定"))
    def plan(self, obj):
        return obj.plan_label

    def changelist_view(self, request, extra_context=None):
        if self.has_add_permission(request):
            extra_context = {**(extra_context or {}), "import_url": self._import_url()}
        return super().changelist_view(request, extra_context=extra_context)

    def _has_import_permission(self, request, result=None) -> bool:
        """An import only adds revisions: the add permission is what it needs."""
        if result is not None and any(change.kind != ADDED for change in result.changes):
            return False
        return self.has_add_permission(request)

    def delete_view(self, request, object_id, extra_context=None):
        raise PermissionDenied

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions
