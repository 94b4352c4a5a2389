"""The counter's workbook sheets, read back cell by cell."""

import io

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def workbook(client, query="as_of=2022-11-01"):
    response = client.get(f"/workbook/?{query}")
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return load_workbook(io.BytesIO(content))


def rows_of(ws):
    return [[cell.value for cell in row] for row in ws.iter_rows()]


def test_form_sheet_shows_the_papers_figures_beside_the_published_ones(viewer_client, source_data):
    ws = workbook(viewer_client)["総合窓口"]
    rows = rows_of(ws)
    table = {
        r[0]: r[1:3] for r in rows if r[0] in ("総合受付件数", "うち総合窓口での処理件数", "受付率")
    }
    assert table == {
        "総合受付件数": ["13,796件", "13,796件"],
        "うち総合窓口での処理件数": ["8,061件", "8,061件"],
        "受付率": ["58.4%", "58.4%"],
    }
    cashless = {r[0]: r[1:3] for r in rows if r[0] in ("d払い", "auPay", "PayPay", "合計")}
    assert cashless == {
        "d払い": ["73", "43,900"],
        "auPay": ["42", "13,200"],
        "PayPay": ["106", "61,020"],
        "合計": ["221", "118,120"],
    }
    words = " ".join(str(v) for r in rows for v in r if v)
    # Each column names its source in its header; no footnote the paper lacks.
    header = next(r for r in rows if r[0] == "指標")
    assert header[1] == "集計値（再構成したデモデータ）"
    assert header[2] == "公表値（令和4年11月1日会議資料、令和4年5月9日～令和4年10月21日）"
    assert "出典" not in words
    assert "多い時間帯：10時台、13時台、14時台" in words
    assert "本庁 総合窓口開設：令和4年5月9日" in words
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)


def test_data_sheets_hold_numbers_one_header_row(viewer_client, source_data):
    book = workbook(viewer_client)
    rows = rows_of(book["総合窓口(データ)"])
    assert rows[0] == [
        "日付",
        "窓口の場所",
        "総合受付件数",
        "うち総合窓口での処理件数",
        "受付率",
        "出典",
    ]
    assert sum(r[2] for r in rows[1:]) == 13796
    assert sum(r[3] for r in rows[1:]) == 8061
    assert all(isinstance(r[2], int) for r in rows[1:])
    assert rows[1][5] == "再構成したデモデータ"
    assert not book["総合窓口(データ)"].merged_cells.ranges
    pay = rows_of(book["キャッシュレス決済(データ)"])
    assert sum(r[4] for r in pay[1:]) == 221 and sum(r[5] for r in pay[1:]) == 118120


def test_figures_sheet_lists_the_panel_figures(viewer_client, source_data):
    rows = rows_of(workbook(viewer_client)["指標(データ)"])
    found = {r[0]: r[1] for r in rows[1:]}
    assert found["総合受付件数"] == 13796
    assert found["うち総合窓口での処理件数"] == 8061
    assert round(found["受付率"], 4) == 0.5843
    assert found["キャッシュレス決済件数"] == 221
    assert found["キャッシュレス決済金額"] == 118120


def test_the_workbook_period_and_site_can_be_chosen(viewer_client, source_data):
    book = workbook(
        viewer_client, "as_of=2022-11-01&counter_start=2022-06-01&counter_end=2022-06-30"
    )
    rows = rows_of(book["総合窓口(データ)"])
    assert {r[0].month for r in rows[1:]} == {6}
