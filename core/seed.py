"""Loading the source papers' data (``fixtures/``) and the demo accounts.

Each area app declares its fixtures (``ProgrammeAppConfig.source_fixtures``). Loading is
idempotent: a row already in the database is skipped, so running the set-up twice neither
duplicates nor overwrites what staff have edited since, and a row a newer fixture adds arrives.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import zoneinfo
from collections import defaultdict
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction

from .db import analyze
from .roles import EDITORS, VIEWERS, sync_roles

FIXTURE_DIR = settings.BASE_DIR / "fixtures"
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")

# Documented in the README; usable only while DEBUG is on (seiyo_dx.auth refuses them otherwise).
DEMO_PASSWORDS = {"editor": "seiyo-editor-2022", "viewer": "seiyo-viewer-2022"}
DEMO_USERNAMES = frozenset(DEMO_PASSWORDS)
DEMO_DISPLAY_NAMES = {"editor": "編集者", "viewer": "閲覧者"}  # デモ 編集者 / デモ 閲覧者


def source_fixtures():
    for config in apps.get_app_configs():
        yield from getattr(config, "source_fixtures", ())


@transaction.atomic
def load_source_data() -> list[str]:
    """Load every app's source fixture rows not yet in the database; returns the fixtures
    that added rows.

    A row already there (by model and primary key) is left as staff may have edited it; a row
    a newer version of a fixture adds (the DX talent table's 西予市 row, say) is loaded into an
    existing installation too. The loaded tables and their histories are analysed afterwards
    (``core.db.analyze``).
    """
    loaded = []
    models = set()
    for fixture in source_fixtures():
        path = FIXTURE_DIR / fixture.filename
        rows = json.loads(path.read_text(encoding="utf-8"))
        missing = _missing_rows(rows)
        if not missing:
            continue
        if len(missing) == len(rows):
            call_command("loaddata", str(path), verbosity=0)
        else:
            _load_rows(missing, path.name)
        _start_history(missing, dt.date.fromisoformat(fixture.recorded_on), fixture.reason)
        loaded.append(fixture.filename)
        models.update(apps.get_model(row["model"]) for row in missing)
    analyze(sorted(models, key=lambda model: model._meta.label))
    return loaded


def _missing_rows(rows: list[dict]) -> list[dict]:
    """The fixture rows whose object was never in the database: not there now, and, for a
    model with history, never recorded (an object staff deleted stays deleted)."""
    pks_by_model = defaultdict(list)
    for row in rows:
        pks_by_model[row["model"]].append(row["pk"])
    known = set()
    for label, pks in pks_by_model.items():
        model = apps.get_model(label)
        known.update(
            (label, pk) for pk in model.objects.filter(pk__in=pks).values_list("pk", flat=True)
        )
        if hasattr(model, "history"):
            recorded = model.history.filter(**{f"{model._meta.pk.attname}__in": pks})
            known.update(
                (label, pk) for pk in recorded.values_list(model._meta.pk.attname, flat=True)
            )
    return [row for row in rows if (row["model"], row["pk"]) not in known]


def _load_rows(rows: list[dict], name: str) -> None:
    """loaddata of some rows of a fixture (it reads files only: a temporary one)."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / name
        path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        call_command("loaddata", str(path), verbosity=0)


def _start_history(rows: list[dict], recorded_on: dt.date, reason: str) -> None:
    """loaddata writes no history; record the rows as created on the day they were decided."""
    when = dt.datetime.combine(recorded_on, dt.time(9, 0), tzinfo=TOKYO)
    pks_by_model = defaultdict(list)
    for row in rows:
        pks_by_model[row["model"]].append(row["pk"])
    for label, pks in pks_by_model.items():
        model = apps.get_model(label)
        if hasattr(model, "history"):
            model.history.bulk_history_create(
                list(model.objects.filter(pk__in=pks)),
                default_date=when,
                default_change_reason=reason,
            )


def ensure_demo_accounts() -> list[str]:
    """Create the demo editor and viewer if missing; never reset an existing password."""
    sync_roles()
    user_model = get_user_model()
    created = []
    for username in sorted(DEMO_USERNAMES):
        user, was_created = user_model.objects.get_or_create(
            username=username,
            # Distinct names: the history says who did what.
            defaults={
                "is_staff": username == "editor",
                "last_name": "デモ",
                "first_name": DEMO_DISPLAY_NAMES[username],
            },
        )
        if was_created:
            user.set_password(DEMO_PASSWORDS[username])
            user.save()
            created.append(username)
        elif not user.first_name and user.last_name == "デモ":
            # Made by an earlier version, both named 「デモ」: give it its distinct name.
            user.first_name = DEMO_DISPLAY_NAMES[username]
            user.save(update_fields=["first_name"])
        group = Group.objects.get(name=EDITORS if username == "editor" else VIEWERS)
        user.groups.add(group)
    return created
