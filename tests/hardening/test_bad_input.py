"""Input no page can use gets a clear answer (400, or an empty result), never a 500.

Before: ``/admin/autocomplete/?term=%00`` and filters such as ``?theme__exact=%00`` were 500 on
PostgreSQL (no text there can hold U+0000); ``delete_selected`` with a 20-digit id and
``?id__in=<20 digits>`` were 500 on SQLite (OverflowError); an action on the id ``%00`` was a
500 on both. Swept over every registered admin, so a new area's admins are covered.
"""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model

from projects.models import Category, ScheduleItem

BIG = "99999999999999999999"  # 20 digits: beyond any integer column


@pytest.fixture
def root(client, source_data):
    client.force_login(get_user_model().objects.create_superuser("root", password="x"))
    client.raise_request_exception = False
    return client


def changelists():
    return [
        f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for model in admin.site._registry
    ]


def test_autocomplete_with_nul_is_a_400(root):
    response = root.get(
        "/admin/autocomplete/",
        {
            "term": "\x00",
            "app_label": "projects",
            "model_name": "scheduleitem",
            "field_name": "included_in",
        },
    )
    assert response.status_code == 400
    assert "リクエストが正しくありません" in response.content.decode()


@pytest.mark.parametrize("url", changelists())
def test_every_admin_list_answers_nul_and_huge_ids_without_a_500(root, url):
    assert root.get(url, {"q": "\x00"}).status_code == 400
    assert root.get(url, {"pk__in": BIG}).status_code in (200, 302)
    assert root.get(url, {"id__exact": BIG}).status_code in (200, 302)
    assert root.get(url + f"?p={BIG}").status_code in (200, 302, 404)
    for ids in ([BIG], ["1", BIG]):
        chosen = {"action": "delete_selected", "_selected_action": ids, "index": 0}
        assert root.post(url, chosen).status_code in (200, 302)
    for bad in ("%00", "\x00", "abc"):
        chosen = {"action": "delete_selected", "_selected_action": [bad], "post": "yes"}
        assert root.post(url, chosen).status_code == 400


def test_delete_selected_with_a_20_digit_id_deletes_nothing(root):
    before = (ScheduleItem.objects.count(), Category.objects.count())
    for url in ("/admin/projects/scheduleitem/", "/admin/projects/category/"):
        response = root.post(
            url, {"action": "delete_selected", "_selected_action": [BIG], "post": "yes"}
        )
        assert response.status_code in (200, 302)
    assert (ScheduleItem.objects.count(), Category.objects.count()) == before


@pytest.mark.parametrize(
    "url",
    [
        "/admin/projects/scheduleitem/?category__id__exact=%00",
        "/admin/meetings/meeting/?result__exact=%00",
        "/admin/projects/initiative/?theme__exact=%00",
        "/admin/meetings/meeting/?held_on__gte=%00",
        "/schedule/?q=%00",
        "/schedule/?category=%00",
        "/schedule/?export=csv&q=%00",
        "/schedule/initiatives/?theme=%00",
        "/meetings/?q=%00",
        "/?as_of=%00",
        "/workbook/?as_of=%00",
    ],
)
def test_filters_and_pages_with_nul_are_a_400(root, url):
    assert root.get(url).status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        f"/admin/projects/scheduleitem/?category__id__exact={BIG}",
        f"/admin/projects/scheduleitem/?plans__year__id__exact={BIG}",
        f"/admin/projects/scheduleitem/?id__in={BIG}",
        f"/admin/projects/scheduleitem/{BIG}/change/",
        f"/schedule/?category={BIG}",
        f"/schedule/?year={BIG}",
        f"/schedule/items/{BIG}/",
        f"/meetings/{BIG}/",
    ],
)
def test_huge_ids_are_answered_without_a_500(root, url):
    assert root.get(url).status_code in (200, 302, 404)


def test_in_lookups_skip_ids_no_column_holds(source_data):
    pk = ScheduleItem.objects.first().pk
    assert list(ScheduleItem.objects.filter(pk__in=[int(BIG)]).values_list("pk", flat=True)) == []
    assert list(
        ScheduleItem.objects.filter(pk__in=[pk, int(BIG)]).values_list("pk", flat=True)
    ) == [pk]
