"""No revert from the history page: every programme admin refuses it, whoever asks.

simple-history's revert view (POST /admin/<app>/<model>/<id>/history/<history_id>/) checked only
the view permission, and wrote back the object's own fields without its parts' rules. It is
switched off on ``core.admin.ProgrammeAdmin``, the base every programme admin uses.
"""

import pytest
from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.forms.models import model_to_dict
from django.test import Client

from core.roles import programme_app_labels
from projects.models import BudgetLine, ScheduleItem

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


def test_every_programme_model_has_an_admin_on_the_base():
    from core.admin import ProgrammeAdmin, check_programme_admins, programme_admins_without_the_base

    assert len(PROGRAMME_ADMINS) >= 6
    assert all(isinstance(model_admin, ProgrammeAdmin) for _m, model_admin in PROGRAMME_ADMINS)
    assert programme_admins_without_the_base() == []
    assert check_programme_admins() == []


def test_the_system_check_refuses_an_area_admin_off_the_base():
    from core.admin import programme_admins_without_the_base
    from projects.models import Category

    site = admin.AdminSite(name="other")
    site.register(Category, ModelAdmin)
    assert programme_admins_without_the_base(site) == ["projects.Category: ModelAdmin"]


def _urls(model, obj, record):
    info = model._meta.app_label, model._meta.model_name
    return f"/admin/{info[0]}/{info[1]}/{obj.pk}/history/{record.pk}/"


def _version_data(record) -> dict:
    """The past version as its form would post it (what the revert button sends)."""
    data = model_to_dict(record.instance)
    return {key: "" if value is None else value for key, value in data.items()}


def _state(model, obj):
    history = model.history.filter(id=obj.pk)
    fields = [f.attname for f in model._meta.concrete_fields]
    return history.count(), model.objects.filter(pk=obj.pk).values(*fields).get()


@pytest.fixture
def staff_viewer(viewer):
    viewer.is_staff = True
    viewer.save()
    web = Client()
    web.force_login(viewer)
    return web


@pytest.mark.parametrize(("model", "model_admin"), PROGRAMME_ADMINS, ids=IDS)
def test_a_viewer_cannot_revert(source_data, staff_viewer, model, model_admin):
    obj = model.objects.order_by("pk").first()
    if obj is None:
        pytest.skip(f"the source data has no {model._meta.label} (the papers give none)")
    record = model.history.filter(id=obj.pk).order_by("history_id").first()
    before = _state(model, obj)
    url = _urls(model, obj, record)
    # A revert posted by hand (what the hidden button would send) is refused …
    response = staff_viewer.post(url, _version_data(record))
    assert response.status_code == 403
    assert _state(model, obj) == before
    # … and the viewer still sees the past version, read-only.
    page = staff_viewer.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.text


@pytest.mark.parametrize(("model", "model_admin"), PROGRAMME_ADMINS, ids=IDS)
def test_an_editor_cannot_revert_either(source_data, editor_web, model, model_admin):
    obj = model.objects.order_by("pk").first()
    if obj is None:
        pytest.skip(f"the source data has no {model._meta.label} (the papers give none)")
    record = model.history.filter(id=obj.pk).order_by("history_id").first()
    before = _state(model, obj)
    url = _urls(model, obj, record)
    page = editor_web.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.text
    assert "過去の版（表示のみ）" in page.text
    response = editor_web.post(url, _version_data(record))
    assert response.status_code == 403
    assert _state(model, obj) == before


def test_a_revert_cannot_make_an_item_with_budget_lines_and_included(source_data, editor_web):
    """The issue's case: an old version said 「含む」; today the item has its own budget lines."""
    item = ScheduleItem.objects.filter(budget_lines__isnull=False).order_by("pk").first()
    other = ScheduleItem.objects.exclude(pk=item.pk).order_by("pk").first()
    item.included_in = other
    item.save()
    included_version = item.history.order_by("-history_id").first()
    item.included_in = None
    item.save()
    url = f"/admin/projects/scheduleitem/{item.pk}/history/{included_version.pk}/"
    data = {
        "category": item.category_id,
        "name": item.name,
        "order": item.order,
        "status": item.status_id or "",
        "included_in": other.pk,
    }
    response = editor_web.post(url, data)
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.included_in_id is None
    assert BudgetLine.objects.filter(item=item).exists()
    assert not ScheduleItem.objects.filter(
        included_in__isnull=False, budget_lines__isnull=False
    ).exists()


def test_the_history_page_offers_no_revert(source_data, editor_web):
    item = ScheduleItem.objects.order_by("pk").first()
    page = editor_web.get(f"/admin/projects/scheduleitem/{item.pk}/history/")
    assert page.status_code == 200
    assert "元に戻すことができます" not in page.text
    assert "その時点の内容を表示します（表示のみ）" in page.text
