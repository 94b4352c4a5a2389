"""ImportBatch moved here from the former ``seiyo_dx`` app, keeping every recorded upload.

On a database made before the move, the table ``seiyo_dx_importbatch`` is renamed and its
content type (with the permissions that point at it) relabelled; on a new one the table is
created. Either way Django's state is the same model.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

OLD_TABLE = "seiyo_dx_importbatch"


class CreateOrAdoptModel(migrations.CreateModel):
    """CreateModel that renames the table the old app left behind instead, if there is one."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.name)
        if OLD_TABLE in schema_editor.connection.introspection.table_names():
            schema_editor.alter_db_table(model, OLD_TABLE, model._meta.db_table)
        else:
            super().database_forwards(app_label, schema_editor, from_state, to_state)


def relabel_content_type(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType")
    if not content_types.objects.filter(app_label="dataimport", model="importbatch").exists():
        content_types.objects.filter(app_label="seiyo_dx", model="importbatch").update(
            app_label="dataimport"
        )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        CreateOrAdoptModel(
            name="ImportBatch",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("importer", models.CharField(max_length=50, verbose_name="取込の種類")),
                ("filename", models.CharField(max_length=255, verbose_name="ファイル名")),
                ("content", models.BinaryField(verbose_name="ファイルの内容")),
                (
                    "uploaded_at",
                    models.DateTimeField(auto_now_add=True, verbose_name="アップロード日時"),
                ),
                (
                    "applied_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="適用日時"),
                ),
                ("summary", models.TextField(blank=True, verbose_name="結果")),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="import_batches",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="アップロードした人",
                    ),
                ),
            ],
            options={
                "verbose_name": "Excel・CSV取込",
                "verbose_name_plural": "Excel・CSV取込",
                "ordering": ["-uploaded_at", "-id"],
            },
        ),
        migrations.RunPython(relabel_content_type, migrations.RunPython.noop),
    ]
