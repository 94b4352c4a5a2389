"""The database refuses to edit a stored revision, and a revision decided before the site's
last one (both SQLite and PostgreSQL).

PostgreSQL also refuses to delete one row by row. SQLite cannot tell a row's deletion from the
table being emptied (Django's test flush runs ``DELETE FROM`` on every table), so there the
deletion is refused by the model and the admin only; PostgreSQL's flush uses ``TRUNCATE``,
which row triggers do not see.
"""

from django.db import migrations

APPEND_ONLY = "pbx_revision is append-only: add a new revision instead of editing one"
OUT_OF_ORDER = "pbx_revision: decided before the latest revision of its site"

SQLITE = [
    f"""
    CREATE TRIGGER pbx_revision_no_update BEFORE UPDATE ON pbx_revision
    BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END
    """,
    f"""
    CREATE TRIGGER pbx_revision_in_order BEFORE INSERT ON pbx_revision
    WHEN EXISTS (
        SELECT 1 FROM pbx_revision r
        WHERE r.site_id = NEW.site_id AND r.decided_on > NEW.decided_on
    )
    BEGIN SELECT RAISE(ABORT, '{OUT_OF_ORDER}'); END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS pbx_revision_no_update",
    "DROP TRIGGER IF EXISTS pbx_revision_in_order",
]

POSTGRESQL = [
    f"""
    CREATE FUNCTION pbx_revision_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{APPEND_ONLY}' USING ERRCODE = 'integrity_constraint_violation';
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER pbx_revision_no_update BEFORE UPDATE OR DELETE ON pbx_revision
    FOR EACH ROW EXECUTE FUNCTION pbx_revision_append_only()
    """,
    f"""
    CREATE FUNCTION pbx_revision_in_order() RETURNS trigger AS $$
    BEGIN
        IF EXISTS (
            SELECT 1 FROM pbx_revision r
            WHERE r.site_id = NEW.site_id AND r.decided_on > NEW.decided_on
        ) THEN
            RAISE EXCEPTION '{OUT_OF_ORDER}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER pbx_revision_in_order BEFORE INSERT ON pbx_revision
    FOR EACH ROW EXECUTE FUNCTION pbx_revision_in_order()
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS pbx_revision_no_update ON pbx_revision",
    "DROP FUNCTION IF EXISTS pbx_revision_append_only()",
    "DROP TRIGGER IF EXISTS pbx_revision_in_order ON pbx_revision",
    "DROP FUNCTION IF EXISTS pbx_revision_in_order()",
]


def _run(statements: dict):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("pbx", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]
