"""The 座席計画 page: laid out like the printed table, filters, downloads, chart, access."""

import csv
import io
import json
import re

import openpyxl
import pytest

URL = "/layout/"


def table_html(html: str) -> str:
    return html.split('id="layout-table"', 1)[1].split("</table>", 1)[0]


def row_cells(html: str, css_class: str) -> list[list[str]]:
    """The cells of the table rows of a class, as text."""
    found = []
    for row in re.findall(rf'<tr class="{css_class}[^"]*"[^>]*>(.*?)</tr>', table_html(html), re.S):
        cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        found.append([re.sub(r"<[^>]+>", "", c).strip() for c in cells])
    return found


@pytest.fixture
def html(viewer_client, source_data):
    response = viewer_client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def test_header_as_printed(html):
    header = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', table_html(html))
    assert header == [
        "階数", "フロア", "現職員数", "現会計年度", "R5職員数", "R5会計年度",
        "確保席数", "必要数", "過不足", "確認",
    ]  # fmt: skip


def test_rows_floor_subtotals_and_building_totals_in_printed_order(html):
    rows = row_cells(html, "plan-row")
    assert rows[0][:9] == [
        "1階", "市民、人権啓発、税務、会計 (管理者込み)", "44", "7", "52", "6", "52", "59", "△7",
    ]  # fmt: skip
    assert [r[8] for r in rows] == ["△7", "1", "1", "3", "1", "8", "△6", "5", "1", "10"]
    subtotals = row_cells(html, "subtotal")
    assert [(s[0], s[6], s[7], s[8]) for s in subtotals] == [
        ("1階", "100", "106", "△6"), ("2階", "96", "92", "4"), ("3階", "82", "73", "9"),
        ("4階", "53", "59", "△6"), ("5階", "12", "7", "5"), ("教保 3階", "40", "29", "11"),
    ]  # fmt: skip
    assert "席が足りません（△6）" in subtotals[0][9] and "席が足りません（△6）" in subtotals[3][9]
    assert not subtotals[1][9]
    buildings = row_cells(html, "building-total")
    assert [(b[0], b[6], b[7], b[8]) for b in buildings] == [
        ("本庁", "343", "337", "6"),
        ("教保", "40", "29", "11"),
    ]
    order = re.findall(r'<tr class="(plan-row|subtotal|building-total)', table_html(html))
    p, s, b = "plan-row", "subtotal", "building-total"
    assert order == [p, p, s, p, p, s, p, p, s, p, s, p, s, b, p, p, s, b]
    assert 'class="grand-total"' in html and ">383<" in html and ">366<" in html


def test_the_two_flagged_rows_and_no_others(html):
    flagged = row_cells(html, "plan-row flagged")
    assert [(r[1], r[9].split("\n")[0]) for r in flagged] == [
        ("総務、財政、まち、政策", "印刷値△7は計算値△6と違います"),
        ("教育総務、学校教育", "印刷値2は計算値1と違います"),
    ]
    assert html.count("と違います</strong>") == 2


def test_filters(viewer_client, source_data):
    html = viewer_client.get(URL, {"rows": "short"}).content.decode()
    assert [r[1] for r in row_cells(html, "plan-row")] == [
        "市民、人権啓発、税務、会計 (管理者込み)", "総務、財政、まち、政策",
    ]  # fmt: skip
    html = viewer_client.get(URL, {"q": "情報"}).content.decode()
    assert [r[1] for r in row_cells(html, "plan-row")] == ["情報推進"]
    html = viewer_client.get(URL, {"building": "2"}).content.decode()
    assert [r[0] for r in row_cells(html, "building-total")] == ["教保"]
    bad = viewer_client.get(URL, {"fiscal_year": "1999"})
    assert bad.status_code == 200 and "絞り込みの条件が正しくありません" in bad.content.decode()


def test_chart_has_the_same_figures_as_its_table(html):
    data = re.search(
        r'<script id="chart-layout-floors-data" type="application/json">(.*?)</script>', html
    ).group(1)
    secured, needed = json.loads(data)["data"]
    assert secured["y"] == ["1階", "2階", "3階", "4階", "5階", "教保 3階"]
    assert secured["x"] == [100, 96, 82, 53, 12, 40]
    assert needed["x"] == [106, 92, 73, 59, 7, 29]
    table = html.split('class="chart-table" open', 1)[1].split("</table>", 1)[0]
    assert (
        '<th scope="row">1階</th><td class="num">100</td><td class="num">106</td><td class="num">△6</td>'
        in table
    )
    assert "<script>" not in html.split("</head>", 1)[1]


def test_csv_download_in_the_citys_layout(viewer_client, source_data):
    response = viewer_client.get(URL, {"export": "csv"})
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    # The printed columns, the plan's year named as data name years (the paper: R5職員数).
    assert rows[0][:9] == [
        "階数", "フロア", "現職員数", "現会計年度",
        "2023年度（令和5年度）職員数", "2023年度（令和5年度）会計年度",
        "確保席数", "必要数", "過不足",
    ]  # fmt: skip
    assert rows[7][:11] == [
        "4階",
        "総務、財政、まち、政策",
        "36",
        "0",
        "59",
        "1",
        "53",
        "59",
        "-7",
        "-6",
        "-1",
    ]
    assert len(rows) == 11


def test_xlsx_download_read_back_cell_by_cell(viewer_client, source_data):
    response = viewer_client.get(URL, {"export": "xlsx", "rows": "flagged"})
    assert "attachment" in response["Content-Disposition"]
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert ws.title == "座席計画(データ)"
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[1] == ["4階", "総務、財政、まち、政策", 36, 0, 59, 1, 53, 59, -7, -6, -1]
    assert values[2] == ["教保 3階", "教育総務、学校教育", 16, 1, 16, 1, 20, 19, 2, 1, 2]
    assert len(values) == 3
    assert ws["I2"].number_format == '#,##0;"△"#,##0;0'


def test_login_and_permission_required(client, source_data, django_user_model):
    assert client.get(URL).status_code == 302
    user = django_user_model.objects.create_user("nobody", password="x")
    client.force_login(user)
    assert client.get(URL).status_code == 403


def test_user_text_is_escaped(viewer_client, source_data):
    from layout.models import Section

    Section.objects.filter(name="情報推進").update(name="<script>alert(1)</script>")
    html = viewer_client.get(URL).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_navigation_has_the_page(html):
    assert '<a href="/layout/" aria-current="page">座席計画</a>' in html
