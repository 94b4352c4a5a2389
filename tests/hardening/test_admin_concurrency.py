"""Two editors on one record: the second save is refused, with what the first one changed.

Both open the same change form; the first saves; the second's save is refused with the other
person's changes (field, before → after, who, when) and the second's own input kept in the form.
Over every programme admin (``core.admin.ProgrammeAdmin``), on SQLite and PostgreSQL alike.
"""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import SlugField
from django.test import Client

from core.roles import programme_app_labels
from projects.models import BudgetLine, ScheduleItem

from .formdata import read_form

PROGRAMME_ADMINS = sorted(
    (
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in programme_app_labels()
        and getattr(model._meta, "simple_history_manager_attribute", None)  # not machine data
    ),
    key=lambda pair: pair[0]._meta.label,
)
IDS = [model._meta.label for model, _admin in PROGRAMME_ADMINS]
STALE = "この画面を開いた後に、他の人が"


@pytest.fixture
def second_editor(roles):
    user = get_user_model().objects.create_user(
        "yamada", password="pw-editor-2", is_staff=True, last_name="山田", first_name="太郎"
    )
    user.groups.add(roles[0])
    web = Client()
    web.force_login(user)
    return web


def _url(model, obj):
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/{obj.pk}/change/"


def _open(web, model, obj):
    page = web.get(_url(model, obj))
    assert page.status_code == 200
    return read_form(page.text, model._meta.model_name)


def _field_label(model, name):
    return str(model._meta.get_field(name).verbose_name)


def _accepts(model, obj, attname, values) -> bool:
    from django.core.exceptions import ValidationError

    try:
        for value in values:
            candidate = model.objects.get(pk=obj.pk)
            setattr(candidate, attname, value)
            candidate.full_clean()
    except ValidationError:
        return False
    return True


def _changeable_number(model, obj, form):
    """An integer field of the form and two other values the model accepts for it (a year not
    yet in the programme, a floor the building has but no section uses …)."""
    from django.db import models as m

    for f in model._meta.fields:
        if not isinstance(f, m.IntegerField) or f.primary_key or f.name not in form:
            continue
        try:
            original = int(form[f.name][0])
        except (ValueError, IndexError):
            continue
        for a, b in ((1, 2), (-1, -2), (10, 20)):
            if _accepts(model, obj, f.attname, (original + a, original + b)):
                return f.name, str(original), str(original + a), str(original + b)
    return None


def _object_and_number(model, first_form):
    for obj in model.objects.order_by("pk")[:20]:
        found = _changeable_number(model, obj, first_form(obj))
        if found:
            return obj, found
    raise AssertionError(f"no field of {model._meta.label} to change in the test")


@pytest.mark.parametrize(("model", "model_admin"), PROGRAMME_ADMINS, ids=IDS)
def test_the_second_save_is_refused_with_the_first_ones_changes(
    source_data, editor_web, second_editor, model, model_admin
):
    obj = model.objects.order_by("pk").first()
    if obj is None:
        pytest.skip(f"the source data has no {model._meta.label} (the papers give none)")
    if getattr(model_admin, "append_only", False):
        pytest.skip("stored records are never changed (append-only): nothing can go stale")
    form_a, text_fields = _open(editor_web, model, obj)
    # Codes (slugs) are not free text: the test's 「（田中の修正）」 would not be valid there.
    slugs = {f.name for f in model._meta.fields if isinstance(f, SlugField)}
    text_fields = [name for name in text_fields if name not in slugs]
    if text_fields:
        field = text_fields[0]
        original = form_a[field][0]
        value_a, value_b = original + "（田中の修正）", original + "（山田の修正）"
    else:  # a model without text (計画年度, a floor): a number it accepts changed
        obj, (field, original, value_a, value_b) = _object_and_number(
            model, lambda o: _open(editor_web, model, o)[0]
        )
        form_a, _fields = _open(editor_web, model, obj)
    form_b, _fields = _open(second_editor, model, obj)
    form_a[field], form_b[field] = [value_a], [value_b]

    assert editor_web.post(_url(model, obj), form_a).status_code == 302
    refused = second_editor.post(_url(model, obj), form_b)

    assert refused.status_code == 200
    text = refused.text
    assert STALE in text
    assert "田中 花子" in text  # who
    assert f"{_field_label(model, field)}：" in text  # which field …
    assert f"{original} → {value_a}".replace("（", "（") in text  # … before → after
    assert "令和" in text  # when, as an era date
    # Nothing of B's was saved; B's input is still in the form, with the version it now saw.
    assert str(model.objects.filter(pk=obj.pk).values_list(field, flat=True).get()) == value_a
    form_again, _fields = read_form(text, model._meta.model_name)
    assert form_again[field] == [value_b]
    assert form_again["_version"] != form_b["_version"]
    # Saving again, after reading the message, is B's deliberate choice: it goes through.
    assert second_editor.post(_url(model, obj), form_again).status_code == 302
    assert str(model.objects.filter(pk=obj.pk).values_list(field, flat=True).get()) == value_b


def test_a_change_to_a_part_makes_the_form_stale(source_data, editor_web, second_editor):
    """A budget line changed by A (an inline) stops B's save of the item's name."""
    item = ScheduleItem.objects.filter(budget_lines__isnull=False).order_by("pk").first()
    line = item.budget_lines.order_by("pk").first()
    form_a, _f = _open(editor_web, ScheduleItem, item)
    form_b, _f = _open(second_editor, ScheduleItem, item)
    amount_field = next(k for k, v in form_a.items() if k.endswith("-amount") and v)
    form_a[amount_field] = [str(line.amount + 1000)]
    form_b["name"] = [item.name + "（山田の修正）"]

    assert editor_web.post(_url(ScheduleItem, item), form_a).status_code == 302
    refused = second_editor.post(_url(ScheduleItem, item), form_b)

    assert refused.status_code == 200
    assert STALE in refused.text
    assert "予算" in refused.text and f"{line.amount + 1000:,}" in refused.text
    item.refresh_from_db()
    assert not item.name.endswith("（山田の修正）")
    assert BudgetLine.objects.get(pk=line.pk).amount == line.amount + 1000


def test_saving_ones_own_form_twice_in_a_row_works(source_data, editor_web):
    item = ScheduleItem.objects.order_by("pk").first()
    form, _f = _open(editor_web, ScheduleItem, item)
    form["name"] = [item.name + "（一）"]
    assert editor_web.post(_url(ScheduleItem, item), form).status_code == 302
    form, _f = _open(editor_web, ScheduleItem, item)
    form["name"] = [item.name + "（二）"]
    assert editor_web.post(_url(ScheduleItem, item), form).status_code == 302
    item.refresh_from_db()
    assert item.name.endswith("（二）")


def test_the_message_escapes_the_other_persons_text(source_data, editor_web, second_editor):
    item = ScheduleItem.objects.order_by("pk").first()
    form_a, _f = _open(editor_web, ScheduleItem, item)
    form_b, _f = _open(second_editor, ScheduleItem, item)
    form_a["name"] = ["<script>alert(1)</script>"]
    assert editor_web.post(_url(ScheduleItem, item), form_a).status_code == 302
    refused = second_editor.post(_url(ScheduleItem, item), form_b)
    assert "<script>alert(1)</script>" not in refused.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in refused.text


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_on_postgresql(
    source_data, editor_web, second_editor, monkeypatch
):
    """A holds the record (checked, not yet committed) while B saves: B waits, then is refused.

    Without the row lock B would check against the version A has not committed yet, pass, and
    overwrite A's change once A commits.
    """
    import threading
    import time

    from django.db import connection

    from core.admin import ProgrammeAdmin

    if connection.vendor != "postgresql":
        pytest.skip("two transactions at once: PostgreSQL (SQLite writes one at a time)")

    item = ScheduleItem.objects.order_by("pk").first()
    form_a, _f = _open(editor_web, ScheduleItem, item)
    form_b, _f = _open(second_editor, ScheduleItem, item)
    form_a["name"], form_b["name"] = [item.name + "（田中）"], [item.name + "（山田）"]

    a_checked, release_a = threading.Event(), threading.Event()
    save_model = ProgrammeAdmin.save_model

    def held_save_model(self, request, obj, form, change):
        save_model(self, request, obj, form, change)
        if request.user.username == "tanaka":
            a_checked.set()
            release_a.wait(20)

    monkeypatch.setattr(ProgrammeAdmin, "save_model", held_save_model)
    answers = {}

    def post(name, web, form):
        from django.db import connection as thread_connection

        try:
            answers[name] = web.post(_url(ScheduleItem, item), form)
        finally:
            thread_connection.close()

    thread_a = threading.Thread(target=post, args=("a", editor_web, form_a))
    thread_b = threading.Thread(target=post, args=("b", second_editor, form_b))
    thread_a.start()
    assert a_checked.wait(20)
    thread_b.start()
    with connection.cursor() as cursor:  # B is waiting for A's lock on the record
        for _attempt in range(100):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                break
            time.sleep(0.1)
        else:
            pytest.fail("the second save did not wait for the first")
    release_a.set()
    thread_a.join(30)
    thread_b.join(30)

    assert answers["a"].status_code == 302
    assert answers["b"].status_code == 200
    assert STALE in answers["b"].text and "田中 花子" in answers["b"].text
    item.refresh_from_db()
    assert item.name.endswith("（田中）")


def test_a_browsers_line_breaks_are_not_a_change(source_data, editor_web, second_editor):
    """A browser posts a textarea's line breaks as CR LF: saving untouched changes nothing, and
    the other editor's stale-form message lists only what was really changed."""
    from projects.models import FiscalYearPlan

    plan = FiscalYearPlan.objects.filter(content__contains="\n").order_by("pk").first()
    item = plan.item
    form_a, _f = _open(editor_web, ScheduleItem, item)
    form_b, _f = _open(second_editor, ScheduleItem, item)
    form_a = {k: [v.replace("\n", "\r\n") for v in values] for k, values in form_a.items()}
    form_a["name"] = [item.name + "（田中）"]
    records = FiscalYearPlan.history.filter(id=plan.pk).count()

    assert editor_web.post(_url(ScheduleItem, item), form_a).status_code == 302
    plan.refresh_from_db()
    assert "\r" not in plan.content
    from core.history import change_log

    latest = change_log([FiscalYearPlan.history.filter(id=plan.pk)])[0]
    assert FiscalYearPlan.history.filter(id=plan.pk).count() >= records
    assert latest.kind == "+"  # no change of the plan was logged
    refused = second_editor.post(_url(ScheduleItem, item), form_b)
    assert STALE in refused.text
    assert "年度計画" not in refused.text.split("errorlist nonfield")[1].split("</ul>")[0]
