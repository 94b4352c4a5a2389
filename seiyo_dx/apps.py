from __future__ import annotations

from dataclasses import dataclass

from django.apps import AppConfig
from django.db.models.signals import post_migrate


@dataclass(frozen=True)
class SourceFixture:
    """Data from the source papers that an app ships in ``fixtures/``.

    ``recorded_on`` is when the data was decided (the history of the loaded rows starts then,
    so that the programme can be shown as it stood at past meetings).
    """

    filename: str
    recorded_on: str  # ISO date, Asia/Tokyo
    reason: str


class ProgrammeAppConfig(AppConfig):
    """Base for the area apps: their models are programme data that editors change."""

    programme_data = True
    source_fixtures: tuple[SourceFixture, ...] = ()


class SeiyoDxConfig(AppConfig):
    name = "seiyo_dx"
    verbose_name = "西予市DX推進"

    def ready(self):
        from .roles import sync_roles

        post_migrate.connect(sync_roles, dispatch_uid="seiyo_dx.sync_roles")
        from . import sheets  # noqa: F401  (the figures sheet registers itself)
