"""The nightly job: import a reception system's file of any size (CSV or .xlsx).

    manage.py import_receptions /path/to/受付_20221021.csv [--dry-run]

Streams the file (memory stays flat), checks every row as the admin's import does, and writes
all of it or nothing; the file's days replace what was stored for them (see counter/services.py).
Exits with an error and the rows' problems when any row is refused.
"""

from pathlib import Path

from counter.imports import stream_receptions

from ._files import FileImportCommand, Outcome


class Command(FileImportCommand):
    help = "受付システムのファイル（CSV・.xlsx）の受付を取り込みます（全件か、何もしないか）。"

    def run(self, path: Path, dry_run: bool) -> Outcome:
        report = stream_receptions(path, dry_run=dry_run)
        verb = "確認しました（書き込みなし）" if dry_run else "取り込みました"
        return Outcome(
            notices=[f"読み飛ばし：{line}" for line in report.skipped],
            errors=report.errors,
            error_count=report.error_count,
            done=f"受付{report.rows:,}件（{report.days:,}日・窓口分）を{verb}",
        )
