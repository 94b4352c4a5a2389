"""What the nightly commands for the smaller files share (payments, hourly tallies)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from counter.imports import MAX_ERRORS_LISTED, ImportFileError, import_file


class FileImportCommand(BaseCommand):
    """Import one file with ``importer``; exit non-zero (``CommandError``) with every refused
    row and column when anything is wrong, and write nothing then."""

    importer = None
    what = ""

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="確かめるだけで書き込みません。")

    def handle(self, path: Path, dry_run: bool, **options):
        if not path.exists():
            raise CommandError(f"ファイルがありません：{path}")
        try:
            result = import_file(self.importer(), path, dry_run=dry_run)
        except ImportFileError as error:
            raise CommandError(f"{path.name}：{error}（何も書き込みませんでした）") from error
        for notice in result.notices:
            self.stdout.write(f"お知らせ：{notice}")
        if result.errors:
            listed = "\n".join(str(problem) for problem in result.errors[:MAX_ERRORS_LISTED])
            more = len(result.errors) - MAX_ERRORS_LISTED
            tail = f"\nほか{more}件" if more > 0 else ""
            raise CommandError(
                f"{path.name}：エラー{len(result.errors)}件のため、何も書き込みませんでした。\n"
                f"{listed}{tail}"
            )
        verb = "確認しました（書き込みなし）" if dry_run else "取り込みました"
        if not result.changes:
            verb = "確認しました（変更なし）"
        self.stdout.write(f"{path.name}：{self.what}を{verb}（{result.summary}）。")
