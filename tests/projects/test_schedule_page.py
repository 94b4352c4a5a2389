"""The schedule page, its filters and sorting, as a viewer uses them (exports: test_schedule_export)."""

import re

import pytest

from projects.models import BudgetLine, Category, ScheduleItem, Status


def rows_of(html: str) -> list[str]:
    """The item names of the table body, in order."""
    body = html.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<th scope="row" ><a href="[^"]+">([^<]+)</a></th>', body)


def footer_total(html: str) -> str:
    return re.search(r'<td class="num total">([^<]*)</td>', html).group(1)


def test_schedule_is_grouped_by_category_like_the_printed_table(viewer_client, source_data):
    html = viewer_client.get("/schedule/").content.decode()
    spans = re.findall(r'<th scope="rowgroup" class="group" rowspan="(\d)">([^<]+)</th>', html)
    assert spans == [
        ("3", "窓口フロントスタッフ"),
        ("3", "教育ICT"),
        ("3", "職員の生産性向上"),
        ("4", "業務継続"),
    ]
    assert len(rows_of(html)) == 13
    assert footer_total(html) == "187,197"
    # Amounts with separators, two lines for テレワーク環境, inclusion, and the papers' "-"
    # printed 「－」 as every page prints a missing value.
    assert '<span class="line">3,802</span><span class="line">42,004</span>' in html
    assert "オンライン窓口を含む" in html and "レイアウト変更を含む" in html
    assert '<span class="line">－</span>' in html and '<span class="line">-</span>' not in html
    for header in ("令和3年度", "令和4年度", "令和5年度", "懸案など"):
        assert header in html


@pytest.mark.parametrize(
    ("query", "names", "total"),
    [
        (
            "status={done}",
            [
                "オンライン窓口",
                "遠隔学習・講座",
                "浸透プログラム",
                "通信環境整備",
                "テレワーク環境",
            ],
            "92,321",
        ),
        (
            "category={front}",
            ["申請書統合デジタル化（総合窓口）", "キャッシュレス", "オンライン窓口"],
            "51,015",
        ),
        (
            "year={r5}",
            [
                "申請書統合デジタル化（総合窓口）",
                "キャッシュレス",
                "オンライン窓口",
                "連絡のデジタル化",
            ],
            "53,055",
        ),
        ("q=QR", ["キャッシュレス"], "8,800"),
        ("q=リテラシー", ["オンライン窓口", "遠隔学習・講座", "浸透プログラム"], "32,215"),
    ],
)
def test_filters_narrow_the_rows_and_the_total(viewer_client, source_data, query, names, total):
    ids = {
        "done": Status.objects.get(name="完了").pk,
        "front": Category.objects.get(name="窓口フロントスタッフ").pk,
        "r5": 3,
    }
    html = viewer_client.get("/schedule/?" + query.format(**ids)).content.decode()
    assert rows_of(html) == names
    assert footer_total(html) == total


def test_sorting_by_budget_orders_rows_and_drops_the_grouping(viewer_client, source_data):
    html = viewer_client.get("/schedule/?sort=-budget").content.decode()
    assert rows_of(html)[:3] == ["レイアウト変更", "テレワーク環境", "オンライン窓口"]
    assert 'scope="rowgroup"' not in html
    assert footer_total(html) == "187,197"


def test_item_page_shows_everything_about_the_item(viewer_client, source_data):
    item = ScheduleItem.objects.get(name="テレワーク環境")
    html = viewer_client.get(f"/schedule/items/{item.pk}/").content.decode()
    for text in (
        "業務継続",
        "完了",
        "3,802",
        "42,004",
        "45,806",
        "システム構築",
        "運用",
        "テレワークの運用ルール",
        "更新の際の経費",
        "変更履歴",
        "2022.3.14 行政経営戦略会議資料",
    ):
        assert text in html
    assert "管理画面で編集" not in html


def test_user_text_is_escaped_on_the_pages(viewer_client, source_data):
    item = ScheduleItem.objects.get(name="書類整理")
    item.name = "<script>alert(1)</script>"
    item.save()
    for url in ("/schedule/", f"/schedule/items/{item.pk}/"):
        html = viewer_client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def _add_items(count: int) -> None:
    category = Category.objects.first()
    status = Status.objects.first()
    items = ScheduleItem.objects.bulk_create(
        ScheduleItem(category=category, status=status, name=f"追加項目{n}", order=100 + n)
        for n in range(count)
    )
    BudgetLine.objects.bulk_create(BudgetLine(item=item, amount=1) for item in items)


def test_schedule_query_count_does_not_grow_with_the_items(
    viewer_client, source_data, django_assert_max_num_queries
):
    with django_assert_max_num_queries(16) as small:
        viewer_client.get("/schedule/")
    _add_items(13 * 99)  # 100x the printed schedule
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = viewer_client.get("/schedule/")
    assert footer_total(response.content.decode()) == "188,484"


def test_the_total_is_a_figure_with_its_definition(viewer_client, source_data):
    html = viewer_client.get("/schedule/").content.decode()
    block = html.split('id="figure-schedule.budget_total"', 1)[1].split("</details>", 1)[0]
    assert "予算額 計" in block and "187,197" in block and "千円" in block
    assert "全体のスケジュールの各項目の予算額" in block and "データから集計" in block
    filtered = viewer_client.get("/schedule/?q=QR").content.decode()
    assert "予算額 計（絞り込み後）" in filtered and "絞り込み条件に合う項目だけ" in filtered


def test_the_round_trip_download_is_always_the_whole_schedule(viewer_client, source_data):
    html = viewer_client.get("/schedule/?category=1").content.decode()
    assert '<a href="?export=xlsx">Excel（.xlsx）</a>' in html
    assert "?category=1&amp;export=xlsx" in html and "ファイルにない項目は削除" in html
    assert "絞り込み後" not in viewer_client.get("/schedule/").content.decode()


def test_an_items_budget_lines_are_one_per_line_then_the_total(viewer_client, source_data):
    """テレワーク環境 carries two amounts (3,802 and 42,004): never run together as
    「3,80242,004」, in the text a screen reader or a copy reads as well as on screen."""
    from projects.models import ScheduleItem

    item = ScheduleItem.objects.get(name="テレワーク環境")
    html = viewer_client.get(f"/schedule/items/{item.pk}/").content.decode()
    block = html.split('<dd class="budget-lines">', 1)[1].split("</dd>", 1)[0]
    lines = [line.strip() for line in re.sub(r"<[^>]+>", "\n", block).splitlines()]
    assert [line for line in lines if line] == ["3,802", "42,004", "計 45,806"]
    assert block.count('<span class="line') == 3  # each its own block on screen
    # The text without its tags (what textContent gives) keeps the amounts apart.
    assert re.search(r"3,802\s+42,004\s+計 45,806", re.sub(r"<[^>]+>", "", block))
