"""The short run of benchmarks/load.py: 50 logged-in readers and an editor saving every second
for 5 s against gunicorn on the loopback, on the database the suite runs on; any error fails.
(The 30-second figures are in benchmarks/README.md.)"""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from tests.test_settings import CONFIG_VARS


@pytest.mark.django_db(transaction=True)
def test_fifty_readers_and_an_editor_for_five_seconds_get_no_error():
    env = {k: v for k, v in os.environ.items() if k not in CONFIG_VARS}
    if connection.vendor == "postgresql":
        # The test database itself: the script empties it and loads the source data; nothing
        # of this test holds a transaction open meanwhile.
        db = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )
    done = subprocess.run(
        [sys.executable, "benchmarks/load.py", "--seconds", "5", "--readers", "50"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    report = done.stdout + done.stderr[-3000:]
    assert done.returncode == 0, report
    assert "errors: 0" in done.stdout, report
    pages = int(done.stdout.split("pages: ")[1].split()[0])
    saves = int(done.stdout.split("saves: ")[1].split()[0])
    assert pages >= 20 and saves >= 2, report
