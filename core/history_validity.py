"""Each history record says until when it was current: ``history_valid_until``.

django-simple-history writes a record per change with the moment it was made
(``history_date``). To read a past day, the app needs "the record of each object that was the
latest at that moment": without help, a walk down the history index per object, which at
20,000 objects × 10 versions took several times as long as today's view (benchmarks/README.md).

So every record of a ``ProgrammeHistory`` table also carries the moment the next record of the
same object was made (NULL while it is the newest): the record current at ``t`` is the one with
``history_date <= t < history_valid_until``, one range condition that the database evaluates in
one pass, with no per-object steps.

The column is kept by database triggers, not by Python signals, so that every way a record is
written keeps it right: the ORM, ``bulk_create`` of historical records (imports, the seed, the
benchmark generator), ``loaddata``, a restore, and back-dated corrections inserted between two
records. "Next" is in the order the app reads history in: ``history_date``, then ``history_id``
on a tie, as ``latest_records`` does (the two are compared in the tests).

The triggers are (re)installed after every ``migrate`` for every model that has the column, so
an area's models get them without a line of their own; installing fills the column of records
written before the triggers existed.
"""

from __future__ import annotations

import hashlib

from django.apps import apps
from django.db import connections, models

VALID_UNTIL = "history_valid_until"


def valid_until_field() -> models.DateTimeField:
    return models.DateTimeField(null=True, blank=True, editable=False)


def historical_models_with_validity(app_config=None) -> list[type[models.Model]]:
    return [
        m
        for m in (app_config.get_models() if app_config else apps.get_models())
        if getattr(m, "instance_type", None) is not None
        and any(f.name == VALID_UNTIL for f in m._meta.concrete_fields)
    ]


def _names(historical, connection) -> dict[str, str]:
    quote = connection.ops.quote_name
    table = historical._meta.db_table
    digest = hashlib.sha1(table.encode()).hexdigest()[:10]
    column = {
        name: quote(historical._meta.get_field(name).column)
        for name in ("history_id", "history_date", VALID_UNTIL)
    }
    return {
        "table": quote(table),
        "object": quote(
            historical._meta.get_field(historical.instance_type._meta.pk.attname).column
        ),
        "hid": column["history_id"],
        "date": column["history_date"],
        "until": column[VALID_UNTIL],
        "name": f"history_valid_{digest}",
    }


# Every record's valid_until is the smallest history_date among the records of the same object
# that come after it. One statement (re)computes it for the objects given by ``{which}``.
_RECOMPUTE = """
    UPDATE {table} SET {until} = (
        SELECT MIN(n.{date}) FROM {table} n
        WHERE n.{object} = {table}.{object} AND (n.{date}, n.{hid}) > ({table}.{date}, {table}.{hid})
    ) WHERE {which}
"""

# A record inserted: the records of the object before it end at its moment at the latest, and
# it ends where the first record after it begins (nothing, unless it is back-dated).
_ON_INSERT = """
    UPDATE {table} SET {until} = NEW.{date}
    WHERE {object} = NEW.{object} AND ({date}, {hid}) < (NEW.{date}, NEW.{hid})
      AND ({until} IS NULL OR {until} > NEW.{date});
    UPDATE {table} SET {until} = (
        SELECT MIN(n.{date}) FROM {table} n
        WHERE n.{object} = NEW.{object} AND (n.{date}, n.{hid}) > (NEW.{date}, NEW.{hid})
    ) WHERE {hid} = NEW.{hid} AND EXISTS (
        SELECT 1 FROM {table} n
        WHERE n.{object} = NEW.{object} AND (n.{date}, n.{hid}) > (NEW.{date}, NEW.{hid})
    );
"""


def _sqlite_statements(n: dict[str, str]) -> list[str]:
    on_change = _RECOMPUTE.format(which="{object} IN (OLD.{object}, NEW.{object})", **n)
    on_delete = _RECOMPUTE.format(which="{object} = OLD.{object}", **n)
    # _RECOMPUTE's {which} is formatted in a second pass (it names columns itself).
    on_change, on_delete = on_change.format(**n), on_delete.format(**n)
    return [
        f"CREATE TRIGGER IF NOT EXISTS {n['name']}_ins AFTER INSERT ON {n['table']} "
        f"BEGIN {_ON_INSERT.format(**n)} END",
        f"CREATE TRIGGER IF NOT EXISTS {n['name']}_upd AFTER UPDATE OF {n['date']}, {n['object']} "
        f"ON {n['table']} BEGIN {on_change}; END",
        f"CREATE TRIGGER IF NOT EXISTS {n['name']}_del AFTER DELETE ON {n['table']} "
        f"BEGIN {on_delete}; END",
    ]


def _postgresql_statements(n: dict[str, str]) -> list[str]:
    on_change = _RECOMPUTE.format(which="{object} IN (OLD.{object}, NEW.{object})", **n)
    on_delete = _RECOMPUTE.format(which="{object} = OLD.{object}", **n)
    on_change, on_delete = on_change.format(**n), on_delete.format(**n)
    # Row triggers run after the whole statement, so a multi-row INSERT (bulk_create) sees all
    # its rows: each pair of records is put right by the later one's trigger.
    function = f"""
        CREATE OR REPLACE FUNCTION {n["name"]}() RETURNS trigger LANGUAGE plpgsql AS $body$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                {_ON_INSERT.format(**n)}
            ELSIF TG_OP = 'UPDATE' THEN
                {on_change};
            ELSE
                {on_delete};
            END IF;
            RETURN NULL;
        END
        $body$
    """
    return [
        function,
        f"DROP TRIGGER IF EXISTS {n['name']} ON {n['table']}",
        f"CREATE TRIGGER {n['name']} AFTER INSERT OR DELETE OR UPDATE OF {n['date']}, "
        f"{n['object']} ON {n['table']} FOR EACH ROW EXECUTE FUNCTION {n['name']}()",
    ]


def _installed(connection, name: str) -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT 1 FROM pg_trigger WHERE tgname = %s", [name])
        else:
            cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = %s", [f"{name}_ins"]
            )
        return cursor.fetchone() is not None


def _has_column(connection, historical) -> bool:
    with connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(cursor, historical._meta.db_table)
    return any(c.name == historical._meta.get_field(VALID_UNTIL).column for c in columns)


def install_validity_triggers(app_config=None, using: str = "default", **kwargs) -> None:
    """Install the triggers on the historical tables (of ``app_config``'s models: post_migrate
    is sent once per app) that have the column, and fill the column of the records already
    there. Does nothing where they are installed."""
    connection = connections[using]
    if connection.vendor not in ("postgresql", "sqlite"):
        return
    historicals = historical_models_with_validity(app_config)
    if not historicals:
        return
    existing = set(connection.introspection.table_names())
    for historical in historicals:
        if historical._meta.db_table not in existing:
            continue
        n = _names(historical, connection)
        if _installed(connection, n["name"]) or not _has_column(connection, historical):
            continue  # installed, or the table is at a migration before the column
        build = _postgresql_statements if connection.vendor == "postgresql" else _sqlite_statements
        with connection.cursor() as cursor:
            for statement in build(n):
                cursor.execute(statement)
            cursor.execute(_RECOMPUTE.format(which="TRUE", **n).format(**n))


def recompute_validity(historical, using: str = "default") -> None:
    """Recompute the column of every record of ``historical`` (a repair; the tests compare)."""
    connection = connections[using]
    n = _names(historical, connection)
    with connection.cursor() as cursor:
        cursor.execute(_RECOMPUTE.format(which="TRUE", **n).format(**n))


def drop_validity_triggers(app_config, using: str = "default") -> None:
    """Remove the triggers of ``app_config``'s historical tables (before their column goes,
    when a migration is reversed: SQLite refuses to drop a column a trigger names)."""
    connection = connections[using]
    if connection.vendor not in ("postgresql", "sqlite"):
        return
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for historical in historical_models_with_validity(app_config):
            if historical._meta.db_table not in existing:
                continue
            n = _names(historical, connection)
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {n['name']} ON {n['table']}")
                cursor.execute(f"DROP FUNCTION IF EXISTS {n['name']}()")
            else:
                for event in ("ins", "upd", "del"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {n['name']}_{event}")


def validity_triggers(app_label: str):
    """The migration step that adds ``history_valid_until``'s triggers to an app's history
    tables (and removes them when the migration is reversed). ``migrate`` also installs them
    afterwards for every app (post_migrate); this step keeps a partial or reversed migration,
    such as a test migrating back and forth, consistent."""
    from django.apps import apps as global_apps
    from django.db import migrations

    def install(apps, schema_editor):
        install_validity_triggers(
            global_apps.get_app_config(app_label), schema_editor.connection.alias
        )

    def drop(apps, schema_editor):
        drop_validity_triggers(
            global_apps.get_app_config(app_label), schema_editor.connection.alias
        )

    return migrations.RunPython(install, drop, elidable=False)
