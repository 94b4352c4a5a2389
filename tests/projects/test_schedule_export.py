"""The schedule page's data-sheet exports (?export=csv / ?export=xlsx): format, filter, scale."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from core.history import AsOf
from projects import datasheet, selectors
from projects.filters import ScheduleItemFilter
from projects.models import BudgetLine, Category, Concern, FiscalYearPlan, ScheduleItem, Status

HEADER = [
    "項目ID", "区分", "項目", "状況", "予算額計（千円）", "予算額1（千円）", "予算額2（千円）",
    "予算を含む項目", "基準日",
]  # fmt: skip


def download(client, query: str) -> tuple[object, bytes]:
    response = client.get(f"/schedule/?{query}")
    assert response.status_code == 200
    return response, response.getvalue()


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def xlsx_sheet(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def add_items(count: int) -> None:
    """``count`` more items, each with a budget line, a plan and a concern."""
    category = Category.objects.first()
    status = Status.objects.first()
    items = ScheduleItem.objects.bulk_create(
        ScheduleItem(category=category, status=status, name=f"追加項目{n}", order=100 + n)
        for n in range(count)
    )
    BudgetLine.objects.bulk_create(BudgetLine(item=item, amount=1) for item in items)
    year = selectors.programme_years()[0]
    FiscalYearPlan.objects.bulk_create(
        FiscalYearPlan(item=item, year=year, content="計画\n運用") for item in items
    )
    Concern.objects.bulk_create(Concern(item=item, text="懸案") for item in items)


# --- CSV ---------------------------------------------------------------------------------------


def test_csv_export_is_utf8_with_bom_and_neutralises_formulas(viewer_client, source_data):
    ScheduleItem.objects.filter(name="書類整理").update(
        name='=HYPERLINK("http://evil.example","x")'
    )
    response, content = download(viewer_client, "export=csv")
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert "filename*=UTF-8''%E5%85%A8%E4%BD%93" in response["Content-Disposition"]
    assert content.startswith(b"\xef\xbb\xbf") and content.count(b"\xef\xbb\xbf") == 1
    rows = csv_rows(content)
    assert rows[0] == HEADER
    assert len(rows) == 14
    telework = next(r for r in rows if r[2] == "テレワーク環境")
    assert telework[4:7] == ["45806", "3802", "42004"]
    assert not any("\n" in cell for row in rows for cell in row)  # one value per cell
    assert any(r[2] == '\'=HYPERLINK("http://evil.example","x")' for r in rows)


def test_csv_lines_end_in_crlf_and_cp932_only_characters_survive(viewer_client, source_data):
    ScheduleItem.objects.filter(name="書類整理").update(name="髙﨑①～㈱")
    ScheduleItem.objects.filter(name="電子決裁").update(name="-1")
    _, content = download(viewer_client, "export=csv")
    header_line = content.split(b"\r\n", 1)[0]
    assert header_line == "\ufeff".encode() + ",".join(HEADER).encode()
    assert content.endswith(b"\r\n")
    # Record separators are CRLF; no cell holds several lines.
    assert content.count(b"\r\n") == 14 and b"\n" not in content.replace(b"\r\n", b"")
    text = content.decode("utf-8-sig")
    assert "髙﨑①～㈱" in text
    names = [row[2] for row in csv_rows(content)]
    assert "髙﨑①～㈱" in names and "'-1" in names


def test_csv_is_streamed_in_chunks(viewer_client, source_data):
    add_items(1200)
    response = viewer_client.get("/schedule/?export=csv")
    chunks = list(response.streaming_content)
    assert len(chunks) >= 3  # header, then about CSV_CHUNK_CHARS at a time
    assert chunks[0].startswith(b"\xef\xbb\xbf") and b"\xef\xbb\xbf" not in b"".join(chunks[1:])
    assert len(csv_rows(b"".join(chunks))) == 1 + 13 + 1200


# --- .xlsx -------------------------------------------------------------------------------------


def test_xlsx_export_has_numbers_as_numbers_and_text_never_as_formula(viewer_client, source_data):
    ScheduleItem.objects.filter(name="書類整理").update(name="=1+1")
    response, content = download(viewer_client, "export=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''%E5%85%A8%E4%BD%93" in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith(".xlsx")
    sheet = xlsx_sheet(content)
    assert sheet.title == "全体のスケジュール(データ)"
    assert sheet.merged_cells.ranges == set()
    assert [cell.value for cell in sheet[1]] == HEADER
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["C"].width == 30 and sheet.column_dimensions["A"].width == 8
    values = {sheet.cell(row, 3).value: row for row in range(2, sheet.max_row + 1)}
    cashless = values["キャッシュレス"]
    assert sheet.cell(cashless, 5).value == 8800
    assert sheet.cell(cashless, 5).data_type == "n"
    assert sheet.cell(cashless, 5).number_format == '#,##0;"△"#,##0;0'
    assert sheet.cell(cashless, 1).value == 2
    assert sheet.cell(cashless, 1).number_format == "0"  # an ID: no thousands separator
    date = sheet.cell(cashless, 9)
    assert date.is_date and date.number_format == "yyyy-mm-dd"
    assert date.value.date() == timezone.localdate()
    hostile = sheet.cell(values["=1+1"], 3)
    assert hostile.data_type == "s" and hostile.value == "=1+1"
    assert sum(sheet.cell(r, 5).value or 0 for r in range(2, sheet.max_row + 1)) == 187_197


def test_xlsx_export_is_the_snapshots_data_sheet_cell_by_cell(viewer_client, source_data):
    """The streamed export and the workbook's data sheet (today's snapshot) hold the same cells."""
    ScheduleItem.objects.filter(name="書類整理").update(name="=1+1")
    snapshot = selectors.schedule_snapshot(AsOf.today())
    book = load_workbook(io.BytesIO(download(viewer_client, "export=xlsx")[1]))
    tables = {
        datasheet.SHEET_TITLE: [datasheet.header(snapshot), *datasheet.rows(snapshot)],
        datasheet.PLANS_TITLE: [datasheet.PLAN_HEADER, *datasheet.snapshot_plan_rows(snapshot)],
        datasheet.CONCERNS_TITLE: [
            datasheet.CONCERN_HEADER,
            *datasheet.snapshot_concern_rows(snapshot),
        ],
    }
    assert book.sheetnames == list(tables)
    for title, expected in tables.items():
        got = [
            [value.date() if isinstance(value, dt.datetime) else value for value in row]
            for row in book[title].iter_rows(values_only=True)
        ]
        plain = [[getattr(v, "value", v) for v in row] for row in expected]
        assert got == plain, title


def test_xlsx_export_is_served_from_a_file_in_blocks(viewer_client, source_data):
    response = viewer_client.get("/schedule/?export=xlsx")
    assert response.streaming
    content = b"".join(response.streaming_content)
    assert content.startswith(b"PK") and int(response["Content-Length"]) == len(content)


# --- Filter and scale --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["", "q=QR", "q=リテラシー", "category={front}", "status={done}", "year={r5}", "q=該当なし"],
)
@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_the_export_holds_exactly_the_items_the_filter_selects(
    viewer_client, source_data, query, export
):
    params = query.format(
        front=Category.objects.get(name="窓口フロントスタッフ").pk,
        done=Status.objects.get(name="完了").pk,
        r5=selectors.programme_years()[2].pk,
    )
    _, content = download(viewer_client, f"{params}&export={export}")
    if export == "csv":
        rows = csv_rows(content)
        ids = [int(row[0]) for row in rows[1:]]
    else:
        rows = list(xlsx_sheet(content).iter_rows(values_only=True))
        ids = [row[0] for row in rows[1:]]
    data = dict(pair.split("=") for pair in params.split("&") if pair)
    filterset = ScheduleItemFilter(data or None, queryset=selectors.schedule_items())
    expected = list(filterset.qs.values_list("pk", flat=True))
    assert ids == expected
    assert len(rows[0]) == len(HEADER)  # at least two budget columns, even for one item


def test_a_filtered_export_is_as_wide_as_its_widest_item(viewer_client, source_data):
    item = ScheduleItem.objects.get(name="キャッシュレス")
    BudgetLine.objects.bulk_create(BudgetLine(item=item, amount=n, order=n) for n in (1, 2))
    rows = csv_rows(download(viewer_client, "q=QR&export=csv")[1])
    assert rows[0][5:9] == [
        "予算額1（千円）",
        "予算額2（千円）",
        "予算額3（千円）",
        "予算を含む項目",
    ]
    assert rows[1][4] == "8803" and sorted(rows[1][5:8], key=int) == ["1", "2", "8800"]
    other = csv_rows(download(viewer_client, "q=電子決裁&export=csv")[1])
    assert len(other[0]) == len(HEADER) and other[1][4:7] == ["", "", ""]


@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_export_queries_do_not_grow_with_the_items(viewer_client, source_data, export):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = viewer_client.get(f"/schedule/?export={export}")
            content = response.getvalue()  # a streamed CSV queries while it is read
        assert content
        return len(captured)

    small = queries()
    add_items(13 * 99)  # 100x the printed schedule
    assert queries() == small
    rows = csv_rows(viewer_client.get("/schedule/?export=csv").getvalue())
    assert len(rows) == 1 + 13 * 100


def test_parts_are_merged_by_the_items_order_and_strays_are_skipped():
    """Rows and parts are read side by side in the printed order (no lookup by id)."""
    parts = datasheet.Parts(
        iter(
            [
                (1, 0, 7, 100),  # an item the stream has passed (moved or deleted meanwhile)
                (1, 1, 3, 10),
                (1, 1, 3, 20),
                (2, 0, 5, 30),
            ]
        )
    )
    assert parts.of((1, 1, 3)) == [(10,), (20,)]
    assert parts.of((1, 2, 4)) == []
    assert parts.of((2, 0, 5)) == [(30,)]
    assert parts.of((3, 0, 1)) == []
    parts.close()


def test_an_item_that_outgrows_the_header_mid_export_stops_it(source_data):
    header, body = datasheet.export(selectors.schedule_items(), dt.date(2022, 11, 1))
    assert header.count("予算額2（千円）") == 1 and "予算額3（千円）" not in header
    item = ScheduleItem.objects.get(name="キャッシュレス")
    BudgetLine.objects.bulk_create(BudgetLine(item=item, amount=n, order=n) for n in (1, 2))
    with pytest.raises(datasheet.ScheduleChanged, match="キャッシュレス"):
        list(body)
