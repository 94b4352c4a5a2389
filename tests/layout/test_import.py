"""Importing the seat plan from .xlsx and CSV in the city's layout (the printed columns).

The printed table (source-notes §6, seed lines 224–234) is read as the papers print it — 階数
and フロア as printed, △ negatives — and its two printed 過不足 that disagree with
確保席数 − 必要数 are kept as printed and flagged, never corrected.
"""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.history import AsOf
from layout import selectors
from layout.models import SeatPlan, Section

IMPORT_URL = "/admin/layout/seatplan/import/"
SEED = "/work/shared/seed/000_e857ea722d9b45ee.txt"

PRINTED_TABLE = """階数	フロア	現職員数	現会計年度	R5職員数	R5会計年度	確保席数	必要数	過不足
1階	市民、人権啓発、税務、会計 (管理者込み)	44	7	52	6	52	59	△7
1階	長寿介護、福祉	30	11	34	11	48	47	1
2階	子育て支援、健康づくり推進	28	5	33	2	38	37	1
2階	上下水道、環境衛生、経済振興、医療対策	35	9	42	9	58	55	3
3階	農業委員会、林業、農業水産	31	4	35	2	42	41	1
3階	建設、監理用地	31	3	29	1	40	32	8
4階	総務、財政、まち、政策	36	0	59	1	53	59	△7
5階	情報推進	7	1	6	0	12	7	5
教保 3階	教育総務、学校教育	16	1	16	1	20	19	2
教保 3階	スポーツ文化、生涯学習	14	2	7	2	20	10	10"""


def csv_of(text: str, title: str = "組織改革を反映したレイアウト変更について") -> bytes:
    lines = [title, *(line.replace("\t", ",") for line in text.splitlines())]
    return ("\r\n".join(lines) + "\r\n").encode("cp932")


def upload(client, filename: str, content: bytes, *, delete_missing: bool = False):
    response = client.post(IMPORT_URL, {"file": SimpleUploadedFile(filename, content)})
    assert response.status_code == 302, response.content.decode()[:2000]
    query = "?delete_missing=1" if delete_missing else ""
    preview = client.get(response["Location"] + query)
    assert preview.status_code == 200
    return preview


def result(preview):
    return preview.context["result"]


def errors(preview) -> list:
    return [(e.row, e.column, e.message) for e in result(preview).errors]


def apply(client, preview):
    r = result(preview)
    return client.post(
        preview.wsgi_request.path,
        {
            "digest": r.digest,
            "delete_missing": "1" if r.delete_missing else "0",
            "apply": "適用する",
        },
    )


def snapshot() -> list[tuple]:
    return list(
        SeatPlan.objects.order_by("section__floor__building__order", "section__floor__number", "section__order")
        .values_list("section__name", "staff_current", "parttime_current", "staff_planned",
                     "parttime_planned", "seats_secured", "seats_needed", "printed_balance")
    )  # fmt: skip


def test_the_printed_table_is_the_seed_text():
    with open(SEED, encoding="utf-8") as seed:
        lines = seed.read().splitlines()
    start = lines.index(PRINTED_TABLE.splitlines()[0])
    assert "\n".join(lines[start : start + 11]) == PRINTED_TABLE


@pytest.fixture
def empty_plan(source_data):
    """The buildings and floors, without the sections and plans the papers list."""
    before = snapshot()
    SeatPlan.objects.all().delete()
    Section.objects.all().delete()
    return before


def xlsx_of(text: str) -> bytes:
    """The printed table typed into Excel: a title row, numbers as numbers, △7 as text."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["組織改革を反映したレイアウト変更について"])
    for line in text.splitlines():
        ws.append([int(cell) if cell.isdigit() else cell for cell in line.split("\t")])
    return xlsx_bytes(book)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_printed_table_round_trips_through_the_import(editor_web, editor, empty_plan, kind):
    content = csv_of(PRINTED_TABLE) if kind == "csv" else xlsx_of(PRINTED_TABLE)
    preview = upload(editor_web, f"レイアウト.{kind}", content)
    r = result(preview)
    assert errors(preview) == []
    assert [c.kind for c in r.changes] == ["追加"] * 10
    mismatches = [n for n in r.notices if "過不足の印刷値" in n]
    assert mismatches == [
        "9行目「4階 総務、財政、まち、政策」：過不足の印刷値△7は確保席数－必要数（△6）と違います。"
        "印刷値のまま記録し、表で印を付けます。",
        "11行目「教保 3階 教育総務、学校教育」：過不足の印刷値2は確保席数－必要数（1）と違います。"
        "印刷値のまま記録し、表で印を付けます。",
    ]
    assert any("1行目はタイトル行" in n for n in r.notices)
    assert apply(editor_web, preview).status_code == 302
    assert snapshot() == empty_plan  # △7 read back as -7, every count as printed
    as_of = AsOf.today()
    scope = selectors.default_scope(as_of)
    assert scope.fiscal_year == 2023  # from the header R5職員数
    first = selectors.floor_totals(as_of, scope)[0]
    assert (first.label, first.seats_secured, first.seats_needed) == ("1階", 100, 106)
    assert [r.section for r in selectors.flagged_rows(as_of, scope)] == [
        "総務、財政、まち、政策", "教育総務、学校教育",
    ]  # fmt: skip
    record = SeatPlan.history.filter(section__name="情報推進").latest("history_date")
    assert record.history_user == editor
    assert record.history_change_reason == f"Excel取込：レイアウト.{kind}"


def test_unchanged_download_has_no_changes(viewer_client, editor_web, source_data):
    for export in ("xlsx", "csv"):
        response = viewer_client.get("/layout/", {"export": export})
        preview = upload(editor_web, f"座席計画.{export}", b"".join(response.streaming_content))
        assert errors(preview) == [] and result(preview).changes == [], export


@pytest.fixture
def xlsx(viewer_client, source_data):
    response = viewer_client.get("/layout/", {"export": "xlsx"})
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def xlsx_bytes(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_edited_xlsx_changes_one_row_and_adds_a_section(xlsx, editor_web):
    ws = xlsx.active
    ws["H9"] = 8  # 情報推進: 必要数 7 → 8
    ws.append(["5階", "デジタル戦略", 0, 0, 3, 0, 4, 3, "△1"])
    preview = upload(editor_web, "座席計画.xlsx", xlsx_bytes(xlsx))
    assert errors(preview) == []
    changes = [
        (c.kind, c.label, [(f.label, f.before, f.after) for f in c.fields])
        for c in result(preview).changes
    ]
    assert changes[0] == ("変更", "5階 情報推進", [("必要数", "7", "8")])
    assert changes[1][:2] == ("追加", "5階 デジタル戦略")
    apply(editor_web, preview)
    plan = SeatPlan.objects.get(section__name="情報推進")
    assert (
        plan.seats_needed == 8 and plan.printed_balance == 5
    )  # the printed 5 is kept: now flagged
    new = SeatPlan.objects.get(section__name="デジタル戦略")
    assert (new.section.floor.number, new.printed_balance, new.fiscal_year) == (5, -1, 2023)
    scope = selectors.default_scope(AsOf.today())
    assert len(selectors.flagged_rows(AsOf.today(), scope)) == 4  # 情報推進 and デジタル戦略 too


def test_rows_the_file_lacks_are_deleted_only_when_chosen(xlsx, editor_web):
    ws = xlsx.active
    ws.delete_rows(9)  # 情報推進
    preview = upload(editor_web, "座席計画.xlsx", xlsx_bytes(xlsx))
    assert [m.label for m in result(preview).missing] == ["5階 情報推進"]
    assert result(preview).changes == []
    preview = upload(editor_web, "座席計画.xlsx", xlsx_bytes(xlsx), delete_missing=True)
    apply(editor_web, preview)
    assert not SeatPlan.objects.filter(section__name="情報推進").exists()


# --- Bad input: refused clearly, nothing saved ---------------------------------------------------


def bad_table(row: str) -> bytes:
    header, *_ = PRINTED_TABLE.splitlines()
    return csv_of(f"{header}\n{row}")


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (
            "1階\t長寿介護、福祉\t30\t11\t34\t11\t△1\t47\t1",
            "確保席数",
            "0以上の数で入力してください。",
        ),
        (
            "1階\t長寿介護、福祉\t-3\t11\t34\t11\t48\t47\t1",
            "現職員数",
            "0以上の数で入力してください。",
        ),
        (
            "教保 5階\t教育総務、学校教育\t16\t1\t16\t1\t20\t19\t2",
            "階数",
            "教保は3階までです。5階はありません。",
        ),
        ("6階\t情報推進\t7\t1\t6\t0\t12\t7\t5", "階数", "本庁は5階までです。6階はありません。"),
        (
            "別館 1階\t情報推進\t7\t1\t6\t0\t12\t7\t5",
            "階数",
            "建物「別館」は登録されていません（登録済み：本庁、教保）。",
        ),
        (
            "5階\t情報推進\t7\t1\t6\t0\t12\t7\t不足",
            "過不足",
            "「不足」は数値として読めません。数字で入力してください。",
        ),
        (
            "5階\t情報推進\t7\t1\t6\t0\t12\t7\t1.5",
            "過不足",
            "「1.5」は整数ではありません。小数は入力できません。",
        ),
        ("5階\t情報推進\t7\t1\t6\t0\t12\t\t5", "必要数", "必要数を入力してください。"),
    ],
)
def test_bad_cells_are_refused_and_nothing_is_saved(editor_web, source_data, row, column, message):
    before, history = snapshot(), SeatPlan.history.count()
    preview = upload(editor_web, "bad.csv", bad_table(row))
    assert errors(preview) == [(3, column, message)]
    assert apply(editor_web, preview).status_code == 200  # refused, shown again
    assert snapshot() == before and SeatPlan.history.count() == history


def test_two_plans_for_the_same_section_and_year_are_refused(editor_web, source_data):
    row = "5階\t情報推進\t7\t1\t6\t0\t12\t7\t5"
    preview = upload(editor_web, "bad.csv", bad_table(f"{row}\n{row}"))
    assert errors(preview) == [
        (
            4,
            "フロア",
            "「5階 情報推進」が3行目と重複しています。同じフロアの同じ年度の計画は1行にしてください。",
        )
    ]


def test_plan_year_columns_must_agree(editor_web, source_data):
    table = PRINTED_TABLE.replace("R5会計年度", "R6会計年度", 1)
    preview = upload(editor_web, "bad.csv", csv_of(table))
    assert errors(preview) == [
        (2, "R6会計年度", "「R5職員数」と「R6会計年度」の年度が違います。同じ年度にしてください。")
    ]
    missing = PRINTED_TABLE.replace("R5会計年度", "会計年度R5", 1)
    assert any(
        e[2] == "必須の列「R5会計年度」（計画年度の人数）がありません。"
        for e in errors(upload(editor_web, "bad.csv", csv_of(missing)))
    )


def test_the_data_sheets_year_headers_are_read_and_must_agree_with_their_era(
    editor_web, source_data
):
    western = PRINTED_TABLE.replace("R5職員数", "2023年度（令和5年度）職員数").replace(
        "R5会計年度", "2023年度(令和5年度)会計年度"
    )
    assert errors(upload(editor_web, "data.csv", csv_of(western))) == []
    before = snapshot()
    wrong = western.replace("2023年度（令和5年度）職員数", "2023年度（令和4年度）職員数")
    refused = errors(upload(editor_web, "bad.csv", csv_of(wrong)))
    assert any("職員数" in e[1] and "ありません" in e[2] for e in refused)
    assert snapshot() == before


def test_a_viewer_cannot_import(viewer_client, source_data):
    response = viewer_client.post(
        IMPORT_URL, {"file": SimpleUploadedFile("a.csv", csv_of(PRINTED_TABLE))}
    )
    assert response.status_code in (302, 403)
    assert not response.has_header("Location") or "/login/" in response["Location"]
