"""No control character gets in through a form, and one already stored breaks no export."""

import io

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from openpyxl import load_workbook

from core.validators import no_control_characters
from projects.models import ScheduleItem


def test_every_text_field_of_every_programme_model_refuses_control_characters():
    fields = [
        (model, field)
        for config in apps.get_app_configs()
        if getattr(config, "programme_data", False)
        for model in config.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
    ]
    assert len(fields) > 10
    for model, field in fields:
        assert no_control_characters in field.validators, (model, field.name)


@pytest.mark.parametrize("character", ["\x00", "\x0b", "\x1f", "\x7f"])
def test_a_control_character_is_refused_with_its_code(source_data, character):
    item = ScheduleItem.objects.get(name="キャッシュレス")
    item.name = f"キャッシュ{character}レス"
    with pytest.raises(ValidationError) as refused:
        item.full_clean()
    assert f"U+{ord(character):04X}" in str(refused.value.message_dict["name"])


def test_tab_and_line_breaks_a_textarea_sends_are_text():
    no_control_characters("一行目\r\n二行目\tタブ")  # nothing raised


def test_an_admin_form_refuses_it(editor_client, source_data):
    item = ScheduleItem.objects.get(name="キャッシュレス")
    page = editor_client.get(f"/admin/projects/scheduleitem/{item.pk}/change/")
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["name"] = "キャッシュ\x0bレス"
    bound = type(form)(data, instance=item)
    assert not bound.is_valid() and "U+000B" in str(bound.errors["name"])


def test_a_control_character_already_stored_breaks_no_export(viewer_client, source_data):
    ScheduleItem.objects.filter(name="キャッシュレス").update(name="キャッシュ\x0bレス")
    content = viewer_client.get("/schedule/?export=xlsx").getvalue()
    names = [
        row[2] for row in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)
    ]
    assert "キャッシュ\ufffdレス" in names
    workbook = viewer_client.get("/workbook/")
    assert workbook.status_code == 200
    load_workbook(io.BytesIO(workbook.content))  # readable
    assert "キャッシュ\x0bレス" in viewer_client.get("/schedule/?export=csv").getvalue().decode()


def test_the_core_app_runs_its_own_ready():
    """core/apps.py defines two configs: core's own must be the installed one (it syncs the
    roles after every migrate and guards the text fields)."""
    from django.db.models.signals import post_migrate

    from core.apps import CoreConfig
    from core.roles import sync_roles

    assert type(apps.get_app_config("core")) is CoreConfig
    assert any(entry[1]() is sync_roles for entry in post_migrate.receivers)
