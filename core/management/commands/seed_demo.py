from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.seed import DEMO_PASSWORDS, ensure_demo_accounts, load_source_data


class Command(BaseCommand):
    # gettext_noop, not gettext_lazy: argparse cannot format a lazy description (--help fails).
    help = gettext_noop(
        "会議資料（2022年11月1日）のデータを読み込み、デモ用アカウントを作成します（開発用）。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-accounts", action="store_true", help=_("データだけを読み込みます。")
        )

    def handle(self, *args, no_accounts=False, **options):
        loaded = load_source_data()
        self.stdout.write(
            _("読み込み: %(loaded)s")
            % {"loaded": ", ".join(loaded) if loaded else _("なし（読み込み済み）")}
        )
        if no_accounts:
            return
        if not settings.DEBUG:
            raise CommandError(_("デモ用アカウントは開発環境（DEBUG=1）でのみ作成できます。"))
        created = ensure_demo_accounts()
        for username in created:
            self.stdout.write(
                _("作成: %(username)s / %(password)s")
                % {"username": username, "password": DEMO_PASSWORDS[username]}
            )
