"""指標(データ): every figure the dashboard shows, each with its period and the papers it came from.

Figures of the 2022-11-01 papers: 13 items (完了 5, 完了予定 4, R4継続 2, R4にかけて 1, 継続 1),
12 concerns, 予算額 計 187,197 (unchanged since the 2022-03-14 strategy meeting's papers).
"""

import datetime as dt
import io

import pandas as pd
import pytest
from django.utils import timezone
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db

FIGURES = "指標(データ)"


@pytest.fixture
def content(viewer_client, source_data) -> bytes:
    response = viewer_client.get("/workbook/?as_of=2022-11-01")
    assert response.status_code == 200
    return response.content


def test_the_figures_sheet_has_the_dashboards_counts_with_their_papers(content):
    frame = pd.read_excel(io.BytesIO(content), sheet_name=FIGURES).set_index("指標")
    assert list(frame.columns) == [
        "値", "単位", "時点・期間", "期間開始", "期間終了", "分子", "分母", "定義", "出典",
        "出典資料", "データ更新日",
    ]  # fmt: skip
    values = frame["値"]
    assert values["予算額 計"] == 187_197
    assert values["項目数"] == 13
    assert values["項目数（状況：完了）"] == 5
    assert values["項目数（状況：完了予定）"] == 4
    assert values["項目数（状況：R4継続）"] == 2
    assert values["項目数（状況：R4にかけて）"] == 1
    assert values["項目数（状況：継続）"] == 1
    assert values["懸案の数"] == 12
    assert values["総合受付件数"] == 13_796

    papers = frame["出典資料"]
    assert papers["予算額 計"] == "2022-03-14 行政経営戦略会議資料"
    assert papers["項目数"] == "2022-03-14 行政経営戦略会議資料"
    assert papers["総合受付件数"].startswith("2022-11-01 会議資料")
    assert papers["電子決裁率（全庁・公表値）"].startswith("2022-11-01 会議資料")

    # A point-in-time figure has its date as both ends of its period: no empty start.
    assert frame["期間開始"].notna().all()
    point = frame.loc["項目数"]
    assert point["時点・期間"] == "時点"
    assert point["期間開始"] == point["期間終了"] == pd.Timestamp(2022, 11, 1)
    published = frame.loc["電子決裁率（全庁・公表値）"]
    assert published["時点・期間"] == "期間"
    assert (published["期間開始"], published["期間終了"]) == (
        pd.Timestamp(2022, 10, 1),
        pd.Timestamp(2022, 10, 21),
    )


def test_a_rate_is_a_number_shown_as_a_percentage(content):
    ws = load_workbook(io.BytesIO(content))[FIGURES]
    rows = {row[0].value: row for row in ws.iter_rows(min_row=2)}
    rate = rows["電子決裁率（全庁・公表値）"][1]
    assert rate.value == pytest.approx(0.669) and rate.number_format == "0.0%"
    start = rows["項目数"][4]
    assert start.value == dt.datetime(2022, 11, 1) and start.number_format == "yyyy-mm-dd"


def test_figures_changed_after_the_papers_name_no_paper(viewer_client, source_data):
    """Data edited after it was loaded from the papers came from no paper."""
    from projects.models import BudgetLine

    line = BudgetLine.objects.filter(item__name="キャッシュレス").get()
    line.amount = 9000
    line.save()
    today = timezone.localdate().isoformat()
    response = viewer_client.get(f"/workbook/?as_of={today}")
    frame = pd.read_excel(io.BytesIO(response.content), sheet_name=FIGURES).set_index("指標")
    assert frame.loc["予算額 計", "値"] == 187_397
    assert pd.isna(frame.loc["予算額 計", "出典資料"])
