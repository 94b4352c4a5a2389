"""Two imports applied at the same moment (PostgreSQL, two connections): the second is refused.

Both editors previewed against the same data (キャッシュレス at 8,800). Before the lock, both
applies re-read the data before either had written, both passed the digest check, both reported
success, and the first one's 9,000 was silently overwritten by 9,500.
"""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

from core.roles import EDITORS, sync_roles
from core.seed import load_source_data
from dataimport import imports
from projects.models import BudgetLine, ScheduleItem
from tests.projects.test_schedule_import import BUDGET1, TOTAL, CsvSheet, apply, upload

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="two connections at once: PostgreSQL"
)


def editor_browser(username: str) -> Client:
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(username, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    web = Client()
    web.force_login(user)
    return web


@pytest.mark.django_db(transaction=True)
def test_two_imports_applied_at_once_one_is_refused_and_nothing_is_lost(monkeypatch):
    sync_roles()
    load_source_data()
    first, second = editor_browser("tanaka"), editor_browser("sato")
    downloaded = first.get("/schedule/?export=csv").getvalue()

    previews = []
    for amount in (9000, 9500):
        sheet = CsvSheet(downloaded)
        sheet.set("キャッシュレス", BUDGET1, str(amount))
        sheet.set("キャッシュレス", TOTAL, str(amount))
        web = first if amount == 9000 else second
        preview = upload(web, f"予算{amount}.csv", sheet.bytes())
        assert [c.label for c in preview.context["result"].changes] == ["キャッシュレス"]
        previews.append((web, preview))

    # Hold each apply just before it writes, until the other has got that far too (or 3 s
    # passed: with the lock, the other is waiting for it and never gets there).
    both_ready = threading.Barrier(2, timeout=3)
    original_flush = imports.Writer.flush
    waited = threading.local()

    def flush_when_both_ready(self):
        if not getattr(waited, "done", False):
            waited.done = True
            try:
                both_ready.wait()
            except threading.BrokenBarrierError:
                pass
        return original_flush(self)

    monkeypatch.setattr(imports.Writer, "flush", flush_when_both_ready)

    responses = {}

    def run(web, preview):
        try:
            responses[preview.context["result"].filename] = apply(web, preview)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in previews]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    statuses = sorted(r.status_code for r in responses.values())
    assert statuses == [200, 302], "both applies reported success: one change was lost"
    winner = next(name for name, r in responses.items() if r.status_code == 302)
    loser = next(r for r in responses.values() if r.status_code == 200)
    assert "確認画面を表示した後にデータが変更されたため、適用を中止しました。" in (
        loser.content.decode()
    )
    amount = 9000 if "9000" in winner else 9500
    cashless = ScheduleItem.objects.get(name="キャッシュレス")
    assert cashless.budget_lines.get().amount == amount
    # The history shows one change, 8,800 → the winner's amount; nothing written by the loser.
    amounts = list(
        BudgetLine.history.filter(item_id=cashless.pk)
        .order_by("history_date", "history_id")
        .values_list("amount", flat=True)
    )
    assert amounts == [8800, amount]


def test_the_lock_covers_each_model_the_importer_writes(db):
    from projects.imports import ScheduleImporter

    names = imports.lock_for_apply(ScheduleImporter(), "default")
    assert names == sorted(
        [
            "import:projects.schedule",
            "model:projects.BudgetLine",
            "model:projects.Concern",
            "model:projects.FiscalYearPlan",
            "model:projects.ScheduleItem",
        ]
    )
