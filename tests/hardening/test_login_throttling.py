"""Login throttling (django-axes): five wrong passwords lock a user name from that address."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client, override_settings

LOGIN = "/accounts/login/"
LOCKED = "ログインに5回続けて失敗したため"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _axes_on():
    with override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5):
        yield


def _client(address="192.0.2.10"):
    return Client(REMOTE_ADDR=address)


def _login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_fifty_fast_wrong_passwords_lock_out_after_five(editor):
    web = _client()
    for _attempt in range(4):
        response = _login(web, "tanaka", "wrong")
        assert response.status_code == 200
        assert "ユーザー名またはパスワードが正しくありません" in response.text
    answers = [_login(web, "tanaka", "wrong") for _attempt in range(46)]
    assert {r.status_code for r in answers} == {429}
    assert LOCKED in answers[-1].text
    assert "管理者に解除を依頼してください" in answers[-1].text
    assert 'name="username"' in answers[-1].text  # still the login page, with its form
    # Now even the right password is refused from that address.
    response = _login(web, "tanaka", "pw-editor-1")
    assert response.status_code == 429
    assert "_auth_user_id" not in web.session


def test_lockout_is_by_user_and_address_together(editor, viewer):
    web = _client()
    for _attempt in range(5):
        _login(web, "tanaka", "wrong")
    assert _login(web, "tanaka", "pw-editor-1").status_code == 429
    # The same user from another address, and another user from the same address, still log in.
    elsewhere = _client("198.51.100.7")
    assert _login(elsewhere, "tanaka", "pw-editor-1").status_code == 302
    assert _login(_client(), "suzuki", "pw-viewer-1").status_code == 302


def test_a_success_clears_the_count(editor):
    web = _client()
    for _attempt in range(4):
        _login(web, "tanaka", "wrong")
    assert _login(web, "tanaka", "pw-editor-1").status_code == 302
    again = _client()
    for _attempt in range(4):
        assert _login(again, "tanaka", "wrong").status_code == 200
    assert _login(again, "tanaka", "pw-editor-1").status_code == 302


def test_the_admin_unlocks_a_locked_user(editor):
    web = _client()
    for _attempt in range(5):
        _login(web, "tanaka", "wrong")
    assert _login(web, "tanaka", "pw-editor-1").status_code == 429
    attempt = AccessAttempt.objects.get(username="tanaka")
    admin_user = get_user_model().objects.create_superuser("kanri", password="pw-admin-1")
    admin = Client()
    admin.force_login(admin_user)
    listing = admin.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200 and "tanaka" in listing.text
    url = f"/admin/axes/accessattempt/{attempt.pk}/delete/"
    assert admin.post(url, {"post": "yes"}).status_code == 302
    assert _login(web, "tanaka", "pw-editor-1").status_code == 302


def test_an_editor_cannot_unlock(editor, editor_web):
    assert editor_web.get("/admin/axes/accessattempt/").status_code == 403


@override_settings(DEBUG=True)
def test_demo_accounts_still_log_in(db):
    from core.seed import DEMO_PASSWORDS, ensure_demo_accounts

    ensure_demo_accounts()
    for username, password in DEMO_PASSWORDS.items():
        assert _login(_client(), username, password).status_code == 302


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_behind_the_proxy_the_forwarded_address_counts(editor):
    def via_proxy(forwarded):
        return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)

    for _attempt in range(5):
        _login(via_proxy("192.0.2.10"), "tanaka", "wrong")
    assert _login(via_proxy("192.0.2.10"), "tanaka", "pw-editor-1").status_code == 429
    # Another client behind the same proxy is not locked out; a forged first entry is ignored.
    assert _login(via_proxy("192.0.2.99"), "tanaka", "pw-editor-1").status_code == 302
    assert _login(via_proxy("203.0.113.1, 192.0.2.10"), "tanaka", "pw-x").status_code == 429


def test_an_untrusted_client_cannot_choose_its_address(editor):
    for _attempt in range(5):
        _login(Client(REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="10.9.9.9"), "tanaka", "x")
    assert _login(_client("192.0.2.10"), "tanaka", "pw-editor-1").status_code == 429


def test_production_settings_throttle_logins():
    import importlib

    production = importlib.import_module("seiyo_dx.settings")
    assert getattr(production, "AXES_ENABLED", True) is True
    assert production.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert production.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert production.AXES_FAILURE_LIMIT == 5
    assert production.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
