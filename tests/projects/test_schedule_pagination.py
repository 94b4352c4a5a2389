"""The list pages at many times the printed data: paginated, grouped per page, totals over all."""

import importlib.util
import re
from pathlib import Path

import pytest
from django.db.models import Sum

from projects.models import BudgetLine, Category, Initiative, ScheduleItem, Status
from projects.tables import MAX_PER_PAGE, PER_PAGE

from .test_schedule_page import footer_total, rows_of

GENERATE = Path(__file__).resolve().parents[2] / "benchmarks" / "generate.py"


def multiply_schedule(scale: int) -> int:
    """The benchmarks' generator: the printed schedule times ``scale``, with plans and history."""
    spec = importlib.util.spec_from_file_location("benchmarks_generate", GENERATE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.multiply_schedule(scale)


def printed_order(**filters) -> list[str]:
    return list(
        ScheduleItem.objects.filter(**filters)
        .order_by("category__order", "order", "pk")
        .values_list("name", flat=True)
    )


def total_of(**filters) -> str:
    total = BudgetLine.objects.filter(item__in=ScheduleItem.objects.filter(**filters)).aggregate(
        total=Sum("amount")
    )["total"]
    return f"{total:,}"


def spans_of(html: str) -> list[tuple[int, str]]:
    found = re.findall(r'<th scope="rowgroup" class="group" rowspan="(\d+)">([^<]+)</th>', html)
    return [(int(span), name) for span, name in found]


def pager_count(html: str) -> str:
    return re.search(r'<p class="pager-count">([^<]*)</p>', html).group(1)


def page_links(html: str) -> list[str]:
    pager = html.split('<nav class="pager"', 1)[1].split("</nav>", 1)[0]
    return [link.replace("&amp;", "&") for link in re.findall(r'href="\?([^"]*)"', pager)]


def to_page(links: list[str], number: int) -> list[str]:
    return [link for link in links if re.search(rf"(^|&)page={number}(&|$)", link)]


@pytest.fixture
def hundredfold(source_data):
    assert multiply_schedule(100) == 1300


def test_the_printed_schedule_fits_on_one_page(viewer_client, source_data):
    html = viewer_client.get("/schedule/").content.decode()
    assert len(rows_of(html)) == 13
    assert pager_count(html) == "全13件中 1–13件"
    assert 'class="pages"' not in html and "次へ" not in html  # one page: no page links
    assert 'class="per-page"' not in html


def test_a_large_schedule_shows_one_page_with_a_pager(viewer_client, hundredfold):
    html = viewer_client.get("/schedule/").content.decode()
    assert rows_of(html) == printed_order()[:PER_PAGE]
    assert pager_count(html) == "全1,300件中 1–50件"
    assert "1,300項目" in html
    assert '<span class="disabled">前へ</span>' in html
    links = page_links(html)
    assert links.count("page=2") == 2  # the page 2 link and 次へ
    assert to_page(links, 26) == ["page=26"]  # the last page
    assert "per_page=200" in links
    # Every category cell spans rows of this page only, covering all of them.
    assert sum(span for span, _ in spans_of(html)) == PER_PAGE


def test_the_total_on_a_later_page_is_over_all_filtered_items(viewer_client, hundredfold):
    category = Category.objects.get(name="業務継続")
    html = viewer_client.get(f"/schedule/?category={category.pk}&page=3").content.decode()
    assert rows_of(html) == printed_order(category=category)[100:150]
    assert footer_total(html) == total_of(category=category)
    assert "予算額 計（絞り込み後）" in html
    unfiltered = viewer_client.get("/schedule/?page=7").content.decode()
    assert footer_total(unfiltered) == total_of()


def test_sort_filter_and_page_combine_and_the_pager_keeps_them(viewer_client, hundredfold):
    done = Status.objects.get(name="完了")
    query = f"status={done.pk}&sort=-budget&per_page=20"
    everything = []
    page = 1
    while True:
        html = viewer_client.get(f"/schedule/?{query}&page={page}").content.decode()
        rows = rows_of(html)
        assert 0 < len(rows) <= 20
        assert 'scope="rowgroup"' not in html  # sorted by amount: no grouping
        assert footer_total(html) == total_of(status=done)
        everything += rows
        following = to_page(page_links(html), page + 1)
        if not following:
            break
        assert all(f"status={done.pk}" in link and "sort=-budget" in link for link in following)
        assert all("per_page=20" in link for link in following)
        page += 1
    # The pages together are every filtered item once, by amount (none last, ties printed order).
    items = ScheduleItem.objects.filter(status=done).annotate(total=Sum("budget_lines__amount"))
    expected = sorted(
        items.values_list("total", "category__order", "order", "pk", "name"),
        key=lambda r: (r[0] is None, -(r[0] or 0), r[1], r[2], r[3]),
    )
    assert everything == [row[-1] for row in expected]


def test_a_category_going_on_to_the_next_page_starts_it_again(viewer_client, hundredfold):
    names = printed_order()
    first_category = ScheduleItem.objects.get(name=names[0]).category.name
    in_first = ScheduleItem.objects.filter(category__name=first_category).count()
    page_one = viewer_client.get("/schedule/").content.decode()
    page_two = viewer_client.get("/schedule/?page=2").content.decode()
    assert spans_of(page_one)[0] == (min(in_first, PER_PAGE), first_category)
    if in_first > PER_PAGE:
        assert spans_of(page_two)[0] == (min(in_first - PER_PAGE, PER_PAGE), first_category)
    assert rows_of(page_two) == names[PER_PAGE : 2 * PER_PAGE]


def test_sorting_again_goes_back_to_the_first_page(viewer_client, hundredfold):
    html = viewer_client.get("/schedule/?page=4&q=QR").content.decode()
    head = html.split("<thead", 1)[1].split("</thead>", 1)[0]
    sort_links = re.findall(r'href="\?([^"]*)"', head)
    assert sort_links and all("page=" not in link and "q=QR" in link for link in sort_links)


@pytest.mark.parametrize(
    ("query", "rows", "first"),
    [
        ("page=999", 1300 - 25 * PER_PAGE, 25 * PER_PAGE),  # past the end: the last page
        ("page=abc", PER_PAGE, 0),  # junk: the first page
        ("page=-2", PER_PAGE, 0),
        ("page=", PER_PAGE, 0),
        ("per_page=20&page=2", 20, 20),
        ("per_page=100000", MAX_PER_PAGE, 0),  # bounded
        ("per_page=0", PER_PAGE, 0),
        ("per_page=x", PER_PAGE, 0),
        ("sort=junk&page=2", PER_PAGE, PER_PAGE),  # an unknown column: the printed order
        ("sort=plan_2021&page=2", PER_PAGE, PER_PAGE),  # not sortable: likewise
    ],
)
def test_odd_page_parameters_give_a_sensible_page(viewer_client, hundredfold, query, rows, first):
    response = viewer_client.get(f"/schedule/?{query}")
    assert response.status_code == 200
    assert rows_of(response.content.decode()) == printed_order()[first : first + rows]


def test_exports_ignore_the_page(viewer_client, hundredfold):
    html = viewer_client.get("/schedule/?q=QR&page=2&per_page=20").content.decode()
    assert "?q=QR&amp;export=csv" in html
    response = viewer_client.get("/schedule/?q=QR&page=2&per_page=20&export=csv")
    assert response.getvalue().decode("utf-8-sig").count("キャッシュレス") == 100


def test_an_empty_result_has_no_pager(viewer_client, hundredfold):
    html = viewer_client.get("/schedule/?q=存在しない語").content.decode()
    assert "条件に合う項目はありません。" in html
    assert 'class="pager"' not in html
    assert footer_total(html) == "0"


def test_schedule_and_item_page_queries_do_not_grow_with_the_data(
    viewer_client, source_data, django_assert_num_queries
):
    item = ScheduleItem.objects.get(name="テレワーク環境")
    urls = [
        "/schedule/",
        "/schedule/?page=2&sort=status",
        "/schedule/?q=リテラシー&sort=-budget",
        f"/schedule/items/{item.pk}/",
    ]
    counts = {}
    for url in urls:
        with django_assert_num_queries(counts.get(url, 20), exact=False) as small:
            viewer_client.get(url)
        counts[url] = len(small.captured_queries)
    multiply_schedule(100)
    for url in urls:
        with django_assert_num_queries(counts[url]):
            response = viewer_client.get(url)
        assert response.status_code == 200
        assert len(rows_of(response.content.decode())) <= PER_PAGE


def test_plan_cells_are_in_their_years_on_a_later_page(viewer_client, hundredfold):
    html = viewer_client.get("/schedule/?q=テレワーク環境&per_page=10&page=3").content.decode()
    row = html.split("テレワーク環境（複製", 1)[1].split("</tr>", 1)[0]
    cells = re.findall(r"<td [^>]*>(.*?)</td>", row, re.S)
    plans = [re.findall(r"<li>([^<]+)</li>", cell) for cell in cells[2:5]]
    item = ScheduleItem.objects.filter(name__startswith="テレワーク環境（複製").order_by("pk")
    item = item.prefetch_related("plans__year")[20]  # the first row of page 3 (same category)
    by_year = {plan.year.start_year: plan.lines for plan in item.plans.all()}
    assert plans == [by_year.get(year, []) for year in (2021, 2022, 2023)]


def test_item_page_lists_the_newest_changes_and_says_there_are_more(editor_client, source_data):
    item = ScheduleItem.objects.get(name="テレワーク環境")
    for n in range(60):
        item.name = f"テレワーク環境{n:02}"
        item.save()
    html = editor_client.get(f"/schedule/items/{item.pk}/").content.decode()
    table = html.split('class="data changes"', 1)[1].split("</table>", 1)[0]
    assert table.count("<tr>") - 1 == 50  # header row + the newest 50
    assert "テレワーク環境59" in table and "テレワーク環境00 → テレワーク環境01" not in table
    assert "新しい50件を表示しています。これより前の変更もあります。" in html
    # The oldest change shown still has its "before", read from a record older than those shown.
    assert "テレワーク環境09 → テレワーク環境10" in table
    assert f"/admin/projects/scheduleitem/{item.pk}/history/" in html


def test_item_page_with_a_short_history_lists_it_all(viewer_client, source_data):
    item = ScheduleItem.objects.get(name="テレワーク環境")
    html = viewer_client.get(f"/schedule/items/{item.pk}/").content.decode()
    assert "新しい50件" not in html and "変更履歴" in html


def test_initiatives_are_paginated_too(viewer_client, source_data):
    Initiative.objects.bulk_create(
        Initiative(name=f"取組{n:03}", theme="追加", order=100 + n) for n in range(120)
    )
    html = viewer_client.get("/schedule/initiatives/?theme=追加&page=3").content.decode()
    table = html.split('id="initiative-table"', 1)[1].split("</table>", 1)[0]
    names = re.findall(r'<a href="/schedule/initiatives/\d+/">([^<]+)</a>', table)
    assert names == [f"取組{n:03}" for n in range(100, 120)]
    assert pager_count(html) == "全120件中 101–120件"
    assert '<span class="disabled">次へ</span>' in html
    assert to_page(page_links(html), 2) and all("theme=" in x for x in to_page(page_links(html), 2))


def test_filtering_again_keeps_the_sort_and_page_size_but_starts_at_page_one(viewer_client):
    html = viewer_client.get("/schedule/?sort=-budget&per_page=100&page=3&q=QR").content.decode()
    form = html.split('<form method="get" class="filters"', 1)[1].split("</form>", 1)[0]
    assert '<input type="hidden" name="sort" value="-budget">' in form
    assert '<input type="hidden" name="per_page" value="100">' in form
    assert 'name="page"' not in form
    plain = viewer_client.get("/schedule/initiatives/").content.decode()
    assert 'type="hidden"' not in plain.split('class="filters"', 1)[1].split("</form>", 1)[0]


def test_an_item_pages_log_reads_as_much_after_years_of_edits(
    viewer_client, source_data, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    item = ScheduleItem.objects.get(name="テレワーク環境")
    url = f"/schedule/items/{item.pk}/"
    line = item.budget_lines.first()

    def edit(times: int) -> None:
        for n in range(times):
            item.name = f"テレワーク環境{n:03}"
            item.save()
            line.amount += 1
            line.save()

    edit(100)  # past the 50 shown: the older records are no longer read
    viewer_client.get(url)
    with CaptureQueriesContext(connection) as hundred:
        viewer_client.get(url)
    edit(500)
    with django_assert_num_queries(len(hundred.captured_queries)):
        html = viewer_client.get(url).content.decode()
    assert "テレワーク環境498 → テレワーク環境499" in html
