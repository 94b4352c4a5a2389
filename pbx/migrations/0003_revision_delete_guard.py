"""The database refuses to delete a revision on SQLite too, and on both databases the only way
past the guard is Django's flush (emptying every table at once).

The rule, the same on SQLite and PostgreSQL: an UPDATE of a revision is always refused; a DELETE
is refused unless the table ``pbx_revision_flushing`` holds a row. Nothing in the application
writes that table: only the ``flush`` command (``pbx/management/commands/flush.py``, which
Django's test teardown and the benchmarks run) inserts a row as the first statement of its
transaction and removes it as the last, so no other connection ever sees it (SQLite has one
writer at a time; PostgreSQL readers do not see uncommitted rows).

Why a table and not a simpler trigger: SQLite runs ``DELETE FROM`` per table in the flush (in
an arbitrary order), and a row trigger cannot tell a row's deletion from the table being
emptied; SQLite has no session settings and a trigger of the main schema cannot read a TEMP
table. PostgreSQL's flush uses ``TRUNCATE``, which row triggers do not see; its trigger reads
the same table so that a raw DELETE behaves the same on both.

The guard stops mistakes (a stray UPDATE or DELETE in a shell or script), not the database's
owner, who could drop the trigger.
"""

from django.db import migrations

# As in 0002; pbx/guard.py names the same table for the flush command.
APPEND_ONLY = "pbx_revision is append-only: add a new revision instead of editing one"
FLUSHING_TABLE = "pbx_revision_flushing"

SQLITE = [
    f"CREATE TABLE {FLUSHING_TABLE} (flushing integer NOT NULL)",
    f"""
    CREATE TRIGGER pbx_revision_no_delete BEFORE DELETE ON pbx_revision
    WHEN NOT EXISTS (SELECT 1 FROM {FLUSHING_TABLE})
    BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS pbx_revision_no_delete",
    f"DROP TABLE IF EXISTS {FLUSHING_TABLE}",
]

POSTGRESQL = [
    f"CREATE TABLE {FLUSHING_TABLE} (flushing integer NOT NULL)",
    f"""
    CREATE OR REPLACE FUNCTION pbx_revision_append_only() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM {FLUSHING_TABLE}) THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION '{APPEND_ONLY}' USING ERRCODE = 'integrity_constraint_violation';
    END
    $$ LANGUAGE plpgsql
    """,
]
POSTGRESQL_REVERSE = [
    f"""
    CREATE OR REPLACE FUNCTION pbx_revision_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{APPEND_ONLY}' USING ERRCODE = 'integrity_constraint_violation';
    END
    $$ LANGUAGE plpgsql
    """,
    f"DROP TABLE IF EXISTS {FLUSHING_TABLE}",
]


def _run(statements: dict):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("pbx", "0002_revision_append_only_guard")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]
