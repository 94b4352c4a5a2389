"""Nothing is visible without logging in; viewers read, only editors reach the admin."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RoutePattern

from projects.models import ScheduleItem

SAMPLE_ARGS = {"app_label": "projects", "url": "no-such-page/"}
LOGIN_PAGES = {"/accounts/login/", "/admin/login/"}


def _concrete(pattern) -> str:
    """A URL matching one pattern: converters and regex groups get sample values (pk=1)."""
    text = str(pattern)
    if isinstance(pattern, RoutePattern):
        return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: SAMPLE_ARGS.get(m[1], "1"), text)
    text = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: SAMPLE_ARGS.get(m[1], "1"), text)
    return re.sub(r"\((?!\?)[^)]*\)", "1", text).lstrip("^").rstrip("$")


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        path = prefix + _concrete(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, path, inner)
        elif isinstance(entry, URLPattern):
            yield "/" + path, f"{namespace}{entry.name}" if entry.name else None


ALL_URLS = sorted(set(_walk(get_resolver().url_patterns)), key=lambda pair: pair[0])
PUBLIC = {"login", "admin:login"}


@pytest.mark.parametrize(("path", "name"), ALL_URLS, ids=[path for path, _name in ALL_URLS])
def test_anonymous_get_redirects_to_login(client, source_data, path, name):
    assert resolve(path).url_name == (name.rpartition(":")[2] if name else None)
    response = client.get(path)
    if name in PUBLIC:
        assert response.status_code == 200
        return
    assert response.status_code == 302, path
    location = urlsplit(response["Location"])
    assert location.path in LOGIN_PAGES
    assert parse_qs(location.query)["next"] == [path]


def test_login_page_is_open_to_anonymous(client, db):
    assert client.get("/accounts/login/").status_code == 200


@pytest.mark.parametrize(
    "path", ["/", "/schedule/", "/schedule/items/1/", "/schedule/initiatives/", "meetings:list"]
)
def test_viewer_can_read_pages(viewer_client, source_data, path):
    if not path.startswith("/"):
        try:
            path = reverse(path)
        except NoReverseMatch:
            pytest.skip(f"{path} is not routed yet")
    assert viewer_client.get(path).status_code == 200


def test_viewer_is_sent_to_admin_login(viewer_client):
    response = viewer_client.get("/admin/")
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == "/admin/login/"


def test_viewer_cannot_change_an_item_through_the_admin(viewer_client, source_data):
    before = ScheduleItem.objects.get(pk=1).name
    response = viewer_client.post(
        "/admin/projects/scheduleitem/1/change/", {"name": "書き換え", "_save": "保存"}
    )
    assert response.status_code == 302
    assert ScheduleItem.objects.get(pk=1).name == before


def test_editor_can_open_an_item_in_the_admin(editor_client, source_data):
    assert editor_client.get("/admin/projects/scheduleitem/1/change/").status_code == 200


def _log_in(client, username, password):
    response = client.post("/accounts/login/", {"username": username, "password": password})
    return response, "_auth_user_id" in client.session


def test_login_form_logs_in_a_normal_user(client, viewer):
    response, logged_in = _log_in(client, "suzuki", "pw-viewer-1")
    assert logged_in
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get("/").status_code == 200


@pytest.fixture
def demo_viewer(django_user_model):
    return django_user_model.objects.create_user("viewer", password="seiyo-viewer-2022")


def test_demo_account_is_refused_when_debug_is_off(client, demo_viewer, settings):
    assert settings.DEBUG is False
    response, logged_in = _log_in(client, "viewer", "seiyo-viewer-2022")
    assert not logged_in
    assert response.status_code == 200  # the form again, with its error


def test_demo_account_can_log_in_when_debug_is_on(client, demo_viewer, settings):
    settings.DEBUG = True
    response, logged_in = _log_in(client, "viewer", "seiyo-viewer-2022")
    assert logged_in
    assert response.status_code == 302


@pytest.mark.parametrize("url", ["/", "/schedule/", "/schedule/?export=csv", "/workbook/"])
def test_pages_and_downloads_with_data_are_never_cached(viewer_client, source_data, url):
    cache_control = viewer_client.get(url)["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control
