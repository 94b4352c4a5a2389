"""Production settings pass Django's deploy checks and refuse to start without a key."""

import os
import secrets
import subprocess
import sys

from django.conf import settings as django_settings

REPO_ROOT = django_settings.BASE_DIR
CONFIG_VARS = (
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    # Set for the browser tests only (Playwright's sync API); never in a deployment.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DATABASE_URL",
    "SEIYO_WESTERN_YEAR_ALONGSIDE",
)


def _run(args, **env):
    base = {k: v for k, v in os.environ.items() if k not in CONFIG_VARS}
    base["DJANGO_SETTINGS_MODULE"] = "seiyo_dx.settings"
    return subprocess.run(
        [sys.executable, *args],
        cwd=REPO_ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy(tmp_path):
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(45),  # 60 characters
        ALLOWED_HOSTS="dx.example.lg.jp",
        DATABASE_URL=f"sqlite:///{tmp_path}/x.sqlite3",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout + result.stderr


def test_without_secret_key_production_serves_nothing(tmp_path):
    # Every request needs the key (sessions, CSRF): reading it fails loudly.
    read_key = (
        "import django; django.setup(); from django.conf import settings; settings.SECRET_KEY"
    )
    result = _run(["-c", read_key], DEBUG="0")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY" in result.stderr
    # check --deploy names the missing key too.
    deploy = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DEBUG="0",
        ALLOWED_HOSTS="dx.example.lg.jp",
        DATABASE_URL=f"sqlite:///{tmp_path}/x.sqlite3",
    )
    assert deploy.returncode != 0
    assert "SECRET_KEY" in deploy.stdout + deploy.stderr


def test_language_and_time_zone_are_japanese(settings):
    assert settings.LANGUAGE_CODE == "ja"
    assert settings.TIME_ZONE == "Asia/Tokyo"


def test_pages_carry_a_content_security_policy_without_inline_scripts(viewer_client, source_data):
    policy = viewer_client.get("/")["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy
        and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    )
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy


def test_the_readme_recipe_serves_gunicorn_on_the_loopback_behind_the_proxy():
    readme = (REPO_ROOT / "README.md").read_text()
    production = readme.split("## Production", 1)[1]
    gunicorn = next(line for line in production.splitlines() if "bin/gunicorn" in line)
    assert "--bind 127.0.0.1:" in gunicorn and "0.0.0.0" not in production
    assert "--forwarded-allow-ips 127.0.0.1" in gunicorn
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in production


def test_https_is_known_only_from_the_proxy_header_in_production(tmp_path):
    shown = _run(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.SECURE_PROXY_SSL_HEADER, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE)",
        ],
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(45),
        ALLOWED_HOSTS="dx.example.lg.jp",
        DATABASE_URL=f"sqlite:///{tmp_path}/x.sqlite3",
    )
    assert shown.stdout.split() == ["('HTTP_X_FORWARDED_PROTO',", "'https')", "True", "True"]
