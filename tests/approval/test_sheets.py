"""E-approval in the meeting workbook, read back cell by cell."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from core.spreadsheets import ERA_DATE_FORMAT

from .factories import OCTOBER, count

pytestmark = pytest.mark.django_db


def workbook(client, query="?as_of=2022-11-01"):
    response = client.get(f"/workbook/{query}")
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def texts(ws) -> list[str]:
    return [c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]


def test_the_form_reads_like_the_papers_page_with_the_published_rate(viewer_client, source_data):
    ws = workbook(viewer_client)["電子決裁"]
    assert ws["A1"].value == "電子決裁について"
    assert ws["A2"].value == "（令和4年11月1日時点）"
    lines = texts(ws)
    headings = [line for line in lines if line.startswith(("○", "※"))]
    assert headings == [
        "○当初の計画", "○変更→令和4年度の計画", "○現状", "○今後の予定", "※参考",
    ]  # fmt: skip
    assert "・遅くともクラウドPBXが導入される前（R4.10）までには、全庁導入へ" in lines
    assert "・令和5年1月から他の部へ拡大予定" in lines
    # Source: 2022.11.1 papers ※参考 「10月1日～10月21日の期間における電子決裁率 66.9%」.
    assert (
        "令和4年10月1日～令和4年10月21日の期間における電子決裁率 66.9%（公表値（内訳のデータなし））"
        in lines
    )
    assert "件数から計算した電子決裁率：－（決裁件数が登録されていません）" in lines
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "portrait"


def test_the_form_lists_the_rollout(viewer_client, source_data):
    ws = workbook(viewer_client)["電子決裁"]
    rows = [list(row) for row in ws.iter_rows(values_only=True)]
    header = rows.index(["部", "状況", "開始日", "開始予定日", "部をまたがる決裁", None])
    october = dt.datetime(2022, 10, 1)
    assert rows[header + 1][:5] == ["総務部", "開始済み", october, october, "対応"]
    assert rows[header + 4][:5] == [
        "政策企画部", "開始予定", None, dt.datetime(2023, 1, 1), "未対応",
    ]  # fmt: skip
    # The dates are date cells printed in the era (令和4年10月1日), not text.
    assert ws.cell(header + 2, 3).number_format == ERA_DATE_FORMAT


def test_the_form_and_data_sheet_carry_the_counted_rates(viewer_client, source_data):
    from approval.models import Department

    count(Department.objects.get(name="総務部"), OCTOBER, 9, 10)
    count(Department.objects.get(name="教育部"), OCTOBER, 10, 100)
    count(Department.objects.get(name="医療介護部"), OCTOBER, 0, 0)
    book = workbook(viewer_client, "")
    lines = texts(book["電子決裁"])
    assert (
        "令和4年10月1日～令和4年10月31日の電子決裁率（全庁）17.3%"
        "（電子決裁 19件／決裁 110件、3部の合計、データから集計）" in lines
    )
    form_rows = [list(r) for r in book["電子決裁"].iter_rows(values_only=True)]
    whole = next(r for r in form_rows if r[0] == "全庁")
    assert whole[2:5] == [19, 110, "17.3%"]
    # A zero total: 「－」, not a division error.
    assert ["医療介護部", "令和4年10月1日～令和4年10月31日", 0, 0, "－"] in [
        r[:5] for r in form_rows
    ]

    data = [list(r) for r in book["電子決裁_件数(データ)"].iter_rows(values_only=True)]
    assert data[0] == [
        "部", "期間開始", "期間終了", "電子決裁件数", "決裁件数", "電子決裁率", "出典", "備考",
    ]  # fmt: skip
    assert data[1][:6] == [
        "総務部",
        dt.datetime(2022, 10, 1),
        dt.datetime(2022, 10, 31),
        9,
        10,
        0.9,
    ]
    assert data[2][5] is None  # a zero total: no rate (医療介護部)
    published = data[-1]
    assert published[:7] == [
        "全庁", dt.datetime(2022, 10, 1), dt.datetime(2022, 10, 21), None, None, 0.669,
        "公表値（内訳のデータなし）",
    ]  # fmt: skip
    cell = book["電子決裁_件数(データ)"].cell(len(data), 6)
    assert cell.number_format == "0.0%" and cell.data_type == "n"


def test_the_rollout_data_sheet(viewer_client, source_data):
    data = [
        list(r)
        for r in workbook(viewer_client)["電子決裁_導入状況(データ)"].iter_rows(values_only=True)
    ]
    assert data[0] == ["部", "状況", "開始日", "開始予定日", "部をまたがる決裁", "備考", "基準日"]
    assert data[1][:5] == [
        "総務部", "開始済み", dt.datetime(2022, 10, 1), dt.datetime(2022, 10, 1), "はい",
    ]  # fmt: skip
    assert data[4][:5] == ["政策企画部", "開始予定", None, dt.datetime(2023, 1, 1), "いいえ"]


def test_the_figures_sheet_lists_the_published_rate_with_its_period(viewer_client, source_data):
    data = [list(r) for r in workbook(viewer_client)["指標(データ)"].iter_rows(values_only=True)]
    published = next(r for r in data if r[0] == "電子決裁率（全庁・公表値）")
    assert published[1:6] == [
        0.669, "%", "期間", dt.datetime(2022, 10, 1), dt.datetime(2022, 10, 21),
    ]  # fmt: skip
    assert published[6:8] == [None, None]  # no counts invented
    assert published[9:11] == [
        "公表値（内訳のデータなし）",
        "2022-11-01 会議資料「電子決裁について」",
    ]


def test_a_formula_like_department_name_stays_text(viewer_client, source_data):
    from approval.models import Department

    Department.objects.filter(name="政策企画部").update(name="=1+1")
    data = workbook(viewer_client, "")["電子決裁_導入状況(データ)"]
    cell = data.cell(5, 1)
    assert cell.value == "=1+1" and cell.data_type == "s"


def test_the_page_downloads_every_count_as_xlsx_and_csv(viewer_client, source_data):
    from approval.models import Department

    general = Department.objects.get(name="総務部")
    count(general, OCTOBER, 9, 10)
    count(general, dt.date(2022, 11, 1), 0, 0)
    response = viewer_client.get("/approval/?export=xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    ws = book["電子決裁_件数(データ)"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[1][:6] == [
        "総務部",
        dt.datetime(2022, 10, 1),
        dt.datetime(2022, 10, 31),
        9,
        10,
        0.9,
    ]
    assert ws.cell(2, 6).number_format == "0.0%"
    assert rows[2][5] is None  # a zero total: no rate
    csv = b"".join(viewer_client.get("/approval/?export=csv").streaming_content).decode("utf-8-sig")
    lines = csv.splitlines()
    assert lines[0] == "部,期間開始,期間終了,電子決裁件数,決裁件数,電子決裁率,出典,備考"
    assert lines[1].startswith("総務部,2022-10-01,2022-10-31,9,10,0.9,データから集計")


def test_the_workbook_counts_sheet_covers_the_charted_months(viewer_client, source_data):
    from approval.models import Department
    from approval.selectors import MONTHS_CHARTED

    from .factories import month_after

    general = Department.objects.get(name="総務部")
    for n in range(MONTHS_CHARTED + 6):
        count(general, month_after(OCTOBER, n), 1, 2)
    data = list(workbook(viewer_client, "")["電子決裁_件数(データ)"].iter_rows(values_only=True))
    counted = [row for row in data[1:] if row[6] == "データから集計"]
    assert len(counted) == MONTHS_CHARTED
    assert counted[0][1] == dt.datetime.combine(month_after(OCTOBER, 6), dt.time())
