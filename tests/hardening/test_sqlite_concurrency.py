"""SQLite under concurrent saves: the embedded default takes 12 editors saving at once.

Measured before (Django's default deferred transactions, no busy timeout): 12 writers × 10
saves gave dozens of "database is locked" errors (the issue saw 47 of 120).
"""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from tests.test_settings import CONFIG_VARS

SCRIPT = Path(__file__).with_name("sqlite_burst.py")


def run_burst(database: Path) -> dict[str, int]:
    env = {k: v for k, v in os.environ.items() if k not in CONFIG_VARS}
    env.update(
        DJANGO_SETTINGS_MODULE="seiyo_dx.settings",
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{database}",
        LOG_LEVEL="WARNING",
    )
    result = subprocess.run(
        [sys.executable, str(SCRIPT)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    line = result.stdout.strip().splitlines()[-1]
    return {key: int(value) for key, value in (part.split("=") for part in line.split())}


def test_twelve_concurrent_writers_get_no_database_is_locked(tmp_path):
    counts = run_burst(tmp_path / "burst.sqlite3")
    assert counts == {"saves": 120, "locked": 0, "other": 0}


def test_the_sqlite_default_uses_wal_a_busy_timeout_and_immediate_transactions(tmp_path):
    from django.db import connections

    from seiyo_dx.settings import sqlite_options

    options = sqlite_options()
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
    assert options["timeout"] >= 5
    if connections["default"].vendor == "sqlite":
        assert connections["default"].settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
