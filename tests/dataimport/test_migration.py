"""ImportBatch moved from the old ``seiyo_dx`` app to ``dataimport`` without losing an upload."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from dataimport.models import ImportBatch

INITIAL = ("dataimport", "0001_initial")


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes("dataimport")[0]


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_move_keeps_its_uploads_and_permissions():
    user = get_user_model().objects.create_user("tanaka")
    # The database as the old app left it: the table under its old name, its content type.
    executor = _migrate(("dataimport", None))
    old_model = executor.loader.project_state(INITIAL).apps.get_model("dataimport", "ImportBatch")
    with connection.schema_editor() as editor:
        editor.create_model(old_model)
        editor.alter_db_table(old_model, old_model._meta.db_table, "seiyo_dx_importbatch")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO seiyo_dx_importbatch "
            "(importer, filename, content, uploaded_by_id, uploaded_at, summary) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            ["schedule", "全体のスケジュール.xlsx", b"PK", user.pk, "2022-11-01 09:00:00", "確認"],
        )
    ContentType.objects.filter(app_label="dataimport").delete()
    old_type = ContentType.objects.create(app_label="seiyo_dx", model="importbatch")
    permission = Permission.objects.create(
        content_type=old_type, codename="view_importbatch", name="Can view"
    )

    _migrate(_latest())

    batch = ImportBatch.objects.get()
    assert (batch.filename, bytes(batch.content), batch.uploaded_by) == (
        "全体のスケジュール.xlsx",
        b"PK",
        user,
    )
    assert "seiyo_dx_importbatch" not in connection.introspection.table_names()
    permission.refresh_from_db()
    assert permission.content_type.app_label == "dataimport"


@pytest.mark.django_db(transaction=True)
def test_a_new_database_gets_the_table_created():
    _migrate(("dataimport", None))
    assert "dataimport_importbatch" not in connection.introspection.table_names()
    _migrate(_latest())
    assert "dataimport_importbatch" in connection.introspection.table_names()
    assert ImportBatch.objects.count() == 0
