from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.backup import BackupError, restore


class Command(BaseCommand):
    help = gettext_noop(
        "バックアップからデータベース全体を戻します。今のデータはすべて置き換わります"
        "（アプリを止めてから実行してください）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help=_("manage.py backup で書き出したファイル"))
        parser.add_argument("--database", default="default")
        parser.add_argument("--yes", action="store_true", help=_("確認せずに置き換えます。"))

    def handle(self, *args, path, database, yes, **options):
        if not yes:
            answer = input(
                _("今のデータをすべて %(path)s の内容で置き換えます。よろしいですか？ [yes/no]: ")
                % {"path": path}
            )
            if answer.strip().lower() != "yes":
                raise CommandError(_("中止しました。"))
        try:
            method = restore(path, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("戻しました：%(path)s（%(method)s）") % {"path": path, "method": method}
        )
