"""The one way past the database's append-only guard of revisions: Django's flush.

Migrations 0002/0003 make the database refuse an UPDATE of a ``pbx_revision`` row always, and
a DELETE unless ``pbx_revision_flushing`` holds a row (SQLite and PostgreSQL alike). Django's
flush (the test teardown of ``TransactionTestCase`` / ``transactional_db``, the benchmarks,
``manage.py flush``) empties every table; on SQLite with ``DELETE FROM``, which the trigger
would refuse. The ``flush`` and ``sqlflush`` commands of this app (they take the place of
Django's) put the statements below around the flush's own statements: they run inside the
flush's transaction, so no other connection ever sees the guard open, and a failed flush rolls
the opening back with everything else.
"""

from __future__ import annotations

FLUSHING_TABLE = "pbx_revision_flushing"  # created by migration 0003, not a model


def guarded_flush_sql(connection, sql_list: list[str]) -> list[str]:
    """``sql_list`` (a flush's statements) with the guard opened first and closed last.

    Unchanged where the guard does not exist (a database not yet migrated that far)."""
    if not sql_list or FLUSHING_TABLE not in connection.introspection.table_names():
        return list(sql_list)
    table = connection.ops.quote_name(FLUSHING_TABLE)
    return [
        f"INSERT INTO {table} (flushing) VALUES (1);",
        *sql_list,
        f"DELETE FROM {table};",
    ]
