"""Start Django for a benchmark script: a throwaway SQLite file unless DATABASE_URL names a
database, the test settings, the test environment (the client's context capture) and the
schema migrated."""

from __future__ import annotations

import os
import tempfile


def start_django(prefix: str = "seiyo-bench-") -> None:
    tmp = tempfile.mkdtemp(prefix=prefix)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seiyo_dx.settings_test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
