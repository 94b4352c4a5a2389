"""A viewer logs in, opens the schedule, reads the grouped table and total, and filters it."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_viewer_reads_and_filters_the_schedule(live_server, page, login, source_data, viewer):
    page.goto(f"{live_server.url}/schedule/")
    assert "/accounts/login/" in page.url  # anonymous users meet the login page first
    login("suzuki", "pw-viewer-1")

    page.get_by_role("link", name="全体のスケジュール").first.click()
    table = page.locator("#schedule-table")
    assert table.locator("th[scope=rowgroup]").all_inner_texts() == [
        "窓口フロントスタッフ",
        "教育ICT",
        "職員の生産性向上",
        "業務継続",
    ]
    assert table.locator("tbody tr").count() == 13
    assert table.locator("tfoot td.total").inner_text() == "187,197"

    page.get_by_label("区分").select_option(label="業務継続")
    page.get_by_role("button", name="絞り込む").click()
    page.wait_for_url("**category=*")
    assert table.locator("tbody tr").count() == 4
    assert table.locator("tfoot td.total").inner_text() == "76,606"

    page.get_by_label("キーワード").fill("ポータビリティ")
    page.get_by_role("button", name="絞り込む").click()
    page.wait_for_url("**q=*")
    assert table.locator("tbody th[scope=row]").all_inner_texts() == ["クラウドPBX"]
    assert table.locator("tfoot td.total").inner_text() == "16,500"
