"""Backup and restore round-trip everything: the source data, a generated large data set with
long histories, users, and history dates to the microsecond (``manage.py backup``/``restore``;
pg_dump/pg_restore on PostgreSQL, SQLite's online backup on SQLite)."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection

from benchmarks.generate import long_history, multiply_schedule
from core.roles import sync_roles
from projects.models import BudgetLine, ScheduleItem


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table, in a fixed order."""
    tables = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted} WHERE 1 = 0")
            order = ", ".join(str(n + 1) for n in range(len(cursor.description)))
            cursor.execute(f"SELECT * FROM {quoted} ORDER BY {order}")
            tables[table] = cursor.fetchall()
    return tables


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip_everything(tmp_path):
    sync_roles()
    multiply_schedule(20)  # the source data and 19 copies: 260 items with their parts
    long_history(
        200, 12
    )  # 200 more items (4 of them deleted), each row with 12 versions over ten years
    get_user_model().objects.create_user("tanaka", password="pw", last_name="田中")
    item = ScheduleItem.objects.get(name="キャッシュレス")
    item.order = 7
    item.save()  # a history record written now: microseconds
    exact = dt.datetime(2022, 11, 1, 9, 30, 15, 123457, tzinfo=dt.UTC)
    record = BudgetLine.history.filter(item_id=item.pk).earliest("history_date")
    BudgetLine.history.filter(history_id=record.history_id).update(history_date=exact)

    before = snapshot()
    history_rows = sum(len(rows) for name, rows in before.items() if "historical" in name)
    assert history_rows > 10_000 and len(before["projects_scheduleitem"]) == 456

    path = tmp_path / "seiyo.backup"
    call_command("backup", str(path))
    assert path.stat().st_size > 100_000
    with pytest.raises(CommandError):  # never overwrites an earlier backup
        call_command("backup", str(path))

    # Everything that can go wrong after the backup: deletions, edits, new rows.
    BudgetLine.history.all().delete()
    ScheduleItem.objects.filter(name__startswith="長期項目").update(order=1)
    BudgetLine.objects.all().delete()
    get_user_model().objects.create_user("intruder", password="pw")
    assert snapshot() != before

    call_command("restore", str(path), yes=True)

    after = snapshot()
    assert after.keys() == before.keys()
    for table in before:
        assert after[table] == before[table], table
    restored = BudgetLine.history.get(history_id=record.history_id).history_date
    assert restored == exact and restored.microsecond == 123457
    # The id sequences came back too: a new row does not collide with a restored one.
    assert ScheduleItem.objects.create(
        name="新規", category=item.category, status=item.status
    ).pk > max(row[0] for row in before["projects_scheduleitem"])


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    bogus = tmp_path / "not-a-backup"
    bogus.write_bytes(b"hello")
    sync_roles()
    before = snapshot()
    with pytest.raises(CommandError):
        call_command("restore", str(bogus), yes=True)
    with pytest.raises(CommandError):
        call_command("restore", str(tmp_path / "missing"), yes=True)
    assert snapshot() == before
