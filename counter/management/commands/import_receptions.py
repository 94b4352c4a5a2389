"""The nightly job: import a reception system's file of any size (CSV or .xlsx).

    manage.py import_receptions /path/to/受付_20221021.csv [--dry-run]

Streams the file (memory stays flat), checks every row as the admin's import does, and writes
all of it or nothing; the file's days replace what was stored for them (see counter/services.py).
Exits with an error and the rows' problems when any row is refused.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from counter.imports import ImportFileError, stream_receptions


class Command(BaseCommand):
    help = "受付システムのファイル（CSV・.xlsx）の受付を取り込みます（全件か、何もしないか）。"

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="確かめるだけで書き込みません。")

    def handle(self, path: Path, dry_run: bool, **options):
        if not path.exists():
            raise CommandError(f"ファイルがありません：{path}")
        try:
            report = stream_receptions(path, dry_run=dry_run)
        except ImportFileError as error:
            raise CommandError(f"{path.name}：{error}（何も書き込みませんでした）") from error
        for line in report.skipped:
            self.stdout.write(f"読み飛ばし：{line}")
        if report.error_count:
            listed = "\n".join(report.errors)
            more = report.error_count - len(report.errors)
            tail = f"\nほか{more}件" if more > 0 else ""
            raise CommandError(
                f"{path.name}：エラー{report.error_count}件のため、何も書き込みませんでした。\n"
                f"{listed}{tail}"
            )
        verb = "確認しました（書き込みなし）" if dry_run else "取り込みました"
        self.stdout.write(
            f"{path.name}：受付{report.rows:,}件（{report.days:,}日・窓口分）を{verb}。"
        )
