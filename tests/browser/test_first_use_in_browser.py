"""The first hour, as a viewer: every page walked by its links; the dashboard's one form; print.

Every page the viewer can reach from the dashboard has exactly one current entry in the main
menu, no 「不明」 as a value or a choice (a yes/no filter offers すべて / はい / いいえ), prints a
missing value as 「－」 (never "-" or "—"), and a page of one thing names it in its breadcrumbs.
"""

import re
from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MENU = "nav[aria-label='メインメニュー']"
NOT_EMPTY_MARKS = {"-", "—", "―", "‐", "−"}  # a missing value prints 「－」 on every page


def walk(page, base: str) -> list[str]:
    """Every same-site page linked from the dashboard, followed breadth-first (no queries,
    no downloads, nothing under /admin/ or /accounts/)."""
    todo, seen, pages = ["/"], set(), []
    while todo:
        path = todo.pop(0)
        if path in seen:
            continue
        seen.add(path)
        if "html" not in page.request.get(base + path).headers.get("content-type", ""):
            continue  # a download (.xlsx, .csv)
        page.goto(base + path)
        pages.append(path)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            parts = urlsplit(href)
            if (
                f"{parts.scheme}://{parts.netloc}" == base
                and not parts.query
                and not parts.path.startswith(("/admin/", "/accounts/", "/static/"))
            ):
                todo.append(parts.path)
    return pages


def test_every_page_has_one_current_menu_entry_no_unknown_and_one_empty_mark(
    live_server, page, login, source_data, viewer
):
    login("suzuki", "pw-viewer-1")
    pages = walk(page, live_server.url)
    # The menu's sections, the meetings, the schedule's items and the initiatives: all reached.
    for path in ("/", "/schedule/", "/schedule/initiatives/", "/meetings/", "/pbx/", "/layout/"):
        assert path in pages
    assert len([p for p in pages if re.fullmatch(r"/schedule/items/\d+/", p)]) == 13
    assert [p for p in pages if re.fullmatch(r"/schedule/initiatives/\d+/", p)]
    assert [p for p in pages if re.fullmatch(r"/meetings/\d+/", p)]

    for path in pages:
        page.goto(live_server.url + path)
        current = page.locator(f"{MENU} [aria-current=page]").all_inner_texts()
        assert len(current) == 1, (path, current)
        # 「不明」 as a value or a choice (the papers' own sentences may say 不明: they are quoted).
        options = page.locator("option").all_inner_texts()
        assert not [o for o in options if "不明" in o], (path, options)
        values = page.locator("td, th, dd, li, .figure-value, table.data span.line")
        texts = [t.strip() for t in values.all_inner_texts()]
        assert "不明" not in texts, path
        assert not [t for t in texts if t in NOT_EMPTY_MARKS], path

    # Where a page is one thing, the breadcrumbs end with its name, and the menu marks its section.
    for path, section in (
        ("/schedule/items/", "全体のスケジュール"),
        ("/schedule/initiatives/", "その他の取組"),
        ("/meetings/", "会議"),
    ):
        detail = next(p for p in pages if p.startswith(path) and p != path)
        page.goto(live_server.url + detail)
        crumb = page.locator("nav.breadcrumb [aria-current=page]").inner_text()
        assert page.get_by_role("heading", level=1).inner_text() in crumb, detail
        assert page.locator(f"{MENU} [aria-current=page]").inner_text() == section

    # The yes/no filter: すべて / はい / いいえ.
    page.goto(f"{live_server.url}/schedule/initiatives/")
    select = page.get_by_label("未完了のマイルストーンあり")
    assert select.locator("option").all_inner_texts() == ["すべて", "はい", "いいえ"]


def test_sortable_columns_show_their_order_and_the_status_never_wraps(
    live_server, page, login, source_data, viewer
):
    login("suzuki", "pw-viewer-1")
    page.goto(f"{live_server.url}/schedule/?sort=-budget")
    budget = page.locator("#schedule-table thead th", has_text="予算額")
    assert budget.get_attribute("aria-sort") == "descending"
    mark = "el => getComputedStyle(el.querySelector('a'), '::after').content"
    assert budget.evaluate(mark) == '"▼"'
    status = page.locator("#schedule-table thead th", has_text="状況")
    assert status.get_attribute("aria-sort") is None and status.evaluate(mark) == '"⇅"'
    status.get_by_role("link").click()
    page.wait_for_url("**sort=status*")
    assert status.get_attribute("aria-sort") == "ascending" and status.evaluate(mark) == '"▲"'
    # 完了予定 and R4にかけて on one line: their text makes one line box, however narrow the column.
    page.set_viewport_size({"width": 800, "height": 900})
    for word in ("完了予定", "R4にかけて"):
        cell = page.locator("#schedule-table td.status", has_text=word).first
        lines = cell.evaluate(
            "el => { const r = document.createRange(); r.selectNodeContents(el);"
            " return r.getClientRects().length; }"
        )
        assert lines == 1, word


def test_the_dashboard_has_one_form_shows_the_era_and_prints_without_controls(
    live_server, page, login, source_data, viewer, tmp_path
):
    login("suzuki", "pw-viewer-1")
    head = page.locator(".dashboard-head")
    assert head.locator("form").count() == 1
    assert head.locator("form button").count() == 1
    form = head.locator("form.as-of")

    # The date picker shows the era date beside it, and follows the date typed.
    era = form.locator("output")
    page.get_by_label("時点", exact=True).fill("2022-03-14")
    assert era.inner_text() == "令和4年3月14日"
    page.get_by_label("時点", exact=True).fill("2019-05-01")
    assert era.inner_text() == "令和元年5月1日"

    # The meeting list is never cut off: its box is as wide as the meeting's whole name.
    meetings = page.get_by_label("会議の日付", exact=True)
    meetings.select_option(label="令和4年11月1日 新しい生活様式に対応した推進等 DX の推進")
    assert page.get_by_label("時点", exact=True).input_value() == "2022-11-01"
    assert era.inner_text() == "令和4年11月1日"
    fits = meetings.evaluate(
        """select => {
            const probe = document.createElement("span");
            probe.style.font = getComputedStyle(select).font;
            probe.style.whiteSpace = "pre";
            probe.textContent = select.options[select.selectedIndex].text;
            document.body.appendChild(probe);
            const needed = probe.getBoundingClientRect().width;
            probe.remove();
            return select.clientWidth >= needed;
        }"""
    )
    assert fits
    form.get_by_role("button").click()
    page.wait_for_url("**pick=2022-11-01*")
    assert page.get_by_role("heading", level=1).inner_text() == "令和4年11月1日時点の状況"

    # A date typed after a meeting was chosen wins (the one field the user changed).
    page.get_by_label("時点", exact=True).fill("2022-03-14")
    assert meetings.input_value() == "2022-03-14"  # the 3-14 meeting: the list follows
    page.get_by_label("時点", exact=True).fill("2022-06-30")
    assert meetings.input_value() == ""
    form.get_by_role("button").click()
    page.wait_for_url("**as_of=2022-06-30*")
    assert page.get_by_role("heading", level=1).inner_text() == "令和4年6月30日時点の状況"
    # The Excel of a plain date is not called a meeting's papers.
    download = page.locator("#workbook-download")
    assert download.inner_text() == "Excel（令和4年6月30日時点の状況）をダウンロード"

    # Printed on A4: no header, menu, form, download button; the panels are there.
    page.emulate_media(media="print")
    for hidden in (".site-header", MENU, "form.as-of", "#workbook-download", ".site-footer"):
        assert not page.locator(hidden).is_visible(), hidden
    assert page.locator("#panel-schedule").is_visible()
    pdf = tmp_path / "dashboard.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf.read_bytes())
    assert boxes and {(round(float(w)), round(float(h))) for w, h in boxes} == {(595, 842)}
