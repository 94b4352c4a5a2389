from __future__ import annotations

from dataclasses import dataclass

from django.apps import AppConfig
from django.db.models.signals import post_migrate

from .organisation import lazy_brand


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
    """Base for the area apps: their models are programme data that editors change.

    An area brings its pages by setting ``url_prefix`` (its ``urls.py`` is then mounted there,
    namespaced by the app's label) and registers its navigation entry, panels and sheets in
    ``ready()``. Nothing in the core changes when an area is added to ``INSTALLED_APPS``.
    """

    programme_data = True
    source_fixtures: tuple[SourceFixture, ...] = ()
    url_prefix: str | None = None  # e.g. "counter": the app's urls.py at /counter/
    urls_module: str = "urls"


class CoreConfig(AppConfig):
    default = True  # the module also defines ProgrammeAppConfig: say which one is core's
    name = "core"
    verbose_name = lazy_brand()  # the installation's (settings.SEIYO_ORGANISATION)

    def ready(self):
        from .db import register_lookups
        from .history_validity import install_validity_triggers
        from .linebreaks import normalise_programme_line_breaks
        from .roles import sync_roles
        from .validators import guard_integer_fields, guard_text_fields

        post_migrate.connect(sync_roles, dispatch_uid="core.sync_roles")
        post_migrate.connect(install_validity_triggers, dispatch_uid="core.history_validity")
        guard_text_fields()
        normalise_programme_line_breaks()
        guard_integer_fields()
        register_lookups()
