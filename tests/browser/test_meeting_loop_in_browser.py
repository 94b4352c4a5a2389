"""An editor changes the schedule and issues the meeting's papers; the viewer sees what changed
since the last meeting and downloads the papers as issued."""

import hashlib

import pytest

from meetings.models import IssuedPapers
from projects.models import BudgetLine

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_viewer_sees_the_changes_and_the_issued_papers(
    live_server, browser, page, login, source_data, editor, viewer
):
    # The editor, in their own browser: issues the 2022-11-01 papers, then edits a budget.
    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo")
    own = context.new_page()
    own.goto(f"{live_server.url}/accounts/login/")
    own.get_by_label("ユーザー名").fill("tanaka")
    own.get_by_label("パスワード").fill("pw-editor-1")
    own.get_by_role("button", name="ログイン").click()
    own.wait_for_url(f"{live_server.url}/")
    own.goto(f"{live_server.url}/meetings/1/")
    own.get_by_role("button", name="資料を確定").click()
    own.wait_for_url(f"{live_server.url}/meetings/1/")
    assert "会議資料を確定しました" in own.content()
    context.close()
    issued = IssuedPapers.objects.get(meeting_id=1)

    line = BudgetLine.objects.get(item__name="キャッシュレス")
    line.amount = 9000
    line._history_user = editor
    line.save()

    login("suzuki", "pw-viewer-1")
    changes = page.locator("#changes")
    assert changes.get_by_role("heading", level=2).inner_text() == (
        "前回の会議（令和4年11月1日）からの変更"
    )
    cashless = changes.locator("li", has=page.locator(".change-target", has_text="キャッシュレス"))
    assert "予算額（千円）：8,800 → 9,000" in cashless.inner_text()
    # The three points of 2022-11-01 are still open, owed by the section the papers name.
    commitments = page.locator("#panel-commitments")
    assert "3件が未完了です" in commitments.inner_text()
    assert "明浜支所" in commitments.inner_text()

    page.goto(f"{live_server.url}/meetings/1/")
    status = page.locator("#papers-status")
    assert "田中 花子が確定しました" in status.inner_text()
    assert page.get_by_role("button", name="資料を確定").count() == 0
    with page.expect_download() as download_info:
        page.get_by_role("link", name="確定した会議資料（Excel）をダウンロード").click()
    content = open(download_info.value.path(), "rb").read()
    assert hashlib.sha256(content).hexdigest() == issued.sha256  # as issued, before the edit
