"""The two roles: editors change programme data (in the admin), viewers read and export.

Which models are programme data is declared by the apps (``ProgrammeAppConfig``), so a new
area gets its permissions without editing this module.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission

EDITORS = "編集者"
VIEWERS = "閲覧者"


def programme_app_labels() -> list[str]:
    return [cfg.label for cfg in apps.get_app_configs() if getattr(cfg, "programme_data", False)]


def sync_roles(**kwargs) -> None:
    """Create or update both groups; safe to run after every migrate."""
    labels = programme_app_labels()
    perms = Permission.objects.filter(content_type__app_label__in=labels)
    editors, _created = Group.objects.get_or_create(name=EDITORS)
    viewers, _created = Group.objects.get_or_create(name=VIEWERS)
    editors.permissions.set(perms.exclude(codename__startswith="view_historical"))
    viewers.permissions.set(perms.filter(codename__startswith="view_"))
