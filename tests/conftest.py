"""Shared fixtures: the source meeting's data and users in each role."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from core.roles import EDITORS, VIEWERS, sync_roles
from core.seed import load_source_data


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Past days' as-of answers are kept in the cache: no test sees another's."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def source_data(db):
    """The data of the 2022-11-01 meeting papers, loaded as `make run` loads it."""
    load_source_data()


@pytest.fixture
def roles(db):
    sync_roles()
    return Group.objects.get(name=EDITORS), Group.objects.get(name=VIEWERS)


@pytest.fixture
def editor(roles):
    user = get_user_model().objects.create_user(
        "tanaka", password="pw-editor-1", is_staff=True, last_name="田中", first_name="花子"
    )
    user.groups.add(roles[0])
    return user


@pytest.fixture
def viewer(roles):
    user = get_user_model().objects.create_user("suzuki", password="pw-viewer-1", last_name="鈴木")
    user.groups.add(roles[1])
    return user


@pytest.fixture
def viewer_client(client, viewer):
    client.force_login(viewer)
    return client


@pytest.fixture
def editor_web(editor):
    """The editor's own browser, beside the viewer's ``client`` (downloads, then uploads)."""
    from django.test import Client

    web = Client()
    web.force_login(editor)
    return web


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
