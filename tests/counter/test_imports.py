"""Importing receptions and payments as city systems write them: admin upload → preview →
apply, and the nightly command; every encoding and .xlsx; re-import without doubling; bad
files refused with row and column and nothing written; all or nothing."""

import datetime as dt
import io
import sys

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, transaction

from core.history import AsOf
from counter import selectors, services
from counter.models import CashlessPayment, Reception, ReceptionTally, Site
from counter.selectors import CounterFilter

pytestmark = pytest.mark.django_db

RECEPTIONS_URL = "/admin/counter/reception/import/"
PAYMENTS_URL = "/admin/counter/cashlesspayment/import/"
DAY = dt.date(2022, 10, 24)  # the first working day after the source period
AFTER = CounterFilter(DAY, DAY)

HEADER = "受付日,受付時刻,窓口,手続き,処理"
GOOD = [
    "総合窓口 受付データ（令和4年10月24日）",
    HEADER,
    "R4.10.24,8:35,本庁,住民票,総合窓口",
    "令和4年10月24日,10:15,本庁,納税相談,担当課へ引継ぎ",
    "２０２２/１０/２４,１３:４０,本庁,,総合窓口",
    "2022-10-24,14:05,本庁,転入,総合窓口",
    "合計,4,,,",
]


def csv_bytes(lines, encoding="utf-8-sig") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(lines) -> bytes:
    book = openpyxl.Workbook()
    for line in lines:
        book.active.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, url, filename, content):
    response = client.post(url, {"file": SimpleUploadedFile(filename, content)})
    assert response.status_code == 302, response.content.decode()[:2000]
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    return preview


def apply(client, preview):
    return client.post(
        preview.wsgi_request.path,
        {"digest": preview.context["result"].digest, "delete_missing": "0", "apply": "適用する"},
    )


def result(preview):
    return preview.context["result"]


def errors(preview):
    return [(e.row, e.column, e.message) for e in result(preview).errors]


def totals(day_filter=AFTER):
    t = selectors.reception_totals(AsOf(dt.date(2026, 1, 1)), day_filter)
    return t.received, t.handled


@pytest.mark.parametrize(
    "filename, content",
    [
        ("受付.csv", csv_bytes(GOOD, "utf-8-sig")),
        ("受付.csv", csv_bytes(GOOD, "utf-8")),
        ("受付.csv", csv_bytes(GOOD, "cp932")),
        ("受付.xlsx", xlsx_bytes(GOOD)),
    ],
    ids=["utf-8-bom", "utf-8", "cp932", "xlsx"],
)
def test_a_reception_file_in_every_encoding_is_read_and_applied_once(
    source_data, editor_web, filename, content
):
    preview = upload(editor_web, RECEPTIONS_URL, filename, content)
    assert errors(preview) == []
    changes = [
        (c.kind, c.label, [(f.label, f.before, f.after) for f in c.fields])
        for c in result(preview).changes
    ]
    assert changes == [
        (
            "追加",
            "本庁 令和4年10月24日",
            [("受付件数", "", "4"), ("うち総合窓口での処理件数", "", "3")],
        )
    ]
    notices = " ".join(result(preview).notices)
    assert "タイトル行" in notices and "合計行" in notices
    assert apply(editor_web, preview).status_code == 302
    assert totals() == (4, 3)
    assert Reception.objects.count() == 4
    # The same file again: nothing changes, nothing doubles.
    again = upload(editor_web, RECEPTIONS_URL, filename, content)
    assert result(again).changes == [] and errors(again) == []
    assert totals() == (4, 3)


def test_a_corrected_file_replaces_its_days_and_leaves_the_others(source_data, editor_web):
    apply(editor_web, upload(editor_web, RECEPTIONS_URL, "a.csv", csv_bytes(GOOD)))
    before_source = totals(CounterFilter.source_period())
    corrected = [
        HEADER,
        "R4.10.24,9:00,本庁,住民票,担当課へ引継ぎ",
        "R4.10.25,9:00,本庁,住民票,総合窓口",
    ]
    preview = upload(editor_web, RECEPTIONS_URL, "b.csv", csv_bytes(corrected))
    kinds = [(c.kind, c.label) for c in result(preview).changes]
    assert kinds == [("変更", "本庁 令和4年10月24日"), ("追加", "本庁 令和4年10月25日")]
    apply(editor_web, preview)
    assert totals() == (1, 0)
    assert totals(CounterFilter(DAY, dt.date(2022, 10, 25))) == (2, 1)
    assert totals(CounterFilter.source_period()) == before_source == (13796, 8061)


def test_bad_cells_are_named_by_row_and_column_and_nothing_is_written(source_data, editor_web):
    lines = [
        HEADER,
        "R4.5.6,9:00,本庁,住民票,総合窓口",  # before 本庁's counter opened (2022-05-09)
        "2030-01-07,9:00,本庁,住民票,総合窓口",  # in the future
        "R4.10.24,9:00,宇和支所,住民票,総合窓口",  # unknown site
        "R4.10.24,9:00,本庁,パスポート,総合窓口",  # unknown service
        "R4.10.24,25:00,本庁,住民票,総合窓口",  # no such time
        "R4.2.30,9:00,本庁,住民票,総合窓口",  # no such day
        "R4.10.24,9:00,本庁,住民票,たぶん",  # unknown handling
        "R4.10.24,9:00,野村支所,住民票,総合窓口",  # a branch whose counter has not opened
    ]
    preview = upload(editor_web, RECEPTIONS_URL, "bad.csv", csv_bytes(lines))
    found = errors(preview)
    assert sorted((r, c) for r, c, _m in found) == [
        (2, "受付日"), (3, "受付日"), (4, "窓口"), (5, "手続き"), (6, "受付時刻"),
        (7, "受付日"), (8, "処理"), (9, "受付日"),
    ]  # fmt: skip
    messages = {(row, column): message for row, column, message in found}
    assert "開設日（令和4年5月9日）より前" in messages[2, "受付日"]
    assert "未来の日付" in messages[3, "受付日"]
    assert "「宇和支所」は登録されていません" in messages[4, "窓口"]
    assert "「R4.2.30」という日付はありません" in messages[7, "受付日"]
    assert "まだ開設されていません" in messages[9, "受付日"]
    assert not result(preview).can_apply
    assert Reception.objects.count() == 0


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "空"),
        (csv_bytes([HEADER, 'R4.10.24,9:00,"本庁,住民票,総合窓口']), "引用符"),
        (csv_bytes([HEADER, "R4.10.24,9:00,本庁,住民票,総合窓口"])[:-2], "改行で終わっていません"),
        (csv_bytes([HEADER, "R4.10.24,9:00,本庁"]), "列しかありません"),
        (csv_bytes(["日付,時刻,場所,処理", "R4.10.24,9:00,本庁,総合窓口"]), "受付日"),
        ("受付日,受付時刻,窓口,手続き,処理\r\n".encode() + b"\x81\x20\r\n", "文字コード"),
    ],
    ids=["empty", "open-quote", "truncated", "short-row", "header", "encoding"],
)
def test_malformed_files_are_refused_with_a_message(source_data, editor_web, content, message):
    response = editor_web.post(RECEPTIONS_URL, {"file": SimpleUploadedFile("x.csv", content)})
    if response.status_code == 302:
        preview = editor_web.get(response["Location"])
        text = " ".join(str(e) for e in result(preview).errors)
        assert not result(preview).can_apply
    else:
        text = response.content.decode()
    assert message in text
    assert Reception.objects.count() == 0


def test_a_failure_while_applying_writes_nothing(source_data, editor_web, monkeypatch):
    preview = upload(editor_web, RECEPTIONS_URL, "a.csv", csv_bytes(GOOD))

    def fail(load):
        raise IntegrityError("injected failure after the receptions were inserted")

    monkeypatch.setattr(services.ReceptionLoad, "finish", fail)
    response = apply(editor_web, preview)
    assert response.status_code == 200
    assert "何も書き込みませんでした" in response.content.decode()
    assert Reception.objects.count() == 0
    assert totals() == (0, 0)


def test_the_tally_refuses_more_handled_than_received_in_the_database(source_data):
    site = Site.objects.get(name="本庁")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReceptionTally.objects.create(site=site, day=DAY, received=1, handled=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReceptionTally.objects.create(site=site, day=DAY, received=3, handled=1, r09=1, h09=2)
    assert not ReceptionTally.objects.filter(day=DAY).exists()


# --- The nightly command --------------------------------------------------------------------


def write(tmp_path, name, content: bytes):
    path = tmp_path / name
    path.write_bytes(content)
    return path


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp932"])
def test_the_command_streams_a_file_and_does_not_double_it(source_data, tmp_path, encoding):
    path = write(tmp_path, "受付.csv", csv_bytes(GOOD, encoding))
    out = io.StringIO()
    call_command("import_receptions", str(path), stdout=out)
    assert "受付4件（1日・窓口分）を取り込みました" in out.getvalue()
    call_command("import_receptions", str(path), stdout=io.StringIO())
    assert totals() == (4, 3)
    assert Reception.objects.count() == 4


def test_the_command_reads_xlsx(source_data, tmp_path):
    call_command(
        "import_receptions",
        str(write(tmp_path, "受付.xlsx", xlsx_bytes(GOOD))),
        stdout=io.StringIO(),
    )
    assert totals() == (4, 3)


def test_the_command_refuses_a_bad_row_and_writes_nothing(source_data, tmp_path):
    lines = (
        [HEADER] + ["R4.10.24,9:00,本庁,住民票,総合窓口"] * 3000 + ["R4.10.24,9:00,本庁,住民票,ー"]
    )
    path = write(tmp_path, "受付.csv", csv_bytes(lines))
    with pytest.raises(CommandError) as refused:
        call_command("import_receptions", str(path), stdout=io.StringIO())
    assert "3002行目「処理」" in str(refused.value)
    assert "何も書き込みませんでした" in str(refused.value)
    assert Reception.objects.count() == 0


def test_the_command_writes_nothing_when_the_database_fails_mid_file(
    source_data, tmp_path, monkeypatch
):
    lines = [HEADER] + ["R4.10.24,9:00,本庁,住民票,総合窓口"] * 12000
    path = write(tmp_path, "受付.csv", csv_bytes(lines))
    calls = {"n": 0}
    original = services.ReceptionLoad.insert

    def failing(load, rows):
        def counted():
            for row in rows:
                calls["n"] += 1
                if calls["n"] == 7000:  # after the first batch was inserted
                    raise DatabaseError("injected failure mid-file")
                yield row

        return original(load, counted())

    monkeypatch.setattr(services.ReceptionLoad, "insert", failing)
    with pytest.raises(DatabaseError):
        call_command("import_receptions", str(path), stdout=io.StringIO())
    assert Reception.objects.count() == 0


def test_the_command_refuses_a_truncated_or_undecodable_file(source_data, tmp_path):
    cut = write(tmp_path, "cut.csv", csv_bytes(GOOD)[:-2])
    with pytest.raises(CommandError, match="改行で終わっていません"):
        call_command("import_receptions", str(cut), stdout=io.StringIO())
    bad = write(tmp_path, "bad.csv", csv_bytes([HEADER]) + b"R4.10.24,9:00,\x81\x20,,\r\n")
    with pytest.raises(CommandError, match="読めない文字"):
        call_command("import_receptions", str(bad), stdout=io.StringIO())
    assert Reception.objects.count() == 0


# --- Cashless payments ----------------------------------------------------------------------

PAY_HEADER = "決済日,窓口,決済手段,支払の内容,件数,金額（円）"


def test_payments_are_added_then_changed_in_place_never_doubled(source_data, editor_web, editor):
    lines = [PAY_HEADER, "R4.10.24,本庁,PayPay,窓口手数料,3,900", "R4.10.24,本庁,d払い,,1,300"]
    preview = upload(editor_web, PAYMENTS_URL, "pay.csv", csv_bytes(lines, "cp932"))
    assert errors(preview) == []
    assert [c.kind for c in result(preview).changes] == ["追加", "追加"]
    apply(editor_web, preview)
    after = selectors.cashless(AsOf(dt.date(2026, 1, 1)), AFTER)
    assert (after.count, after.amount) == (4, 1200)
    assert result(upload(editor_web, PAYMENTS_URL, "pay.csv", csv_bytes(lines))).changes == []
    lines[1] = "R4.10.24,本庁,PayPay,窓口手数料,4,1200"
    preview = upload(editor_web, PAYMENTS_URL, "pay2.csv", csv_bytes(lines))
    assert [
        (c.kind, [(f.label, f.before, f.after) for f in c.fields]) for c in result(preview).changes
    ] == [("変更", [("件数", "3", "4"), ("金額（円）", "900", "1,200")])]
    apply(editor_web, preview)
    after = selectors.cashless(AsOf(dt.date(2026, 1, 1)), AFTER)
    assert (after.count, after.amount) == (5, 1500)
    payment = CashlessPayment.objects.get(paid_on=DAY, method__name="PayPay")
    assert payment.history.first().history_user == editor


def test_bad_payments_are_refused_by_row_and_column(source_data, editor_web):
    lines = [
        PAY_HEADER,
        "R4.10.24,本庁,PayPay,窓口手数料,-1,300",  # negative count
        "R4.10.24,本庁,LINE Pay,窓口手数料,1,300",  # unknown method
        "R4.10.24,本庁,auPay,窓口手数料,0,300",  # an amount without a payment
        "R4.10.24,本庁,d払い,窓口手数料,1,300",
        "R4.10.24,本庁,d払い,窓口手数料,2,600",  # the same key twice
        "R4.10.24,本庁,PayPay,寄付,1,300",  # unknown purpose
        "R4.10.24,本庁,PayPay,施設使用料,1,△300",  # negative amount
    ]
    preview = upload(editor_web, PAYMENTS_URL, "pay.csv", csv_bytes(lines))
    assert sorted((r, c) for r, c, _m in errors(preview)) == [
        (2, "件数"), (3, "決済手段"), (4, "金額（円）"), (6, "決済日"), (7, "支払の内容"), (8, "金額（円）"),
    ]  # fmt: skip
    assert CashlessPayment.objects.filter(paid_on=DAY).count() == 0


def test_a_second_file_over_the_same_days_keeps_its_own_rows(source_data, tmp_path):
    """Regression (found by benchmarks/counter_scale.py): on SQLite 3.40 after ANALYZE,
    deleting the old rows of the file's days with ``id <= last old id`` through the (site, day)
    index deleted the new rows too."""
    sys.path.insert(0, str(settings.BASE_DIR / "benchmarks"))
    import counter_scale

    Site.objects.bulk_create(
        Site(name=name, kind="branch", counter_opened_on=counter_scale.FIRST_DAY, order=100 + i)
        for i, name in enumerate(counter_scale.site_names())
    )
    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    counter_scale.write_csv(small, 2_000)
    counter_scale.write_csv(large, 20_000)
    call_command("import_receptions", str(small), stdout=io.StringIO())
    call_command("import_receptions", str(large), stdout=io.StringIO())
    names = dict(Site.objects.values_list("name", "id"))
    large_days = {
        (names[r[2]], dt.date.fromisoformat(r[0])) for r in counter_scale.generate(20_000)
    }
    kept = sum(
        1
        for r in counter_scale.generate(2_000)
        if (names[r[2]], dt.date.fromisoformat(r[0])) not in large_days
    )
    assert Reception.objects.count() == 20_000 + kept


def test_the_readme_sample_file_is_read_without_errors(source_data):
    out = io.StringIO()
    path = settings.BASE_DIR / "docs" / "counter_receptions_sample.csv"
    call_command("import_receptions", str(path), "--dry-run", stdout=out)
    assert "受付4件（1日・窓口分）を確認しました（書き込みなし）" in out.getvalue()
    assert "1行目（タイトル行）" in out.getvalue() and "7行目（合計行）" in out.getvalue()
    assert Reception.objects.count() == 0
