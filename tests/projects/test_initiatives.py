"""The programme's other threads (source-notes §7): listed, filtered, each with its page."""

import re

from projects.models import Initiative, Milestone, ProgressNote, Specialist


def names(html: str) -> list[str]:
    table = html.split('id="initiative-table"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<a href="/schedule/initiatives/\d+/">([^<]+)</a>', table)


def test_the_papers_other_threads_are_listed(viewer_client, source_data):
    html = viewer_client.get("/schedule/initiatives/").content.decode()
    assert names(html) == [
        "DX人材（AnotherWorks）",
        "DX人材（NTTドコモ）",
        "DX人材（西予市）",
        "ホームページの見直し",
        "高度デジタル人材シェアリング事業",
        "デジタルデバイド対策",
    ]
    # The next open milestone, in the month the papers give (R04.03), late as of today.
    assert "令和4年3月　仕様検討・策定" in html


def test_initiatives_filter_by_theme_text_and_open_milestones(viewer_client, source_data):
    assert names(viewer_client.get("/schedule/initiatives/?theme=DX人材").content.decode()) == [
        "DX人材（AnotherWorks）",
        "DX人材（NTTドコモ）",
        "DX人材（西予市）",
    ]
    assert names(viewer_client.get("/schedule/initiatives/?q=LINE").content.decode()) == [
        "ホームページの見直し"
    ]
    without_open = viewer_client.get(
        "/schedule/initiatives/?open_milestones=false"
    ).content.decode()
    assert names(without_open) == ["高度デジタル人材シェアリング事業"]


def test_initiative_page_shows_milestones_notes_and_history(viewer_client, source_data):
    initiative = Initiative.objects.get(name="デジタルデバイド対策")
    html = viewer_client.get(f"/schedule/initiatives/{initiative.pk}/").content.decode()
    assert "10/24時点で5か所実施済み" in html
    assert "令和4年11月〜12月" in html  # the prefectural classes, November to December
    assert "変更履歴" in html and "2022.11.1 会議資料" in html


def test_initiative_list_query_count_is_constant(
    viewer_client, source_data, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12) as small:
        viewer_client.get("/schedule/initiatives/")
    for n in range(50):
        initiative = Initiative.objects.create(name=f"取組{n}", theme="追加", order=100 + n)
        Milestone.objects.create(initiative=initiative, starts_on="2023-01-01", title="開始")
        Specialist.objects.create(initiative=initiative, field="分野", name="氏名")
        ProgressNote.objects.create(initiative=initiative, noted_on="2022-12-01", text="メモ")
    with django_assert_max_num_queries(len(small.captured_queries)):
        viewer_client.get("/schedule/initiatives/")


def test_a_yes_no_filter_offers_yes_no_and_all_never_unknown(viewer_client, source_data):
    html = viewer_client.get("/schedule/initiatives/").content.decode()
    select = html.split('name="open_milestones"', 1)[1].split("</select>", 1)[0]
    assert [label for label in ("すべて", "はい", "いいえ") if label in select] == [
        "すべて", "はい", "いいえ",
    ]  # fmt: skip
    assert "不明" not in select
