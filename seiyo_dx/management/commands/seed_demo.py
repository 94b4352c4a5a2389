from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from seiyo_dx.seed import DEMO_PASSWORDS, ensure_demo_accounts, load_source_data


class Command(BaseCommand):
    help = "会議資料（2022年11月1日）のデータを読み込み、デモ用アカウントを作成します（開発用）。"

    def add_arguments(self, parser):
        parser.add_argument("--no-accounts", action="store_true", help="データだけを読み込みます。")

    def handle(self, *args, no_accounts=False, **options):
        loaded = load_source_data()
        self.stdout.write("読み込み: " + (", ".join(loaded) if loaded else "なし（読み込み済み）"))
        if no_accounts:
            return
        if not settings.DEBUG:
            raise CommandError("デモ用アカウントは開発環境（DEBUG=1）でのみ作成できます。")
        created = ensure_demo_accounts()
        for username in created:
            self.stdout.write(f"作成: {username} / {DEMO_PASSWORDS[username]}")
