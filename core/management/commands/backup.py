from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.backup import BackupError, backup


class Command(BaseCommand):
    help = gettext_noop(
        "データベース全体（履歴を含む）をファイルにバックアップします"
        "（PostgreSQL: pg_dump、SQLite: オンラインバックアップ）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help=_("書き出すファイル（まだないもの）"))
        parser.add_argument("--database", default="default")

    def handle(self, *args, path, database, **options):
        try:
            method = backup(path, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("バックアップしました：%(path)s（%(method)s）") % {"path": path, "method": method}
        )
