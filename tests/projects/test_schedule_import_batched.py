"""Applying an import in batches: the history it leaves is the one row-by-row saves left, it is
all or nothing, and its query count does not grow with the number of rows changed.

The row-by-row writer below is the writer as it was (``instance.save()``/``delete()`` at once);
the same upload applied with it and with the batching ``Writer`` must leave the same records.
"""

import csv
import gc
import io

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.history import change_log
from dataimport import imports
from dataimport.imports import (
    Refused,
    RowByRowWriter,
    Writer,
    apply_batch,
    parsed_bytes,
    prepare_batch,
)
from dataimport.models import ImportBatch
from projects import selectors
from projects.imports import ScheduleImporter
from projects.models import (
    BudgetLine,
    Category,
    Concern,
    FiscalYearPlan,
    ProgrammeYear,
    ScheduleItem,
    Status,
)

HISTORIES = (ScheduleItem, BudgetLine, FiscalYearPlan, Concern)
BUDGET1 = "予算額1（千円）"
BUDGET2 = "予算額2（千円）"
TOTAL = "予算額計（千円）"
R4_PLAN = "令和4年度の計画"  # the older wide layout's headers, still read by the import
R5_PLAN = "令和5年度の計画"


class Sheet:
    """The downloaded CSV as rows of text, edited by column name."""

    def __init__(self, content: bytes):
        self.rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))

    def index(self, column: str) -> int:
        return self.rows[0].index(column)

    def row_of(self, name: str) -> list[str]:
        return next(row for row in self.rows if row[self.index("項目")] == name)

    def set(self, name: str, column: str, value: str) -> None:
        self.row_of(name)[self.index(column)] = value

    def add(self, **values: str) -> None:
        row = [""] * len(self.rows[0])
        for column, value in values.items():
            row[self.index(column)] = value
        self.rows.append(row)

    def bytes(self) -> bytes:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerows(self.rows)
        return buffer.getvalue().encode("utf-8-sig")


def download(client) -> Sheet:
    """The CSV export in the older wide layout the import still reads: a column per fiscal
    year's plan and one of concerns, one line per bullet (today's export has them as long
    tables in the .xlsx; this test is about batched writes, which the layout does not change)."""
    response = client.get("/schedule/?export=csv")
    assert response.status_code == 200
    sheet = Sheet(response.getvalue())
    years = list(ProgrammeYear.objects.order_by("start_year"))
    wide = [f"令和{year.start_year - 2018}年度の計画" for year in years] + ["懸案など"]
    position = sheet.index("基準日")
    sheet.rows[0][position:position] = wide
    for row in sheet.rows[1:]:
        item = ScheduleItem.objects.get(pk=int(row[0]))
        plans = {plan.year_id: plan.content for plan in item.plans.all()}
        concerns = "\n".join(c.text for c in item.concerns.all())
        row[position:position] = [plans.get(year.pk, "") for year in years] + [concerns]
    return sheet


def stage(user, content: bytes, filename: str = "一括.csv") -> ImportBatch:
    """An upload as the admin stores it (parsed once)."""
    batch = ImportBatch.objects.create(
        importer=ScheduleImporter.key, filename=filename, content=content, uploaded_by=user
    )
    batch.parsed = parsed_bytes(imports.read_upload(ScheduleImporter(), content, filename))
    batch.save(update_fields=["parsed"])
    return batch


def apply(user, batch, *, delete_missing: bool = False):
    preview = prepare_batch(ScheduleImporter(), batch, delete_missing=delete_missing)
    assert preview.errors == []
    return apply_batch(
        ScheduleImporter(), batch, user, preview.digest, delete_missing=delete_missing
    )


def history_counts() -> dict[str, int]:
    return {model.__name__: model.history.count() for model in HISTORIES}


def edited_sheet(client) -> Sheet:
    """Every kind of write: rename, status, budgets changed and added, plans changed, added and
    removed, concerns reordered, added and removed, new items (one included in another new
    one), and two removed items, one included in the other."""
    sheet = download(client)
    sheet.set("キャッシュレス", "項目", "キャッシュレス決済")
    sheet.set("キャッシュレス決済", R5_PLAN, "")
    sheet.set("キャッシュレス決済", R4_PLAN, "施設使用料へ拡大")
    sheet.set("テレワーク環境", BUDGET2, "40000")
    sheet.set("テレワーク環境", TOTAL, "")
    sheet.set("クラウドPBX", BUDGET2, "500")
    sheet.set("クラウドPBX", TOTAL, "")
    sheet.set("レイアウト変更", "懸案など", "効果の検証\n新しい懸案")
    sheet.set("遠隔面談・相談", "状況", "完了")
    sheet.set("遠隔面談・相談", R5_PLAN, "運用継続")
    sheet.add(
        区分="教育ICT", 項目="新しい学習基盤", 状況="継続", **{BUDGET1: "1200", R5_PLAN: "構築"}
    )
    sheet.add(
        区分="教育ICT",
        項目="学習基盤の端末",
        状況="継続",
        予算を含む項目="新しい学習基盤",
        懸案など="調達時期",
    )
    sheet.add(区分="業務継続", 項目="回線増強", 状況="継続", 予算を含む項目="クラウドPBX")
    for name in ("遠隔学習・講座", "オンライン窓口"):  # the first is included in the second
        sheet.rows.remove(sheet.row_of(name))
    return sheet


def records_since(marks: dict[str, int]) -> list[tuple]:
    """The history records written after ``marks`` (the highest history_id per model), as
    what they say: model, type, user, reason and values, items named rather than numbered
    (new items' ids differ between two runs on PostgreSQL)."""
    names = {r.id: r.name for r in ScheduleItem.history.order_by("history_date", "history_id")}
    found = []
    for model in HISTORIES:
        for record in model.history.filter(history_id__gt=marks[model.__name__]):
            values = []
            for f in model.history.model.tracked_fields:
                value = getattr(record, f.attname)
                if f.primary_key:
                    value = names[value] if model is ScheduleItem else None
                elif f.is_relation and f.related_model is ScheduleItem and value is not None:
                    value = names[value]
                values.append((f.attname, value))
            found.append(
                (
                    model.__name__,
                    record.history_type,
                    record.history_user_id,
                    record.history_change_reason,
                    tuple(values),
                )
            )
    return sorted(found, key=repr)


def change_logs(names: list[str]) -> dict[str, list[tuple]]:
    """The item pages' change logs, without the times (the batched writes share theirs)."""
    logs = {}
    for name in names:
        item_id = ScheduleItem.history.filter(name=name).latest("history_id").id
        logs[name] = sorted(
            (
                (c.user, c.action, c.subject, c.object_label, c.reason, tuple(c.fields))
                for c in change_log(selectors.item_histories(item_id))
            ),
            key=repr,
        )
    return logs


def applied_with(monkeypatch, writer_class, editor, content: bytes):
    """Apply ``content`` with ``writer_class``; what it recorded; then undo it all."""
    with transaction.atomic():
        marks = {
            model.__name__: model.history.order_by("-history_id")
            .values_list("history_id", flat=True)
            .first()
            or 0
            for model in HISTORIES
        }
        with monkeypatch.context() as patch:
            patch.setattr(imports, "Writer", writer_class)
            started = timezone.now()
            result = apply(editor, stage(editor, content), delete_missing=True)
            finished = timezone.now()
        dates = [
            date
            for model in HISTORIES
            for date in model.history.filter(history_id__gt=marks[model.__name__]).values_list(
                "history_date", flat=True
            )
        ]
        assert dates and all(started <= date <= finished for date in dates)
        touched = [
            "キャッシュレス決済",
            "テレワーク環境",
            "クラウドPBX",
            "レイアウト変更",
            "遠隔面談・相談",
            "新しい学習基盤",
            "学習基盤の端末",
            "回線増強",
            "遠隔学習・講座",
            "オンライン窓口",
        ]
        state = (
            result.summary,
            records_since(marks),
            change_logs(touched),
            sorted(ScheduleItem.objects.values_list("name", "order", "included_in__name")),
            selectors.budget_total(),
        )
        transaction.set_rollback(True)
    return state


def test_a_batched_apply_records_the_history_row_by_row_saves_recorded(
    monkeypatch, viewer_client, source_data, editor
):
    content = edited_sheet(viewer_client).bytes()
    before = history_counts()
    row_by_row = applied_with(monkeypatch, RowByRowWriter, editor, content)
    assert history_counts() == before  # undone
    batched = applied_with(monkeypatch, Writer, editor, content)

    summary, records, logs, _items, _total = batched
    assert summary == "11件の変更（追加3件・変更6件・削除2件）"
    assert batched == row_by_row
    # What the records say, read as the item page shows them.
    assert {(user, reason) for _m, _t, user, reason, _v in records} == {
        (editor.pk, "Excel取込：一括.csv")
    }
    types = {}
    for model, history_type, *_rest in records:
        types.setdefault(model, []).append(history_type)
    # 3 added; renamed, status changed, renumbered (連絡のデジタル化); 2 removed
    assert sorted(types["ScheduleItem"]) == ["+", "+", "+", "-", "-", "~", "~", "~"]
    assert sorted(types["Concern"]).count("-") == 1 + 1 + 1  # レイアウト変更, and the removed
    newest = logs["キャッシュレス決済"]
    assert (
        "田中 花子",
        "変更",
        "スケジュール項目",
        "キャッシュレス決済",
        "Excel取込：一括.csv",
    ) in {entry[:5] for entry in newest}
    renamed = next(e for e in newest if e[1] == "変更" and e[2] == "スケジュール項目")
    assert ("項目", "キャッシュレス", "キャッシュレス決済") in {
        (f.label, f.before, f.after) for f in renamed[5]
    }
    telework = next(e for e in logs["テレワーク環境"] if e[1] == "変更")
    assert [(f.label, f.before, f.after) for f in telework[5]] == [
        ("予算額（千円）", "42,004", "40,000")
    ]
    removed = {e[2] for e in logs["オンライン窓口"] if e[1] == "削除"}
    assert removed == {"スケジュール項目", "予算", "年度計画", "懸案"}


def test_the_writer_counts_the_rows_it_wrote(monkeypatch, viewer_client, source_data, editor):
    content = edited_sheet(viewer_client).bytes()
    writers = []

    class Kept(Writer):
        def __init__(self, *args):
            super().__init__(*args)
            writers.append(self)

    monkeypatch.setattr(imports, "Writer", Kept)
    before = {model: model.history.count() for model in HISTORIES}
    deleted_before = sum(m.history.filter(history_type="-").count() for m in HISTORIES)
    apply(editor, stage(editor, content), delete_missing=True)
    (writer,) = writers
    written = sum(model.history.count() - before[model] for model in HISTORIES)
    deleted = sum(m.history.filter(history_type="-").count() for m in HISTORIES) - deleted_before
    assert (writer.saved, writer.deleted, writer.pending) == (written - deleted, deleted, 0)
    assert writer.deleted == 2 + 1 + 6 + 3  # 2 items, 1 budget line, 6 plans, 3 concerns


def test_an_integrity_error_in_the_middle_writes_nothing(
    monkeypatch, viewer_client, source_data, editor
):
    """The items are written, then the budget lines fail: all of it is rolled back."""
    sheet = edited_sheet(viewer_client)
    original = ScheduleImporter._write_plans
    calls = []

    def failing(entry, years, writer):
        original(entry, years, writer)
        calls.append(entry)
        if len(calls) == 5:  # a line the database refuses, queued among the good ones
            writer.save(BudgetLine(item=entry.instance, amount=-1, order=99))

    monkeypatch.setattr(ScheduleImporter, "_write_plans", staticmethod(failing))
    items_before = sorted(ScheduleItem.objects.values_list("pk", "name", "status__name", "order"))
    lines_before = sorted(BudgetLine.objects.values_list("pk", "item_id", "amount"))
    before = history_counts()
    batch = stage(editor, sheet.bytes())
    with pytest.raises(Refused) as refused:
        apply(editor, batch, delete_missing=True)
    assert refused.value.message.startswith("保存できなかったため、何も書き込みませんでした")
    assert refused.value.result is not None and refused.value.result.changes
    assert history_counts() == before
    assert sorted(ScheduleItem.objects.values_list("pk", "name", "status__name", "order")) == (
        items_before
    )
    assert sorted(BudgetLine.objects.values_list("pk", "item_id", "amount")) == lines_before
    batch.refresh_from_db()
    assert batch.applied_at is None
    assert gc.isenabled()  # paused during the apply, back after a refusal too

    monkeypatch.setattr(ScheduleImporter, "_write_plans", staticmethod(original))
    apply(editor, batch, delete_missing=True)  # the same upload applies once the fault is gone
    assert ScheduleItem.objects.filter(name="キャッシュレス決済").exists()


def add_items(count: int) -> None:
    """``count`` items, each with a budget line and a plan (no history needed here)."""
    category = Category.objects.get(name="業務継続")
    status = Status.objects.get(name="継続")
    year = ProgrammeYear.objects.get(start_year=2023)
    items = ScheduleItem.objects.bulk_create(
        ScheduleItem(category=category, status=status, name=f"追加項目{n:05}", order=100 + n)
        for n in range(count)
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(item=item, amount=1000 + n, order=1) for n, item in enumerate(items)
    )
    FiscalYearPlan.objects.bulk_create(
        FiscalYearPlan(item=item, year=year, content="構築") for item in items
    )


def apply_queries(viewer_client, editor, count: int) -> tuple[int, int]:
    """Queries (all, and reads) to apply a file changing the budget and the plan of ``count``
    items."""
    add_items(count)
    sheet = download(viewer_client)
    changed = 0
    for row in sheet.rows[1:]:
        if row[sheet.index("項目")].startswith("追加項目"):
            row[sheet.index(BUDGET1)] = str(int(row[sheet.index(BUDGET1)]) + 1)
            row[sheet.index(TOTAL)] = ""
            row[sheet.index(R5_PLAN)] = "構築\n運用"
            changed += 1
    assert changed == count
    batch = stage(editor, sheet.bytes())
    preview = prepare_batch(ScheduleImporter(), batch)
    mark = BudgetLine.history.order_by("-history_id").values_list("history_id", flat=True)[0]
    with CaptureQueriesContext(connection) as queries:
        result = apply_batch(ScheduleImporter(), batch, editor, preview.digest)
    assert result.count("変更") == count
    recorded = BudgetLine.history.filter(history_id__gt=mark).values_list(
        "id", "amount", "history_type", "history_user", "history_change_reason"
    )
    live = BudgetLine.objects.filter(item__name__startswith="追加項目").values_list("id", "amount")
    assert sorted(recorded) == sorted(
        (pk, amount, "~", editor.pk, "Excel取込：一括.csv") for pk, amount in live
    )
    reads = sum(1 for q in queries.captured_queries if q["sql"].startswith("SELECT"))
    return len(queries), reads


def test_the_queries_of_an_apply_do_not_grow_with_its_rows(viewer_client, source_data, editor):
    small, small_reads = apply_queries(viewer_client, editor, 100)
    ScheduleItem.objects.filter(name__startswith="追加項目").delete()
    large, large_reads = apply_queries(viewer_client, editor, 1000)
    # A handful of statements, whatever the rows: on PostgreSQL the apply also takes its advisory
    # locks (per importer and per model), and the long tables' plans are read with the items.
    assert small <= 32, small
    # Nothing is read row by row: the same reads for 1,000 rows as for 100.
    assert large_reads == small_reads
    # The writes come in batches: 4 of them (the budget lines' and the plans' updates and
    # their history), each at most one statement per 100 rows (SQLite takes 999 parameters a
    # statement, Django fills it; PostgreSQL takes Writer.batch_size rows).
    assert large <= small + 4 * (1000 - 100) // 100, (small, large)
