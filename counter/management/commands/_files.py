"""What the counter's nightly import commands share: one way to take a file (receptions,
payments, hourly tallies), report what was skipped and refused, and exit."""

from dataclasses import dataclass, field
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from counter.imports import MAX_ERRORS_LISTED, ImportFileError, import_file


def in_file_order(problems):
    """Header problems (no row) first, then by row; a row's problems as they were found."""
    return sorted(problems, key=lambda problem: (problem.row is not None, problem.row or 0))


@dataclass
class Outcome:
    """What a command prints: notices, the refused rows (the first ``MAX_ERRORS_LISTED``) and
    their count, and the line for a file taken."""

    notices: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    error_count: int = 0
    done: str = ""


class FileImportCommand(BaseCommand):
    """Import one file (CSV or .xlsx, streamed); exit non-zero (``CommandError``) with every
    refused row and column when anything is wrong, and write nothing then.

    A command sets ``importer`` and ``what`` (payments, hourly tallies: ``import_file``), or
    overrides ``run`` (receptions: ``stream_receptions``)."""

    importer = None
    what = ""

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="確かめるだけで書き込みません。")

    def run(self, path: Path, dry_run: bool) -> Outcome:
        result = import_file(self.importer(), path, dry_run=dry_run)
        verb = "確認しました（書き込みなし）" if dry_run else "取り込みました"
        if not result.changes:
            verb = "確認しました（変更なし）"
        return Outcome(
            notices=[f"お知らせ：{notice}" for notice in result.notices],
            # In the file's order (checks that span rows find theirs after the last row is read).
            errors=[str(problem) for problem in in_file_order(result.errors)[:MAX_ERRORS_LISTED]],
            error_count=len(result.errors),
            done=f"{self.what}を{verb}（{result.summary}）",
        )

    def handle(self, path: Path, dry_run: bool, **options):
        if not path.exists():
            raise CommandError(f"ファイルがありません：{path}")
        try:
            outcome = self.run(path, dry_run)
        except ImportFileError as error:
            raise CommandError(f"{path.name}：{error}（何も書き込みませんでした）") from error
        for notice in outcome.notices:
            self.stdout.write(notice)
        if outcome.error_count:
            more = outcome.error_count - len(outcome.errors)
            tail = f"\nほか{more}件" if more > 0 else ""
            raise CommandError(
                f"{path.name}：エラー{outcome.error_count}件のため、何も書き込みませんでした。\n"
                + "\n".join(outcome.errors)
                + tail
            )
        self.stdout.write(f"{path.name}：{outcome.done}。")
