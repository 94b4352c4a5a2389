"""No two counts of one department with overlapping periods: checked by the database itself.

PostgreSQL: an exclusion constraint over (department, daterange) (btree_gist gives ``=`` on the
department id in a GiST index). SQLite: triggers before insert and update. Model validation
says the same in words (``approval.models.validate_measurement``); these catch what bypasses
it (bulk writes, two editors at once).

SQLite loses triggers when a migration rebuilds the table: a later migration that alters
``approval_measurement`` must create them again (``create_sqlite_triggers``).
"""

from django.db import migrations

NAME = "approval_measurement_no_overlap"


def create_sqlite_triggers(cursor):
    overlap = (
        "SELECT 1 FROM approval_measurement m WHERE m.department_id = NEW.department_id "
        "AND m.period_start <= NEW.period_end AND NEW.period_start <= m.period_end"
    )
    cursor.execute(
        f"CREATE TRIGGER IF NOT EXISTS {NAME}_insert BEFORE INSERT ON approval_measurement "
        f"WHEN EXISTS ({overlap}) BEGIN SELECT RAISE(ABORT, '{NAME}'); END"
    )
    cursor.execute(
        f"CREATE TRIGGER IF NOT EXISTS {NAME}_update BEFORE UPDATE OF department_id, "
        f"period_start, period_end ON approval_measurement "
        f"WHEN EXISTS ({overlap} AND m.id <> NEW.id) BEGIN SELECT RAISE(ABORT, '{NAME}'); END"
    )


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
            cursor.execute(
                f"ALTER TABLE approval_measurement ADD CONSTRAINT {NAME} EXCLUDE USING gist "
                "(department_id WITH =, daterange(period_start, period_end, '[]') WITH &&)"
            )
        elif connection.vendor == "sqlite":
            create_sqlite_triggers(cursor)


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE approval_measurement DROP CONSTRAINT IF EXISTS {NAME}")
        elif connection.vendor == "sqlite":
            cursor.execute(f"DROP TRIGGER IF EXISTS {NAME}_insert")
            cursor.execute(f"DROP TRIGGER IF EXISTS {NAME}_update")


class Migration(migrations.Migration):
    dependencies = [("approval", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
