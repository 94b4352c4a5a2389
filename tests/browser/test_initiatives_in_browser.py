"""A viewer reads section 7 in Chromium: periods as printed, the DX talent table, the specialists."""

import os

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_viewer_reads_the_other_threads_as_the_papers_print_them(
    live_server, page, login, source_data, viewer
):
    login("suzuki", "pw-viewer-1")
    page.goto(f"{live_server.url}/schedule/initiatives/")
    talent = page.locator('table.timeline[data-theme="DX人材"]')
    assert talent.locator("thead th").all_inner_texts() == [
        "項目", "令和3年11月", "令和3年12月", "令和4年1月〜12月", "1〜2年",
    ]  # fmt: skip
    assert talent.locator("tbody th").all_inner_texts() == ["AnotherWorks", "NTTドコモ", "西予市"]
    ntt = talent.locator("tbody tr").nth(1).locator("td").all_inner_texts()
    assert ntt[0] == "事前協議/調整（完了）" and ntt[3].startswith("課題解決策・DX実施")
    specialists = page.locator("table.specialists tbody th").all_inner_texts()
    assert specialists == [
        "デザイン思考・UI・UX", "システム・セキュリティ", "データの利活用", "官民共創",
        "広報・マーケティング",
    ]  # fmt: skip
    listing = page.locator("#initiative-table").inner_text()
    assert "令和4年3月　仕様検討・策定 期限超過" in listing
    assert "令和3年11月1日" not in page.locator("main").inner_text()
    if os.environ.get("SEIYO_SCREENSHOTS"):
        page.screenshot(
            path=os.path.join(os.environ["SEIYO_SCREENSHOTS"], "initiatives.png"), full_page=True
        )

    page.get_by_role("link", name="DX人材（AnotherWorks）").first.click()
    page.wait_for_url("**/schedule/initiatives/*/")
    rows = page.locator("#milestones tbody tr").all_inner_texts()
    assert rows[0].split("\t") == ["令和3年11月", "連携協定", "完了"]
    assert rows[-1].split("\t") == [
        "1〜2年",
        "課題の洗い出し・すり合わせ・ロードマップ作成",
        "期限超過",
    ]
