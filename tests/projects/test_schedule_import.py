"""The schedule's Excel round trip: download the data sheet, edit it, upload, preview, apply.

Files are made as staff make them: downloaded by a viewer from the schedule page, edited with
openpyxl (as in Excel) or as CSV text, saved as CP932 (Excel's "CSV (コンマ区切り)"), and
uploaded by the editor (田中 花子) through the admin.
"""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dataimport.models import ImportBatch
from projects import selectors
from projects.models import (
    BudgetLine,
    Concern,
    FiscalYearPlan,
    ProgrammeYear,
    ScheduleItem,
)

IMPORT_URL = "/admin/projects/scheduleitem/import/"
BUDGET1 = "予算額1（千円）"
BUDGET2 = "予算額2（千円）"
TOTAL = "予算額計（千円）"
R5_PLAN = "2023年度（令和5年度）の計画"  # the plan of fiscal 2023, as the preview names it
PLANS = "全体のスケジュール_計画(データ)"
CONCERNS = "全体のスケジュール_懸案(データ)"
HISTORIES = (ScheduleItem, BudgetLine, FiscalYearPlan, Concern)


# --- Helpers: the files staff make -------------------------------------------------------------


class Workbook:
    """The downloaded .xlsx, edited cell by cell as in Excel."""

    def __init__(self, content: bytes):
        self.book = openpyxl.load_workbook(io.BytesIO(content))
        self.ws = self.book.active
        self.header_row = 1

    @property
    def columns(self) -> dict[str, int]:
        cells = next(self.ws.iter_rows(min_row=self.header_row, max_row=self.header_row))
        return {cell.value: cell.column for cell in cells if cell.value}

    def row_of(self, name: str) -> int:
        column = self.columns["項目"]
        for row in range(self.header_row + 1, self.ws.max_row + 1):
            if self.ws.cell(row, column).value == name:
                return row
        raise KeyError(name)

    def set(self, name: str, column: str, value) -> None:
        self.ws.cell(self.row_of(name), self.columns[column]).value = value

    def item_id(self, name: str) -> int:
        return self.ws.cell(self.row_of(name), self.columns["項目ID"]).value

    def _replace_lines(self, title: str, name: str, keep, new_rows: list[list]) -> None:
        """Rewrite a long table's rows of one item (and year): as staff delete and add rows."""
        ws = self.book[title]
        header = [cell.value for cell in ws[1]]
        item_id = self.item_id(name) if name in self._names() else None
        rows = [
            [cell.value for cell in row]
            for row in ws.iter_rows(min_row=2)
            if not ((row[0].value == item_id if item_id else row[1].value == name) and keep(row))
        ]
        ws.delete_rows(2, ws.max_row)
        for values in [*rows, *new_rows]:
            ws.append(values)
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text stays text, as Excel keeps it
        assert header == [cell.value for cell in ws[1]]

    def _names(self) -> list[str]:
        column = self.columns["項目"]
        return [self.ws.cell(r, column).value for r in range(2, self.ws.max_row + 1)]

    def set_plan(self, name: str, year: int, lines: list[str]) -> None:
        """The item's plan for a fiscal year, one line a row (項目ID, 項目, 年度, …, 行番号, 計画)."""
        item_id = self.item_id(name) if name in self._names() else None
        self._replace_lines(
            PLANS,
            name,
            lambda row: row[2].value == year,
            [[item_id, name, year, "", n, text] for n, text in enumerate(lines, start=1)],
        )

    def set_concerns(self, name: str, lines: list[str]) -> None:
        item_id = self.item_id(name) if name in self._names() else None
        self._replace_lines(
            CONCERNS,
            name,
            lambda row: True,
            [[item_id, name, n, text] for n, text in enumerate(lines, start=1)],
        )

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.book.save(buffer)
        return buffer.getvalue()


class CsvSheet:
    """The downloaded CSV (UTF-8 with BOM), edited as text rows."""

    def __init__(self, content: bytes):
        assert content.startswith(b"\xef\xbb\xbf")
        self.rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))

    def index(self, column: str) -> int:
        return self.rows[0].index(column)

    def row_of(self, name: str) -> list[str]:
        return next(row for row in self.rows if row[2] == name)

    def set(self, name: str, column: str, value: str) -> None:
        self.row_of(name)[self.index(column)] = value

    def remove(self, name: str) -> None:
        self.rows.remove(self.row_of(name))

    def bytes(self, encoding: str = "utf-8-sig") -> bytes:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerows(self.rows)
        return buffer.getvalue().encode(encoding)


@pytest.fixture
def xlsx(viewer_client, source_data):
    response = viewer_client.get("/schedule/?export=xlsx")
    assert response.status_code == 200
    return Workbook(response.getvalue())


@pytest.fixture
def sheet(viewer_client, source_data):
    response = viewer_client.get("/schedule/?export=csv")
    assert response.status_code == 200
    return CsvSheet(response.getvalue())


def upload(client, filename: str, content: bytes, *, delete_missing: bool = False):
    """Upload as the browser does and follow to the preview (choosing deletion if asked)."""
    response = client.post(IMPORT_URL, {"file": SimpleUploadedFile(filename, content)})
    assert response.status_code == 302, response.content.decode()[:2000]
    query = "?delete_missing=1" if delete_missing else ""
    preview = client.get(response["Location"] + query)
    assert preview.status_code == 200
    return preview


def missing(preview) -> list[str]:
    return [change.label for change in preview.context["result"].missing]


def changes(preview) -> list:
    return [
        (c.kind, c.label, [(f.label, f.before, f.after) for f in c.fields])
        for c in preview.context["result"].changes
    ]


def errors(preview) -> list:
    return [(e.row, e.column, e.message) for e in preview.context["result"].errors]


def notices(preview) -> list[str]:
    return preview.context["result"].notices


def apply(client, preview, digest: str | None = None):
    digest = preview.context["result"].digest if digest is None else digest
    delete_missing = "1" if preview.context["result"].delete_missing else "0"
    return client.post(
        preview.wsgi_request.path,
        {"digest": digest, "delete_missing": delete_missing, "apply": "適用する"},
    )


def history_count() -> int:
    return sum(model.history.count() for model in HISTORIES)


# --- The round trip ----------------------------------------------------------------------------


def test_xlsx_round_trip_changes_a_budget_and_adds_a_plan(xlsx, editor_web, editor):
    xlsx.set("キャッシュレス", BUDGET1, 9000)
    xlsx.set("キャッシュレス", TOTAL, 9000)
    xlsx.set_plan("遠隔面談・相談", 2023, ["運用継続"])
    preview = upload(editor_web, "全体のスケジュール_編集.xlsx", xlsx.bytes())

    assert errors(preview) == []
    assert changes(preview) == [
        ("変更", "キャッシュレス", [(BUDGET1, "8,800", "9,000")]),
        ("変更", "遠隔面談・相談", [(R5_PLAN, "", "運用継続")]),
    ]
    html = preview.content.decode()
    assert "8,800 → 9,000" in html and "（なし） → 運用継続" in html
    assert 'value="適用する"' in html
    assert "「基準日」の列はダウンロードした日を示す参考情報のため、取り込みません。" in html
    assert ScheduleItem.objects.get(name="キャッシュレス").budget_lines.get().amount == 8800

    before = history_count()
    response = apply(editor_web, preview)
    assert response.status_code == 302
    assert response["Location"] == "/admin/projects/scheduleitem/"

    cashless = ScheduleItem.objects.get(name="キャッシュレス")
    assert cashless.budget_lines.get().amount == 9000
    remote = ScheduleItem.objects.get(name="遠隔面談・相談")
    assert remote.plans.get(year__start_year=2023).content == "運用継続"
    assert selectors.budget_total() == 187_397
    assert history_count() == before + 2  # exactly the two changes, nothing rewritten

    record = BudgetLine.history.filter(item_id=cashless.pk).latest("history_date")
    assert record.history_user == editor
    assert record.history_change_reason == "Excel取込：全体のスケジュール_編集.xlsx"
    page = editor_web.get(f"/schedule/items/{cashless.pk}/").content.decode()
    newest = page.split('id="history-heading"', 1)[1].split("<tbody>", 1)[1].split("</tr>")[0]
    assert "田中 花子" in newest and "8,800 → 9,000" in newest
    assert "Excel取込：全体のスケジュール_編集.xlsx" in newest
    assert "187,397" in editor_web.get("/schedule/").content.decode()

    batch = ImportBatch.objects.get()
    assert batch.uploaded_by == editor and batch.applied_at is not None
    assert batch.importer == "projects.schedule"
    assert batch.filename == "全体のスケジュール_編集.xlsx"
    assert batch.summary == "適用：2件の変更"


def test_a_total_that_disagrees_with_the_lines_is_an_error(xlsx, editor_web):
    """A stale or cut total is never guessed at: blank it, or make it the sum."""
    xlsx.set("キャッシュレス", BUDGET1, 9000)  # 予算額計 still shows 8800
    before = history_count()
    preview = upload(editor_web, "s.xlsx", xlsx.bytes())
    assert [(row, column) for row, column, _m in errors(preview)] == [(3, TOTAL)]
    assert history_count() == before
    xlsx.set("キャッシュレス", TOTAL, None)  # a blank total is computed
    preview = upload(editor_web, "s.xlsx", xlsx.bytes())
    assert errors(preview) == []
    assert changes(preview) == [("変更", "キャッシュレス", [(BUDGET1, "8,800", "9,000")])]


def test_csv_saved_as_cp932_keeps_names_only_cp932_has(sheet, editor_web, editor):
    with pytest.raises(UnicodeEncodeError):
        "髙".encode("shift_jis")  # why the reader must use cp932
    sheet.set("キャッシュレス", BUDGET1, "9000")
    sheet.set("キャッシュレス", TOTAL, "9000")
    sheet.set("連絡のデジタル化", "項目", "①連絡のデジタル化（髙橋係長・﨑山主任・㈱○○）")
    preview = upload(editor_web, "全体のスケジュール.csv", sheet.bytes("cp932"))

    assert preview.context["result"].source == "CSV（Shift_JIS（CP932））"
    assert changes(preview) == [
        ("変更", "キャッシュレス", [(BUDGET1, "8,800", "9,000")]),
        (
            "変更",
            "①連絡のデジタル化（髙橋係長・﨑山主任・㈱○○）",
            [("項目", "連絡のデジタル化", "①連絡のデジタル化（髙橋係長・﨑山主任・㈱○○）")],
        ),
    ]
    assert apply(editor_web, preview).status_code == 302
    assert ScheduleItem.objects.filter(name="①連絡のデジタル化（髙橋係長・﨑山主任・㈱○○）")
    record = ScheduleItem.history.filter(name__startswith="①").latest("history_date")
    assert record.history_user == editor
    assert record.history_change_reason == "Excel取込：全体のスケジュール.csv"


@pytest.mark.parametrize(
    ("encoding", "label"),
    [("utf-8-sig", "UTF-8・BOM付き"), ("utf-8", "UTF-8"), ("cp932", "Shift_JIS（CP932）")],
)
def test_unchanged_csv_in_each_encoding_has_no_changes(sheet, editor_web, encoding, label):
    preview = upload(editor_web, "s.csv", sheet.bytes(encoding))
    assert preview.context["result"].source == f"CSV（{label}）"
    assert errors(preview) == [] and changes(preview) == []
    html = preview.content.decode()
    assert "変更はありません" in html and 'value="適用する"' not in html


def test_unchanged_xlsx_has_no_changes_and_apply_writes_nothing(xlsx, editor_web):
    preview = upload(editor_web, "s.xlsx", xlsx.bytes())
    assert errors(preview) == [] and changes(preview) == []
    assert "変更はありません" in preview.content.decode()
    before = history_count()
    response = apply(editor_web, preview)
    assert "変更はありません。何も書き込みませんでした。" in response.content.decode()
    assert history_count() == before
    assert ImportBatch.objects.get().applied_at is None


# --- Errors: all listed, nothing written -------------------------------------------------------


def test_bad_rows_are_all_listed_and_nothing_is_written(xlsx, editor_web):
    assert xlsx.row_of("遠隔学習・講座") == 5
    xlsx.set("遠隔学習・講座", BUDGET1, "abc")
    xlsx.set("キャッシュレス", BUDGET1, -5)
    xlsx.set("キャッシュレス", TOTAL, None)
    xlsx.set_plan("遠隔面談・相談", 2023, ["運用継続"])  # a fine line: not written either
    preview = upload(editor_web, "s.xlsx", xlsx.bytes())

    assert errors(preview) == [
        (3, BUDGET1, "0以上の数で入力してください。"),
        (5, BUDGET1, "「abc」は数値として読めません。数字で入力してください。"),
    ]
    html = preview.content.decode()
    assert "5行目</td><td>「予算額1（千円）」" in html
    assert "場所：3行目「予算額1（千円）」、5行目「予算額1（千円）」" in html
    assert "エラーが2件あります。適用はできません。" in html
    assert 'value="適用する"' not in html

    before = history_count()
    response = apply(editor_web, preview, digest="forged")
    assert response.status_code == 200
    assert "エラーが2件あるため適用しませんでした。" in response.content.decode()
    assert history_count() == before
    assert not FiscalYearPlan.objects.filter(item__name="遠隔面談・相談", year__start_year=2023)
    assert BudgetLine.objects.get(item__name="キャッシュレス").amount == 8800


def test_a_decimal_budget_and_a_wrong_total_are_refused(xlsx, editor_web):
    xlsx.set("キャッシュレス", BUDGET1, 1.5)
    xlsx.set("オンライン窓口", TOTAL, 1)
    preview = upload(editor_web, "s.xlsx", xlsx.bytes())
    assert errors(preview) == [
        (3, BUDGET1, "「1.5」は整数ではありません。小数は入力できません。"),
        (
            4,
            TOTAL,
            "予算額計（1）が予算額の合計（32,215）と合いません。予算額1・予算額2…を確かめて"
            "ください。予算額計は予算額から計算するため、空欄にしても構いません。",
        ),
    ]


def test_unknown_values_and_identifiers_are_named(sheet, editor_web):
    sheet.set("キャッシュレス", "区分", "窓口")
    sheet.set("キャッシュレス", "状況", "検討中")
    sheet.set("オンライン窓口", "項目ID", "99")
    sheet.set("連絡のデジタル化", "項目ID", "5")  # 遠隔面談・相談's ID
    sheet.set("書類整理", "項目", "レイアウト変更")
    preview = upload(editor_web, "s.csv", sheet.bytes())
    found = errors(preview)
    assert (
        3,
        "区分",
        "「窓口」は登録されていません。次のいずれかを入力してください："
        "窓口フロントスタッフ、教育ICT、職員の生産性向上、業務継続。",
    ) in found
    assert any(row == 3 and col == "状況" and "完了予定" in msg for row, col, msg in found)
    assert (
        4,
        "項目ID",
        "項目ID「99」の項目はありません。新しい項目を追加するときは、項目IDを空欄にしてください。",
    ) in found
    assert (
        7,
        "項目ID",
        "項目ID「5」が6行目と重複しています。1つの項目は1行にしてください。",
    ) in found
    assert (9, "項目", "項目「レイアウト変更」が8行目と重複しています。") in found
    assert 'value="適用する"' not in preview.content.decode()


def test_inclusion_rules(sheet, editor_web):
    sheet.set("書類整理", "予算を含む項目", "書類整理")
    sheet.set("オンライン窓口", "予算を含む項目", "遠隔学習・講座")
    sheet.set("オンライン窓口", BUDGET1, "")
    sheet.set("オンライン窓口", TOTAL, "")
    sheet.set("電子決裁", "予算を含む項目", "存在しない項目")
    sheet.set("テレワーク環境", "予算を含む項目", "通信環境整備")
    preview = upload(editor_web, "s.csv", sheet.bytes())
    found = errors(preview)
    assert (9, "予算を含む項目", "自分自身を「予算を含む項目」にすることはできません。") in found
    assert any(
        "循環しています（オンライン窓口 → 遠隔学習・講座 → オンライン窓口）" in m for *_, m in found
    )
    assert (
        13,
        "予算を含む項目",
        "「存在しない項目」という項目はありません。ファイル内の項目名を入力してください。",
    ) in found
    assert any(
        row == 14 and col == "予算を含む項目" and m.startswith("予算を他の項目に含める場合")
        for row, col, m in found
    )


def test_a_plan_column_for_a_year_outside_the_programme_is_an_error(sheet, editor_web):
    for row in sheet.rows:
        # An older file's wide plan columns are still read: one for a year not registered.
        row.insert(sheet.index("基準日"), "令和6年度の計画" if row is sheet.rows[0] else "")
    preview = upload(editor_web, "s.csv", sheet.bytes())
    assert errors(preview) == [
        (
            1,
            "令和6年度の計画",
            "令和6年度は計画年度に登録されていません（登録済み：令和3年度、令和4年度、令和5年度）。"
            "先に計画年度を登録するか、この列を削除してください。",
        )
    ]


def test_a_missing_required_column_is_named(sheet, editor_web):
    column = sheet.index("状況")
    for row in sheet.rows:
        del row[column]
    preview = upload(editor_web, "s.csv", sheet.bytes())
    assert errors(preview) == [(1, "状況", "必須の列「状況」がありません。")]


# --- What files from city systems look like ----------------------------------------------------


def test_title_line_above_the_header_and_a_total_row_are_skipped_with_notices(xlsx, editor_web):
    xlsx.ws.insert_rows(1)
    xlsx.ws["A1"] = "全体のスケジュール（令和4年11月1日現在）"
    xlsx.header_row = 2
    last = xlsx.ws.max_row + 1
    xlsx.ws.cell(last, 1, "合計")
    xlsx.ws.cell(last, xlsx.columns[TOTAL], 187_197)
    xlsx.set("キャッシュレス", BUDGET1, 9000)
    xlsx.set("キャッシュレス", TOTAL, 9000)
    preview = upload(editor_web, "s.xlsx", xlsx.bytes())
    assert errors(preview) == []
    assert "1行目はタイトル行とみなして読み飛ばしました。" in notices(preview)
    assert f"{last}行目は合計行のため取り込みません（合計は予算額から計算されます）。" in notices(
        preview
    )
    assert changes(preview) == [("変更", "キャッシュレス", [(BUDGET1, "8,800", "9,000")])]
    assert preview.context["result"].changes[0].row == 4  # rows as Excel shows them
    assert apply(editor_web, preview).status_code == 302
    assert selectors.budget_total() == 187_397


def test_full_width_digits_separators_and_extra_columns(sheet, editor_web):
    sheet.set("キャッシュレス", BUDGET1, "９，０００")
    sheet.set("キャッシュレス", TOTAL, "9,000")
    sheet.rows[0].append("備考")
    for row in sheet.rows[1:]:
        row.append("メモ")
    preview = upload(editor_web, "s.csv", sheet.bytes())
    assert errors(preview) == []
    assert "列「備考」は取り込みの対象ではないため無視しました。" in notices(preview)
    assert changes(preview) == [("変更", "キャッシュレス", [(BUDGET1, "8,800", "9,000")])]


def test_formula_like_text_survives_the_round_trip(source_data, viewer_client, editor_web):
    item = ScheduleItem.objects.get(name="遠隔面談・相談")
    Concern.objects.create(item=item, text="=SUM(A1)は数式ではない", order=1)
    book = Workbook(viewer_client.get("/schedule/?export=xlsx").getvalue())
    concerns = book.book[CONCERNS]
    cell = next(row[3] for row in concerns.iter_rows(min_row=2) if row[3].value.startswith("="))
    assert (cell.value, cell.data_type) == ("=SUM(A1)は数式ではない", "s")  # text, not a formula
    preview = upload(editor_web, "s.xlsx", book.bytes())
    assert errors(preview) == [] and changes(preview) == []

    book.set_concerns("電子決裁", ["+81の番号に統一"])
    preview = upload(editor_web, "s.xlsx", book.bytes())
    assert changes(preview) == [
        (
            "変更",
            "電子決裁",
            [("懸案など", "総務、医療介護、教育部を先行で開始", "+81の番号に統一")],
        )
    ]
    assert apply(editor_web, preview).status_code == 302
    assert [c.text for c in Concern.objects.filter(item__name="電子決裁")] == ["+81の番号に統一"]


def test_formula_like_names_survive_the_csv_round_trip(sheet, editor_web):
    sheet.set("電子決裁", "項目", "'+81の番号に統一")  # as our CSV export writes it
    preview = upload(editor_web, "s.csv", sheet.bytes())
    assert changes(preview) == [
        ("変更", "+81の番号に統一", [("項目", "電子決裁", "+81の番号に統一")])
    ]


# --- Adding, reordering, removing --------------------------------------------------------------


def test_a_new_row_adds_an_item_at_its_place(xlsx, editor_web):
    """A new item has no ID yet: its plan lines name it by its name instead."""
    position = xlsx.row_of("連絡のデジタル化") + 1
    xlsx.ws.insert_rows(position)
    for column, value in {
        "区分": "教育ICT",
        "項目": "学校のオンライン手続",
        "状況": "継続",
        BUDGET1: 1200,
    }.items():
        xlsx.ws.cell(position, xlsx.columns[column]).value = value
    xlsx.set_plan("学校のオンライン手続", 2023, ["システム構築", "運用開始"])
    preview = upload(editor_web, "s.xlsx", xlsx.bytes())
    assert errors(preview) == []
    assert changes(preview) == [
        (
            "追加",
            "学校のオンライン手続",
            [
                ("区分", "", "教育ICT"),
                ("状況", "", "継続"),
                (BUDGET1, "", "1,200"),
                (R5_PLAN, "", "システム構築\n運用開始"),
            ],
        )
    ]
    assert apply(editor_web, preview).status_code == 302
    item = ScheduleItem.objects.get(name="学校のオンライン手続")
    assert (item.category.name, item.order, item.status.name) == ("教育ICT", 4, "継続")
    assert [line.amount for line in item.budget_lines.all()] == [1200]
    assert item.plans.get().lines == ["システム構築", "運用開始"]
    assert selectors.budget_total() == 187_197 + 1200


def test_row_order_within_a_category_sets_the_order(sheet, editor_web):
    rows = sheet.rows
    a, b = rows.index(sheet.row_of("キャッシュレス")), rows.index(sheet.row_of("オンライン窓口"))
    rows[a], rows[b] = rows[b], rows[a]
    preview = upload(editor_web, "s.csv", sheet.bytes())
    assert changes(preview) == [
        ("変更", "オンライン窓口", [("区分内の表示順", "3", "2")]),
        ("変更", "キャッシュレス", [("区分内の表示順", "2", "3")]),
    ]
    apply(editor_web, preview)
    names = [i.name for i in ScheduleItem.objects.filter(category__name="窓口フロントスタッフ")]
    assert names == ["申請書統合デジタル化（総合窓口）", "オンライン窓口", "キャッシュレス"]


def test_budget_lines_are_matched_by_position(sheet, editor_web):
    telework = ScheduleItem.objects.get(name="テレワーク環境")
    first, second = telework.budget_lines.all()
    second.label = "端末更新"
    second.save()
    sheet.set("テレワーク環境", BUDGET2, "40000")
    sheet.set("テレワーク環境", TOTAL, "43802")
    sheet.set("クラウドPBX", BUDGET2, "500")
    sheet.set("クラウドPBX", TOTAL, "")
    preview = upload(editor_web, "s.csv", sheet.bytes())
    assert changes(preview) == [
        ("変更", "クラウドPBX", [(BUDGET2, "", "500")]),
        ("変更", "テレワーク環境", [(BUDGET2, "42,004", "40,000")]),
    ]
    apply(editor_web, preview)
    second.refresh_from_db()
    assert (second.amount, second.label) == (40000, "端末更新")  # the line keeps its 内訳
    pbx = [line.amount for line in BudgetLine.objects.filter(item__name="クラウドPBX")]
    assert pbx == [16500, 500]

    sheet.set("テレワーク環境", BUDGET2, "")
    sheet.set("テレワーク環境", TOTAL, "")
    sheet.set("クラウドPBX", BUDGET2, "500")
    preview = upload(editor_web, "s.csv", sheet.bytes())
    assert changes(preview) == [("変更", "テレワーク環境", [(BUDGET2, "40,000", "")])]
    apply(editor_web, preview)
    assert [line.pk for line in telework.budget_lines.all()] == [first.pk]


def test_deleting_a_plans_lines_removes_the_plan(xlsx, editor_web):
    xlsx.set_plan("キャッシュレス", 2023, [])
    preview = upload(editor_web, "s.xlsx", xlsx.bytes())
    assert changes(preview) == [("変更", "キャッシュレス", [(R5_PLAN, "統一税QRコード対応", "")])]
    apply(editor_web, preview)
    assert not FiscalYearPlan.objects.filter(item__name="キャッシュレス", year__start_year=2023)


def test_an_item_missing_from_the_file_is_kept_unless_deletion_is_chosen(sheet, editor_web, editor):
    item = ScheduleItem.objects.get(name="書類整理")
    sheet.remove("書類整理")
    before = history_count()
    preview = upload(editor_web, "s.csv", sheet.bytes())
    assert errors(preview) == [] and changes(preview) == []
    assert missing(preview) == ["書類整理"]
    html = preview.content.decode()
    assert "ファイルにない項目（1件）" in html and "削除しません（そのまま残ります）" in html
    assert apply(editor_web, preview).status_code == 200  # nothing to apply
    assert ScheduleItem.objects.filter(name="書類整理").exists()
    assert history_count() == before

    preview = upload(editor_web, "s.csv", sheet.bytes(), delete_missing=True)
    assert errors(preview) == []
    assert changes(preview) == [
        (
            "削除",
            "書類整理",
            [
                ("区分", "職員の生産性向上", ""),
                ("状況", "継続", ""),
                ("2021年度（令和3年度）の計画", "50%削減目標書類整理", ""),
                ("2022年度（令和4年度）の計画", "書類整理", ""),
                ("懸案など", "継続した書類整理が必要", ""),
            ],
        )
    ]
    assert "ファイルにない1件を削除します。" in preview.content.decode()
    assert apply(editor_web, preview).status_code == 302
    assert not ScheduleItem.objects.filter(name="書類整理").exists()
    record = ScheduleItem.history.get(id=item.pk, history_type="-")
    assert record.history_user == editor
    assert record.history_change_reason == "Excel取込：s.csv"
    assert Concern.history.filter(item_id=item.pk, history_type="-").get().history_user == editor


def test_removing_an_item_another_is_included_in_is_refused(sheet, editor_web):
    sheet.remove("オンライン窓口")
    kept = upload(editor_web, "s.csv", sheet.bytes())  # not deleted: the inclusion stands
    assert errors(kept) == [] and changes(kept) == [] and missing(kept) == ["オンライン窓口"]
    preview = upload(editor_web, "s.csv", sheet.bytes(), delete_missing=True)
    assert errors(preview) == [
        (
            4,
            "予算を含む項目",
            "「オンライン窓口」はファイルにないため削除される項目です。この項目の予算を含んでいるため"
            "削除できません。削除しないなら「オンライン窓口」の行を残し、削除するならこの行の"
            "「予算を含む項目」を空欄にしてください。",
        )
    ]
    assert ScheduleItem.objects.filter(name="オンライン窓口").exists()

    sheet.set("遠隔学習・講座", "予算を含む項目", "")  # both together: allowed
    preview = upload(editor_web, "s.csv", sheet.bytes(), delete_missing=True)
    assert [(kind, label) for kind, label, _ in changes(preview)] == [
        ("変更", "遠隔学習・講座"),
        ("削除", "オンライン窓口"),
    ]
    apply(editor_web, preview)
    assert ScheduleItem.objects.get(name="遠隔学習・講座").included_in is None


def test_a_new_item_cannot_take_the_name_of_an_item_removed_from_the_file(sheet, editor_web):
    sheet.set("書類整理", "項目ID", "")
    sheet.remove("書類整理")
    sheet.rows.append([""] * len(sheet.rows[0]))
    for column, value in {"区分": "業務継続", "項目": "書類整理", "状況": "継続"}.items():
        sheet.rows[-1][sheet.index(column)] = value
    preview = upload(editor_web, "s.csv", sheet.bytes())
    assert errors(preview) == [
        (
            14,
            "項目",
            "項目「書類整理」は、ファイルにない既存の項目（項目ID 8）と同じ名前です。"
            "その項目の行なら、項目IDに「8」を入れてください。",
        )
    ]


# --- Concurrency, permissions, files refused --------------------------------------------------


def test_data_changed_after_the_preview_refuses_the_apply_and_shows_the_new_diff(xlsx, editor_web):
    xlsx.set("キャッシュレス", BUDGET1, 9000)
    xlsx.set("キャッシュレス", TOTAL, None)
    preview = upload(editor_web, "s.xlsx", xlsx.bytes())
    line = BudgetLine.objects.get(item__name="キャッシュレス")
    line.amount = 8900  # someone edits the item in the admin meanwhile
    line.save()

    response = apply(editor_web, preview)
    assert response.status_code == 200
    html = response.content.decode()
    assert "確認画面を表示した後にデータが変更されたため、適用を中止しました。" in html
    assert changes(response) == [("変更", "キャッシュレス", [(BUDGET1, "8,900", "9,000")])]
    line.refresh_from_db()
    assert line.amount == 8900

    assert apply(editor_web, response).status_code == 302  # the new preview can be applied
    line.refresh_from_db()
    assert line.amount == 9000
    response = apply(editor_web, response)
    assert "この取込はすでに適用済みです。" in response.content.decode()


def test_viewers_cannot_reach_the_import(xlsx, viewer_client, viewer, editor_web):
    preview = upload(editor_web, "s.xlsx", xlsx.bytes())
    path = preview.wsgi_request.path
    for url in (IMPORT_URL, path):
        response = viewer_client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    viewer.is_staff = True
    viewer.save()
    for url in (IMPORT_URL, path):
        assert viewer_client.get(url).status_code == 403
    response = viewer_client.post(IMPORT_URL, {"file": SimpleUploadedFile("s.xlsx", xlsx.bytes())})
    assert response.status_code == 403
    assert ImportBatch.objects.count() == 1
    assert (
        "Excel・CSVから取り込む"
        not in viewer_client.get("/admin/projects/scheduleitem/").content.decode()
    )


def test_another_editors_upload_is_not_theirs_to_apply(xlsx, editor_web, roles):
    from django.contrib.auth import get_user_model

    preview = upload(editor_web, "s.xlsx", xlsx.bytes())
    other = get_user_model().objects.create_user("sato", is_staff=True)
    other.groups.add(roles[0])
    client = Client()
    client.force_login(other)
    assert client.get(preview.wsgi_request.path).status_code == 404


def test_change_list_links_to_the_import(editor_web, source_data):
    html = editor_web.get("/admin/projects/scheduleitem/").content.decode()
    assert f'href="{IMPORT_URL}"' in html and "Excel・CSVから取り込む" in html
    page = editor_web.get(IMPORT_URL).content.decode()
    assert "Shift_JIS（CP932）" in page and 'href="/schedule/?export=xlsx"' in page


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("old.xls", b"\xd0\xcf\x11\xe0", "古い形式のExcelファイル（.xls）は読み込めません。"),
        (
            "notes.txt",
            b"abc",
            "読み込めるのはExcelファイル（.xlsx）とCSVファイル（.csv）だけです。",
        ),
        (
            "big.csv",
            b"x" * (5 * 1024 * 1024 + 1),
            "ファイルが大きすぎます（5.0MB）。5MBまでのファイルを選んでください。",
        ),
    ],
)
def test_files_that_cannot_be_imported_are_refused_at_upload(
    editor_web, filename, content, message
):
    response = editor_web.post(IMPORT_URL, {"file": SimpleUploadedFile(filename, content)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_broken_xlsx_is_reported_in_the_preview(editor_web, source_data):
    preview = upload(editor_web, "broken.xlsx", b"PK\x03\x04 not really a workbook")
    assert errors(preview) == [
        (
            None,
            None,
            "Excelファイル（.xlsx）として読めません。ファイルが壊れていないか確かめてください。",
        )
    ]


def test_years_are_read_from_programme_years(xlsx, editor_web):
    ProgrammeYear.objects.create(start_year=2024)
    preview = upload(editor_web, "s.xlsx", xlsx.bytes())
    assert errors(preview) == [] and changes(preview) == []
    xlsx.set_plan("キャッシュレス", 2024, ["統一税QRコードの運用"])
    preview = upload(editor_web, "s.xlsx", xlsx.bytes())
    assert changes(preview) == [
        ("変更", "キャッシュレス", [("2024年度（令和6年度）の計画", "", "統一税QRコードの運用")])
    ]


def test_a_plan_line_for_a_year_outside_the_programme_is_an_error(xlsx, editor_web):
    xlsx.set_plan("キャッシュレス", 2024, ["統一税QRコードの運用"])
    preview = upload(editor_web, "s.xlsx", xlsx.bytes())
    [(row, column, message)] = errors(preview)
    assert (row, column) == (xlsx.book[PLANS].max_row, "年度")
    assert message == (
        "シート「全体のスケジュール_計画(データ)」の令和6年度は計画年度に登録されていません"
        "（登録済み：令和3年度、令和4年度、令和5年度）。先に計画年度を登録してください。"
    )


def test_a_csv_leaves_plans_and_concerns_as_they_are(sheet, editor_web):
    """The CSV is the items' table alone: it says so, and changes no plan or concern."""
    preview = upload(editor_web, "s.csv", sheet.bytes())
    assert errors(preview) == [] and changes(preview) == []
    assert (
        "計画と懸案のシート（「全体のスケジュール_計画(データ)」「全体のスケジュール_懸案(データ)」）"
        "がないため、計画と懸案は変更しません。変更するときは.xlsxで取り込んでください。"
    ) in notices(preview)


def test_swapping_two_names_at_once_is_refused(sheet, editor_web):
    cashless, online = sheet.row_of("キャッシュレス"), sheet.row_of("オンライン窓口")
    cashless[2], online[2] = "オンライン窓口", "キャッシュレス"
    sheet.set("遠隔学習・講座", "予算を含む項目", "キャッシュレス")
    preview = upload(editor_web, "s.csv", sheet.bytes())
    assert [(row, column) for row, column, _ in errors(preview)] == [(3, "項目")]
    assert (
        "項目名の入れ替え（「オンライン窓口」「キャッシュレス」）は一度に取り込めません。"
        in (errors(preview)[0][2])
    )


def test_a_rename_chain_is_applied_in_a_safe_order(sheet, editor_web):
    sheet.set("キャッシュレス", "項目", "キャッシュレス決済")
    sheet.set("申請書統合デジタル化（総合窓口）", "項目", "キャッシュレス")
    preview = upload(editor_web, "s.csv", sheet.bytes())
    assert errors(preview) == []
    assert apply(editor_web, preview).status_code == 302
    assert ScheduleItem.objects.get(pk=2).name == "キャッシュレス決済"
    assert ScheduleItem.objects.get(pk=1).name == "キャッシュレス"


def test_removing_needs_the_delete_permission(sheet, source_data, roles):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user("yamada", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_scheduleitem", "change_scheduleitem"])
    )
    client = Client()
    client.force_login(user)
    sheet.remove("書類整理")
    preview = upload(client, "s.csv", sheet.bytes(), delete_missing=True)
    html = preview.content.decode()
    assert "この変更（追加・削除を含む）を適用する権限がありません。" in html
    assert 'value="適用する"' not in html
    assert apply(client, preview).status_code == 403
    assert ScheduleItem.objects.filter(name="書類整理").exists()


def test_concerns_are_compared_as_a_list_and_kept_by_text(xlsx, editor_web):
    layout = ScheduleItem.objects.get(name="レイアウト変更")
    ids = {c.text: c.pk for c in layout.concerns.all()}
    xlsx.set_concerns("レイアウト変更", ["効果の検証", "継続した働き方改革", "職員アンケート"])
    preview = upload(editor_web, "s.xlsx", xlsx.bytes())
    assert changes(preview) == [
        (
            "変更",
            "レイアウト変更",
            [
                (
                    "懸案など",
                    "継続した働き方改革\n効果の検証",
                    "効果の検証\n継続した働き方改革\n職員アンケート",
                )
            ],
        )
    ]
    apply(editor_web, preview)
    concerns = list(layout.concerns.all())
    assert [c.text for c in concerns] == ["効果の検証", "継続した働き方改革", "職員アンケート"]
    assert concerns[0].pk == ids["効果の検証"] and concerns[1].pk == ids["継続した働き方改革"]


def test_an_existing_item_can_be_included_in_a_new_item(sheet, editor_web):
    new = [""] * len(sheet.rows[0])
    for column, value in {"区分": "業務継続", "項目": "文書管理システム", "状況": "継続"}.items():
        new[sheet.index(column)] = value
    new[sheet.index(BUDGET1)] = "3000"
    sheet.rows.append(new)
    sheet.set("書類整理", "予算を含む項目", "文書管理システム")
    preview = upload(editor_web, "s.csv", sheet.bytes())
    assert [(kind, label) for kind, label, _ in changes(preview)] == [
        ("変更", "書類整理"),
        ("追加", "文書管理システム"),
    ]
    assert changes(preview)[0][2] == [("予算を含む項目", "", "文書管理システム")]
    assert apply(editor_web, preview).status_code == 302
    item = ScheduleItem.objects.get(name="書類整理")
    assert item.included_in.name == "文書管理システム"
    assert ScheduleItem.objects.get(name="文書管理システム").order == 5


def test_cp932_csv_round_trip_changes_a_budget(sheet, editor_web, editor):
    sheet.set("キャッシュレス", BUDGET1, "9,000")
    sheet.set("キャッシュレス", TOTAL, "9,000")
    preview = upload(editor_web, "全体のスケジュール.csv", sheet.bytes("cp932"))
    assert errors(preview) == []
    assert changes(preview) == [("変更", "キャッシュレス", [(BUDGET1, "8,800", "9,000")])]
    assert apply(editor_web, preview).status_code == 302
    assert selectors.budget_total() == 187_397
    remote = ScheduleItem.objects.get(name="遠隔面談・相談")
    assert not remote.plans.filter(year__start_year=2023).exists()  # plans: only in the .xlsx


def test_cp932_csv_with_a_bad_row_names_it_and_writes_nothing(sheet, editor_web):
    sheet.set("キャッシュレス", BUDGET1, "9,000")
    sheet.set("キャッシュレス", TOTAL, "")
    sheet.set("遠隔学習・講座", BUDGET1, "不明")
    preview = upload(editor_web, "全体のスケジュール.csv", sheet.bytes("cp932"))
    assert errors(preview) == [
        (5, BUDGET1, "「不明」は数値として読めません。数字で入力してください。")
    ]
    before = history_count()
    assert apply(editor_web, preview).status_code == 200
    assert history_count() == before
    assert selectors.budget_total() == 187_197


def test_a_long_tables_row_for_an_unknown_item_or_a_repeated_line_is_named(xlsx, editor_web):
    plans = xlsx.book[PLANS]
    plans.append([999, "存在しない項目", 2022, "", 1, "運用"])
    unknown_row = plans.max_row
    concerns = xlsx.book[CONCERNS]
    first = [cell.value for cell in concerns[2]]
    concerns.append(first)  # the same item's line 1 twice
    preview = upload(editor_web, "s.xlsx", xlsx.bytes())
    assert (
        unknown_row,
        "項目ID",
        "シート「全体のスケジュール_計画(データ)」の項目ID「999」は、シート「全体のスケジュール(データ)」"
        "にありません。新しい項目なら項目IDを空欄にして、項目名を同じにしてください。",
    ) in errors(preview)
    assert (
        concerns.max_row,
        "行番号",
        "シート「全体のスケジュール_懸案(データ)」の行番号1が2行目と重複しています。",
    ) in errors(preview)
    assert changes(preview) == []


def test_fiscal_years_are_read_as_the_sheets_write_them():
    from projects.imports import parse_fiscal_year, plan_year

    for text in ("2022", "2022年度", "2022年度（令和4年度）", "令和4年度", "令和4年度(2022年度)"):
        assert parse_fiscal_year(text) == 2022, text
    assert parse_fiscal_year("令和元年度") == 2019
    assert parse_fiscal_year("来年度") is None
    assert plan_year("2023年度（令和5年度）の計画") == plan_year("令和5年度の計画") == 2023
