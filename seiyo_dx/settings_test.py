"""Test settings: the production settings with a throwaway key and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-key-" + "x" * 40)

from .settings import *  # noqa: F403
from .settings import STORAGES

# Templates use {% static %} without collectstatic having run.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False
# Login throttling is off except in the tests that turn it on (tests/test_login_throttling.py).
AXES_ENABLED = False
