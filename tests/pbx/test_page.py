"""The rollout page, its downloads, the dashboard panel, the workbook's sheets and the changes
since the previous meeting: the section 4 table as of 2022-10-24, a different one as of 10/10."""

import datetime as dt
import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from pbx.models import Revision, Site
from pbx.scale import add_sites

pytestmark = pytest.mark.django_db

PAPERS = "2022-10-24"


def site_rows(html):
    table = html.split('id="pbx-sites"', 1)[1].split("</table>", 1)[0]
    rows = {}
    for match in re.finditer(r'<tr data-site="([^"]+)".*?</tr>', table, re.S):
        text = re.sub(r"<details.*?</details>|<small>.*?</small>", "", match.group(0), flags=re.S)
        cells = [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", text, re.S)
        ]
        rows[match.group(1)] = cells
    return rows


def test_the_page_shows_the_section_4_table_as_of_2022_10_24(viewer_client, source_data):
    html = viewer_client.get(f"/pbx/?as_of={PAPERS}").content.decode()
    assert "クラウドPBX 施設ごとの状況（令和4年10月24日時点）" in html
    rows = site_rows(html)
    assert list(rows) == ["本庁", "明浜支所", "野村支所", "城川支所", "三瓶支所", "公民館"]
    assert rows["本庁"][1:4] == ["未定", "当初10/17 → 10/24 → 未定", "申請中"]
    assert rows["本庁"][4:6] == ["2", "未定（7日以上）"]
    assert rows["明浜支所"][1:4] == ["予定", "当初11/5", "－"]
    assert rows["野村支所"][1] == "運用中（10/24から）"
    assert rows["城川支所"][1:4] == ["未定", "当初10/29 → 未定", "申請中"]
    assert rows["三瓶支所"][2] == "当初11/12 → 未定"
    assert rows["公民館"][2] == "当初11/21 → 未定"
    # earlier dates are struck through, the current one is not
    assert "<del>10/17</del> → <del>10/24</del> → <strong>未定</strong>" in html
    assert "（記録日。資料に決定日の記載なし）" in html
    assert "全体のスケジュールの「クラウドPBX」" in html
    assert "令和3年度から事故繰越" in html
    slips = html.split('id="pbx-slips"', 1)[1].split("</table>", 1)[0]
    assert re.sub(r"\s+", "", re.sub(r"<[^>]+>", "|", slips)).count("令和4年10月||5||5") == 1


def test_the_page_as_of_2022_10_10_is_the_earlier_table(viewer_client, source_data):
    html = viewer_client.get("/pbx/?as_of=2022-10-10").content.decode()
    rows = site_rows(html)
    assert {name: cells[1:3] for name, cells in rows.items()} == {
        "本庁": ["予定", "当初10/17"],
        "明浜支所": ["予定", "当初11/5"],
        "野村支所": ["予定", "当初10/24"],
        "城川支所": ["予定", "当初10/29"],
        "三瓶支所": ["予定", "当初11/12"],
        "公民館": ["予定", "当初11/21"],
    }
    assert "この日までの予定変更はありません。" in html


def test_the_timeline_has_one_bar_per_site_and_lines_for_the_day_and_deadline(
    viewer_client, source_data
):
    html = viewer_client.get(f"/pbx/?as_of={PAPERS}").content.decode()
    data = re.search(
        r'<script id="chart-pbx-timeline-data" type="application/json">(.*?)</script>', html, re.S
    )
    figure = json.loads(data.group(1))
    bars = [trace for trace in figure["data"] if trace["type"] == "bar"]
    by_state = {trace["name"]: trace["y"] for trace in bars}
    assert by_state == {
        "運用中": ["野村支所"],
        "予定": ["明浜支所"],
        "未定": ["本庁", "城川支所", "三瓶支所", "公民館"],
    }
    assert sorted(shape["x0"][:10] for shape in figure["layout"]["shapes"]) == [
        "2022-10-24",
        "2022-12-31",
    ]
    table = html.split('class="chart-table" open', 1)[1].split("</table>", 1)[0]
    assert '<th scope="row">本庁</th><td>令和4年10月17日</td><td>未定</td>' in table
    assert not [t for t in figure["data"] if t["name"] == "履行期限の注意"]  # 68 days left
    html = viewer_client.get(f"/pbx/?as_of={PAPERS}&warn_days=90").content.decode()
    data = re.search(
        r'<script id="chart-pbx-timeline-data" type="application/json">(.*?)</script>', html, re.S
    )
    warned = [t for t in json.loads(data.group(1))["data"] if t["name"] == "履行期限の注意"]
    assert warned[0]["y"] == ["本庁", "城川支所", "三瓶支所", "公民館"]
    assert warned[0]["customdata"][0] == "未定のまま履行期限まで68日です"


def test_filters_and_the_deadline_warning(viewer_client, source_data):
    html = viewer_client.get(f"/pbx/?as_of={PAPERS}&state=undecided").content.decode()
    assert list(site_rows(html)) == ["本庁", "城川支所", "三瓶支所", "公民館"]
    html = viewer_client.get(
        f"/pbx/?as_of={PAPERS}&porting=applied&warning=on&warn_days=90"
    ).content.decode()
    rows = site_rows(html)
    assert list(rows) == ["本庁", "城川支所", "三瓶支所", "公民館"]
    assert rows["本庁"][6] == "未定のまま履行期限まで68日です"
    html = viewer_client.get(f"/pbx/?as_of={PAPERS}&warning=on").content.decode()
    assert site_rows(html) == {}  # 60 days by default: none yet


def test_bad_conditions_fall_back_without_error(viewer_client, source_data):
    for query in ("as_of=2022-13-01", "warn_days=-5", "state=<script>", "page=abc"):
        response = viewer_client.get(f"/pbx/?{query}")
        assert response.status_code == 200
        assert "<script>" not in response.content.decode().split("</head>", 1)[1].replace(
            '<script id="chart', ""
        )


def test_user_text_is_escaped_in_the_page_and_the_chart(viewer_client, source_data):
    site = Site.objects.get(pk=2)
    site.name, site.note = "<b>明浜</b>", "<script>alert(1)</script>"
    site.save()
    html = viewer_client.get("/pbx/").content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert "<b>明浜</b>" not in html
    data = re.search(
        r'<script id="chart-pbx-timeline-data" type="application/json">(.*?)</script>', html, re.S
    )
    assert "&lt;b&gt;明浜&lt;/b&gt;" in json.loads(data.group(1))["data"][1]["y"][0]


def test_the_page_needs_the_view_permission(client, source_data, django_user_model):
    assert client.get("/pbx/").status_code == 302  # login first
    user = django_user_model.objects.create_user("nobody", password="x")
    client.force_login(user)
    assert client.get("/pbx/").status_code == 403
    assert client.get("/pbx/revisions.csv").status_code == 403


def test_csv_downloads(viewer_client, source_data):
    response = viewer_client.get(f"/pbx/sites.csv?as_of={PAPERS}")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("施設,当初の運用開始予定日,現在の運用開始予定日,未定")
    assert lines[1].startswith("本庁,2022-10-17,,未定,,未定,申請中,2,2,7,2022-12-31,,2022-10-24")
    response = viewer_client.get(f"/pbx/revisions.csv?as_of={PAPERS}")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 6
    assert lines[1].startswith("本庁,2022-10-24,いいえ,2022-10-24,,,はい,")
    response = viewer_client.get("/pbx/revisions.csv?as_of=2022-10-10")
    assert len(b"".join(response.streaming_content).decode("utf-8-sig").splitlines()) == 1


def test_the_revisions_print_the_site_as_named_on_the_day(viewer_client, source_data):
    """本庁 renamed today: the revisions as of the papers' day still print 本庁 (the site as
    recorded on the day, like the site sheet), today's print the new name."""
    site = Site.objects.get(name="本庁")
    site.name = "本庁舎"
    site.save()
    response = viewer_client.get(f"/pbx/revisions.csv?as_of={PAPERS}")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    names = [line.split(",")[0] for line in lines[1:]]
    assert names == ["本庁", "本庁", "城川支所", "三瓶支所", "公民館"]
    workbook = read_workbook(viewer_client.get(f"/pbx/rollout.xlsx?as_of={PAPERS}"))
    revisions = list(workbook["クラウドPBX_予定変更(データ)"].iter_rows(values_only=True))
    assert [r[0] for r in revisions[1:3]] == ["本庁", "本庁"]
    sites = list(workbook["クラウドPBX_施設(データ)"].iter_rows(values_only=True))
    assert sites[1][0] == "本庁"
    meeting = read_workbook(viewer_client.get(f"/workbook/?as_of={PAPERS}"))
    revisions = list(meeting["クラウドPBX_予定変更(データ)"].iter_rows(values_only=True))
    assert [r[0] for r in revisions[1:3]] == ["本庁", "本庁"]
    response = viewer_client.get("/pbx/revisions.csv")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert [line.split(",")[0] for line in lines[1:3]] == ["本庁舎", "本庁舎"]


def read_workbook(response):
    return load_workbook(io.BytesIO(response.content))


def test_the_pages_workbook_form_and_data_sheets(viewer_client, source_data):
    workbook = read_workbook(viewer_client.get(f"/pbx/rollout.xlsx?as_of={PAPERS}"))
    assert workbook.sheetnames == [
        "クラウドPBX",
        "クラウドPBX_施設(データ)",
        "クラウドPBX_予定変更(データ)",
    ]
    form = workbook["クラウドPBX"]
    texts = [c.value for row in form.iter_rows() for c in row if isinstance(c.value, str)]
    assert texts[0] == "クラウドPBXについて（令和4年10月24日時点）"
    assert "○当初の計画" in texts and "○変更後の計画" in texts and "○現状" in texts
    status = texts[texts.index("○現状") + 1].splitlines()
    assert status[0] == "・本庁 当初10/17→10/24→未定（番ポ申請中）"
    assert status[1] == "・明浜支所 当初11/5 予定どおり（前倒しの可能性あり）"
    assert status[2].startswith("・野村支所 当初10/24 10/24運用開始（予定どおり）")
    assert status[3:] == [
        "・城川支所 当初10/29→未定（番ポ申請中）",
        "・三瓶支所 当初11/12→未定（番ポ申請中）",
        "・公民館 当初11/21→未定（番ポ申請中）",
    ]
    assert "10/17 → 10/24 → 未定" in texts
    sites = workbook["クラウドPBX_施設(データ)"]
    rows = list(sites.iter_rows(values_only=True))
    assert rows[0][:4] == ("施設", "当初の運用開始予定日", "現在の運用開始予定日", "未定")
    assert rows[1][0] == "本庁" and rows[1][1] == dt.datetime(2022, 10, 17) and rows[1][3] == "未定"
    assert rows[3][0] == "野村支所" and rows[3][4] == dt.datetime(2022, 10, 24)
    assert [r[8] for r in rows[1:]] == [2, 0, 0, 1, 1, 1]
    assert not sites.merged_cells.ranges
    revisions = list(workbook["クラウドPBX_予定変更(データ)"].iter_rows(values_only=True))
    assert len(revisions) == 6
    assert revisions[2][:5] == ("本庁", dt.datetime(2022, 10, 24), "いいえ", None, "未定")


def test_the_meeting_workbook_has_the_pbx_sheets(viewer_client, source_data):
    response = viewer_client.get(f"/workbook/?as_of={PAPERS}")
    workbook = read_workbook(response)
    assert {"クラウドPBX", "クラウドPBX_施設(データ)", "クラウドPBX_予定変更(データ)"} <= set(
        workbook.sheetnames
    )
    before = read_workbook(viewer_client.get("/workbook/?as_of=2022-10-10"))
    rows = list(before["クラウドPBX_施設(データ)"].iter_rows(values_only=True))
    assert [r[5] for r in rows[1:]] == ["予定"] * 6
    assert len(list(before["クラウドPBX_予定変更(データ)"].iter_rows())) == 1


def test_the_dashboard_panel(viewer_client, source_data):
    html = viewer_client.get(f"/?as_of={PAPERS}").content.decode()
    panel = html.split('id="panel-pbx"', 1)[1].split("</section>", 1)[0]
    values = dict(
        re.findall(r'id="figure-pbx\.(\w+)".*?class="figure-value"[^>]*>([^<]+)', panel, re.S)
    )
    assert values == {
        "live": "1",
        "scheduled": "1",
        "undecided": "4",
        "slips": "5",
        "longest_slip": "7",
        "days_to_deadline": "68",
    }
    assert "最長の遅れ：本庁 未定（7日以上）" in panel
    assert "履行期限 令和4年12月31日（あと68日）" in panel
    assert "<del>10/17</del> → <del>10/24</del> → 未定" in panel
    earlier = viewer_client.get("/?as_of=2022-10-10").content.decode().split('id="panel-pbx"', 1)[1]
    values = dict(
        re.findall(
            r'id="figure-pbx\.(\w+)".*?class="figure-value"[^>]*>([^<]+)',
            earlier.split("</section>")[0],
            re.S,
        )
    )
    assert values["undecided"] == "0" and values["scheduled"] == "6" and values["slips"] == "0"


def test_revisions_show_in_the_changes_since_the_previous_meeting(
    viewer_client, source_data, editor
):
    html = viewer_client.get("/?as_of=2022-11-01").content.decode()
    changes = html.split('id="changes"', 1)[1].split("</section>", 1)[0]
    # Since the 3-14 meeting: the revisions recorded for the 11-01 papers (10/24), not today's.
    assert "クラウドPBX" in changes and "前倒し" not in changes
    site = Site.objects.get(name="明浜支所")
    revision = Revision(
        site=site, decided_on=dt.date(2022, 11, 2), planned_on=dt.date(2022, 11, 3), reason="前倒し"
    )
    revision._history_user = editor
    revision.save()
    html = viewer_client.get("/").content.decode()
    changes = html.split('id="changes"', 1)[1]
    assert "クラウドPBX" in changes and "明浜支所" in changes
    assert "前倒し" in changes


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(captured)


URLS = [
    f"/pbx/?as_of={PAPERS}",
    "/pbx/",
    f"/pbx/sites.csv?as_of={PAPERS}",
    f"/pbx/revisions.csv?as_of={PAPERS}",
    f"/pbx/rollout.xlsx?as_of={PAPERS}",
]


def test_query_counts_do_not_grow_with_100_sites_of_50_revisions(viewer_client, source_data):
    small = {url: queries_for(viewer_client, url) for url in URLS}
    add_sites(100, 50)
    assert Revision.objects.count() == 5 + 5000
    large = {url: queries_for(viewer_client, url) for url in URLS}
    assert large == small
    assert small[URLS[0]] <= 12
    html = viewer_client.get("/pbx/?page=2").content.decode()
    assert len(site_rows(html)) == 50  # bounded: 50 sites a page


def test_dashboard_query_count_does_not_grow(viewer_client, source_data):
    small = queries_for(viewer_client, f"/?as_of={PAPERS}")
    add_sites(100, 50)
    assert queries_for(viewer_client, f"/?as_of={PAPERS}") == small


def form_sheet(as_of):
    """The クラウドPBX form written alone, and the queries it took."""
    from openpyxl import Workbook

    from core.history import AsOf
    from pbx.sheets import PbxFormSheet
    from reports.workbook import WorkbookContext

    workbook = Workbook()
    sheet = workbook.active
    with CaptureQueriesContext(connection) as captured:
        PbxFormSheet().write(sheet, WorkbookContext(as_of=AsOf(as_of), user=None))
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    return texts, len(captured)


def test_the_form_sheet_prints_bounded_chains_in_the_same_queries_at_100_sites_of_50(
    source_data,
):
    """The form prints every site, each chain as the papers do (first plan, how many changes
    are left out, the last three): its queries and its size do not grow with the revisions."""
    small_texts, small = form_sheet(dt.date(2022, 10, 24))
    add_sites(100, 50)
    texts, large = form_sheet(dt.date(2022, 10, 24))
    assert large == small
    status = texts[texts.index("○現状") + 1].splitlines()
    assert len(status) == 106
    assert status[:6] == small_texts[small_texts.index("○現状") + 1].splitlines()
    # 試験施設00000: 50 changes up to 2022-09-13, the last one 未定 (see pbx.scale)
    assert re.fullmatch(
        r"・試験施設00000 当初9/17→（ほか47回変更）→\d+/\d+→\d+/\d+→未定（番ポ申請中）", status[6]
    ), status[6]
    chains = [t for t in texts if " → （ほか47回変更） → " in t]  # the table's column
    assert len(chains) == 100 and all(c.count(" → ") == 4 for c in chains)
    assert max(len(t) for t in texts[texts.index("○現状") + 2 :]) < 100


def test_the_bounded_chain_text(source_data, viewer_client):
    """明浜支所 (first plan 11/5) changed five times: as of each day the form and the panel
    print the first plan, the changes left out and the last three; the page lists them all."""
    site = Site.objects.get(name="明浜支所")
    for day, planned in (
        (25, dt.date(2022, 11, 8)),
        (26, dt.date(2022, 11, 12)),
        (27, dt.date(2022, 11, 19)),
        (28, None),
        (29, dt.date(2022, 12, 3)),
    ):
        Revision.objects.create(
            site=site,
            decided_on=dt.date(2022, 10, day),
            planned_on=planned,
            undecided=planned is None,
            porting="applied" if day == 28 else "",
        )
    expected = {
        27: "明浜支所 当初11/5→11/8→11/12→11/19",
        28: "明浜支所 当初11/5→（ほか1回変更）→11/12→11/19→未定",
        29: "明浜支所 当初11/5→（ほか2回変更）→11/19→未定→12/3",
    }
    for day, chain in expected.items():
        texts, _queries = form_sheet(dt.date(2022, 10, day))
        status = texts[texts.index("○現状") + 1].splitlines()
        porting = "（番ポ申請中）" if day >= 28 else ""
        assert status[1] == f"・{chain}{porting}（前倒しの可能性あり）"
    texts, _queries = form_sheet(dt.date(2022, 10, 29))
    assert "11/5 → （ほか2回変更） → 11/19 → 未定 → 12/3" in texts
    panel = viewer_client.get("/?as_of=2022-10-29").content.decode().split('id="panel-pbx"', 1)[1]
    assert "<del>11/5</del> → （ほか2回変更） → <del>11/19</del> → <del>未定</del> → 12/3" in panel
    html = viewer_client.get("/pbx/?as_of=2022-10-29").content.decode()
    assert "<del>11/5</del> → <del>11/8</del> → <del>11/12</del> → <del>11/19</del>" in html


def test_the_form_sheets_short_columns_print_each_value_on_one_line(source_data):
    """Every column but the chain of changes is wide enough for its header and values:
    no 番号ポータビリテ／ィ, no 未定（15日以上） broken in two on the printed page."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    from core.formsheet import CELL_MARGIN, display_width
    from core.history import AsOf
    from pbx.sheets import PbxFormSheet
    from reports.workbook import WorkbookContext

    sheet = Workbook().active
    PbxFormSheet().write(sheet, WorkbookContext(as_of=AsOf(dt.date(2022, 10, 24)), user=None))
    header_row = next(
        r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 5).value == "番号ポータビリティ"
    )
    checked = 0
    for row in range(header_row, sheet.max_row + 1):
        if sheet.cell(row, 1).coordinate in sheet.merged_cells:
            continue  # a warning across the table
        for column in (1, 2, 4, 5, 6):
            value = sheet.cell(row, column).value
            if value is None:
                continue
            width = sheet.column_dimensions[get_column_letter(column)].width
            assert display_width(str(value)) + CELL_MARGIN <= width, (value, width)
            checked += 1
    assert checked >= 5 * 7  # the header and six sites
    assert "—" not in {sheet.cell(r, 5).value for r in range(header_row, sheet.max_row + 1)}
