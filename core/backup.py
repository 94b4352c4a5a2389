"""Backup and restore of the whole database, as ``manage.py backup`` / ``manage.py restore``.

- PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --clean --if-exists
  --single-transaction`` (all or nothing) with the connection of ``DATABASE_URL``.
- SQLite: SQLite's online backup (a consistent copy while the app runs, WAL included), and the
  same backup copied back page by page.

Both copy the tables as the database holds them: every row, every history record, the
timestamps to the microsecond and the id sequences. (``dumpdata`` is not a backup: its JSON
cuts datetimes to milliseconds, so history records written in the same millisecond would no
longer keep their order.)
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections
from django.utils.translation import gettext as _


class BackupError(Exception):
    pass


def _postgres_args(settings: dict) -> tuple[list[str], dict]:
    args = []
    if settings.get("HOST"):
        args += ["--host", str(settings["HOST"])]
    if settings.get("PORT"):
        args += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["--username", str(settings["USER"])]
    env = {**os.environ}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            _("%(program)s が見つかりません（PostgreSQLのクライアントを入れてください）。")
            % {"program": command[0]}
        )
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(done.stderr.strip() or done.stdout.strip())


def backup(path: Path, using: str = "default") -> str:
    """Write a backup of the database to ``path`` (which must not exist); returns the method."""
    path = Path(path)
    if path.exists():
        raise BackupError(
            _("%(path)s はすでにあります。別のファイル名を指定してください。") % {"path": path}
        )
    connection = connections[using]
    if connection.vendor == "postgresql":
        args, env = _postgres_args(connection.settings_dict)
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                *args,
                "--file",
                str(path),
                "--dbname",
                connection.settings_dict["NAME"],
            ],
            env,
        )
        return "pg_dump"
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            with target:
                connection.connection.backup(target)
        finally:
            target.close()
        return "sqlite3 backup"
    raise BackupError(
        _("このデータベース（%(vendor)s）には対応していません。") % {"vendor": connection.vendor}
    )


def restore(path: Path, using: str = "default") -> str:
    """Replace the database's contents with the backup at ``path``; all or nothing."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("%(path)s が見つかりません。") % {"path": path})
    connection = connections[using]
    if connection.vendor == "postgresql":
        args, env = _postgres_args(connection.settings_dict)
        connection.close()  # nothing of ours holds a lock on the tables being replaced
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                *args,
                "--dbname",
                connection.settings_dict["NAME"],
                str(path),
            ],
            env,
        )
        return "pg_restore"
    if connection.vendor == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            checked = source.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {row[0] for row in source.execute("SELECT name FROM sqlite_master")}
            if checked != "ok" or "django_migrations" not in tables:
                raise BackupError(
                    _("%(path)s はこのアプリのSQLiteのバックアップではありません。")
                    % {"path": path}
                )
            connection.ensure_connection()
            source.backup(connection.connection)
        except sqlite3.DatabaseError as error:
            raise BackupError(str(error)) from error
        finally:
            source.close()
        return "sqlite3 backup"
    raise BackupError(
        _("このデータベース（%(vendor)s）には対応していません。") % {"vendor": connection.vendor}
    )
