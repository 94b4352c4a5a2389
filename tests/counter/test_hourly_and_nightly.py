"""Hourly tallies (systems that give only counts per hour) from the admin and the nightly
command, and the nightly commands for payments and receptions: every encoding and .xlsx, the
same file twice never doubling, bad files refused by row and column with nothing written, a
failure injected mid-write leaving nothing, and the exit codes."""

import datetime as dt
import io
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import CommandError, ManagementUtility, call_command
from django.db import DatabaseError

from core.history import AsOf
from counter import imports, selectors, services
from counter.models import CashlessPayment, Reception, ReceptionTally
from counter.parsing import parse_hour
from dataimport.imports import CellError

from .test_imports import (
    AFTER,
    DAY,
    GOOD,
    apply,
    csv_bytes,
    errors,
    result,
    totals,
    upload,
    write,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

HOURLY_URL = "/admin/counter/receptiontally/import/"
HOURLY_HEADER = "受付日,時間帯,窓口,受付件数,うち総合窓口での処理件数"
HOURLY = [
    "総合窓口 時間帯別受付件数（令和4年10月24日）",
    HOURLY_HEADER,
    "R4.10.24,8時台,本庁,5,3",
    "R4.10.24,9:00-10:00,本庁,12,7",
    "令和4年10月24日,10,本庁,１８,１１",
    "2022/10/24,13:00～13:59,本庁,15,9",
    "2022-10-24,14時,本庁,14,8",
    "合計,,,64,38",
]
PAY_HEADER = "決済日,窓口,決済手段,支払の内容,件数,金額（円）"
PAYMENTS = [
    "キャッシュレス決済（令和4年10月24日）",
    PAY_HEADER,
    "R4.10.24,本庁,PayPay,窓口手数料,3,900",
    "令和4年10月24日,本庁,d払い,,１,３００",
    '2022-10-24,本庁,auPay,窓口手数料,2,"1,200"',
    '合計,,,,6,"2,400"',
]


def as_file(lines, kind: str) -> tuple[str, bytes]:
    if kind == "xlsx":
        return "f.xlsx", xlsx_bytes([line.replace('"1,200"', "1200") for line in lines])
    return "f.csv", csv_bytes(lines, kind)


def hours_of(day=DAY):
    tally = ReceptionTally.objects.get(site__name="本庁", day=day)
    return {h: (getattr(tally, f"r{h:02d}"), getattr(tally, f"h{h:02d}")) for h in range(24)}


def run(command, path) -> str:
    out = io.StringIO()
    call_command(command, str(path), stdout=out)
    return out.getvalue()


def exit_code(command, path) -> int:
    """The exit code of ``manage.py <command> <path>`` (run in this process, on the test DB;
    ``run_from_argv`` closes the connections at the end, which would end the test's)."""
    with (
        mock.patch("django.core.management.base.connections.close_all"),
        pytest.raises(SystemExit) as exited,
    ):
        ManagementUtility(["manage.py", command, str(path)]).execute()
    return exited.value.code


@pytest.mark.parametrize(
    ("text", "hour"),
    [
        ("9", 9),
        ("09", 9),
        ("9時", 9),
        ("9時台", 9),
        ("９時台", 9),
        ("9:00", 9),
        ("0", 0),
        ("9:00-10:00", 9),
        ("9:00～9:59", 9),
        ("9-10", 9),
        ("23時台", 23),
    ],
)
def test_hours_are_read_as_city_systems_write_them(text, hour):
    assert parse_hour(text) == hour


@pytest.mark.parametrize("text", ["24", "9:30", "9-11", "9:00-9:30", "朝", "-1"])
def test_an_hour_that_is_not_one_hour_of_the_day_is_refused(text):
    with pytest.raises(CellError, match="時間帯として読めません"):
        parse_hour(text)


# --- Hourly tallies in the admin -----------------------------------------------------------


@pytest.mark.parametrize("kind", ["utf-8-sig", "utf-8", "cp932", "xlsx"])
def test_an_hourly_file_in_every_encoding_is_previewed_applied_and_never_doubled(
    source_data, editor_web, kind
):
    name, content = as_file(HOURLY, kind)
    preview = upload(editor_web, HOURLY_URL, name, content)
    assert errors(preview) == []
    assert [c.kind for c in result(preview).changes] == ["追加"]
    assert "受付件数" in preview.content.decode()
    assert "1行目" in " ".join(result(preview).notices)  # the title line, skipped
    apply(editor_web, preview)
    assert totals() == (64, 38)
    assert hours_of()[10] == (18, 11) and hours_of()[13] == (15, 9) and hours_of()[11] == (0, 0)
    again = upload(editor_web, HOURLY_URL, name, content)
    assert result(again).changes == []
    assert totals() == (64, 38)
    by_hour = selectors.by_hour(AsOf(dt.date(2026, 1, 1)), AFTER)
    assert [(b.key, b.received, b.handled) for b in by_hour if b.received] == [
        (8, 5, 3),
        (9, 12, 7),
        (10, 18, 11),
        (13, 15, 9),
        (14, 14, 8),
    ]


def test_a_corrected_hourly_file_replaces_its_day_as_a_whole(source_data, editor_web):
    apply(editor_web, upload(editor_web, HOURLY_URL, "a.csv", csv_bytes(HOURLY)))
    corrected = [HOURLY_HEADER, "R4.10.24,9,本庁,20,10"]
    preview = upload(editor_web, HOURLY_URL, "b.csv", csv_bytes(corrected))
    assert [c.kind for c in result(preview).changes] == ["変更"]
    apply(editor_web, preview)
    assert totals() == (20, 10)
    assert hours_of()[10] == (0, 0) and hours_of()[9] == (20, 10)
    # the all-sites total of the day follows
    total = ReceptionTally.objects.get(site=None, day=DAY)
    assert (total.received, total.handled, total.r09) == (20, 10, 20)


def test_bad_hourly_cells_are_named_by_row_and_column_and_nothing_is_written(
    source_data, editor_web
):
    lines = [
        HOURLY_HEADER,
        "R4.10.24,9,本庁,5,6",  # 2: more handled than received
        "R4.10.24,24,本庁,5,3",  # 3: no such hour
        "R4.10.24,10,本町,5,3",  # 4: unknown site
        "R4.10.24,11,本庁,△5,0",  # 5: negative
        "R4.5.8,9,本庁,5,3",  # 6: before the counter opened
        "R9.1.1,9,本庁,5,3",  # 7: in the future
        "R4.10.24,13,本庁,5,3",
        "R4.10.24,13時台,本庁,6,3",  # 9: the same hour twice
        "R4.10.24,14,本\x07庁,5,3",  # 10: a control character
    ]
    preview = upload(editor_web, HOURLY_URL, "bad.csv", csv_bytes(lines))
    found = {(row, column) for row, column, _message in errors(preview)}
    assert {
        (2, "うち総合窓口での処理件数"),
        (3, "時間帯"),
        (4, "窓口"),
        (5, "受付件数"),
        (6, "受付日"),
        (7, "受付日"),
        (10, "窓口"),
    } <= found
    assert not result(preview).can_apply
    assert ReceptionTally.objects.filter(day__gt=dt.date(2022, 10, 21)).count() == 0
    # the same hour twice is found once the other rows are good
    preview = upload(editor_web, HOURLY_URL, "dup.csv", csv_bytes([HOURLY_HEADER, *lines[7:9]]))
    assert errors(preview) == [
        (3, "時間帯", "2行目と同じ日・窓口・時間帯です。1行にまとめてください。")
    ]


def test_hourly_counts_are_refused_for_a_day_with_receptions_and_receptions_replace_them(
    source_data, editor_web, tmp_path
):
    run("import_receptions", write(tmp_path, "r.csv", csv_bytes(GOOD)))
    preview = upload(editor_web, HOURLY_URL, "h.csv", csv_bytes(HOURLY))
    assert [(r, c) for r, c, _m in errors(preview)] == [(3, "受付日")]
    assert "受付1件ごとのデータ" in errors(preview)[0][2]
    assert totals() == (4, 3)
    # the other way round: receptions replace an hourly-only day (the finer data wins)
    other = dt.date(2022, 10, 25)
    lines = [HOURLY_HEADER, "R4.10.25,9,本庁,30,20"]
    apply(editor_web, upload(editor_web, HOURLY_URL, "h2.csv", csv_bytes(lines)))
    one_day = selectors.CounterFilter(other, other)
    assert totals(one_day) == (30, 20)
    run(
        "import_receptions",
        write(tmp_path, "r2.csv", csv_bytes([GOOD[1], "R4.10.25,9:10,本庁,,総合窓口"])),
    )
    assert totals(one_day) == (1, 1)


def test_a_failure_while_writing_hourly_counts_writes_nothing(source_data, editor_web, monkeypatch):
    preview = upload(editor_web, HOURLY_URL, "a.csv", csv_bytes(HOURLY))

    def fail(days):
        raise DatabaseError("injected failure after the tallies were replaced")

    monkeypatch.setattr(services, "rebuild_totals", fail)
    response = apply(editor_web, preview)
    assert "何も書き込みませんでした" in response.content.decode()
    assert not ReceptionTally.objects.filter(day=DAY).exists()


# --- The nightly commands --------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["utf-8-sig", "utf-8", "cp932", "xlsx"])
def test_the_hourly_command_reads_every_encoding_and_never_doubles(source_data, tmp_path, kind):
    name, content = as_file(HOURLY, kind)
    path = write(tmp_path, name, content)
    assert "時間帯別の受付件数を取り込みました（1件の追加）" in run("import_hourly_tallies", path)
    assert "変更なし" in run("import_hourly_tallies", path)
    assert totals() == (64, 38)
    assert ReceptionTally.objects.filter(day=DAY).count() == 2  # 本庁 and the all-sites total


@pytest.mark.parametrize("kind", ["utf-8-sig", "utf-8", "cp932", "xlsx"])
def test_the_payments_command_reads_every_encoding_and_never_doubles(source_data, tmp_path, kind):
    name, content = as_file(PAYMENTS, kind)
    path = write(tmp_path, name, content)
    assert "キャッシュレス決済を取り込みました（3件の追加）" in run("import_payments", path)
    assert "変更なし" in run("import_payments", path)
    paid = selectors.cashless(AsOf(dt.date(2026, 1, 1)), AFTER)
    assert (paid.count, paid.amount) == (6, 2400)
    assert CashlessPayment.objects.filter(paid_on=DAY).count() == 3


def test_the_commands_refuse_bad_rows_by_row_and_column_and_exit_non_zero(source_data, tmp_path):
    bad_pay = [
        PAY_HEADER,
        "R4.10.24,本庁,PayPay,窓口手数料,3,900",
        "R4.10.24,本庁,LINE Pay,窓口手数料,1,300",  # 3: unknown method
        "R4.10.24,本庁,d払い,,△1,300",  # 4: negative count
        "R4.10.24,本庁,auPay,,0,300",  # 5: amount without a count
    ]
    path = write(tmp_path, "pay.csv", csv_bytes(bad_pay, "cp932"))
    with pytest.raises(CommandError) as refused:
        run("import_payments", path)
    message = str(refused.value)
    assert "エラー3件のため、何も書き込みませんでした" in message
    assert "3行目「決済手段」" in message and "4行目「件数」" in message
    assert "5行目「金額（円）」" in message
    assert exit_code("import_payments", path) == 1
    assert not CashlessPayment.objects.filter(paid_on=DAY).exists()

    bad_hourly = [HOURLY_HEADER, "R4.10.24,9,本庁,5,3", "R4.10.24,9,本庁,5,6"]
    path = write(tmp_path, "hourly.csv", csv_bytes(bad_hourly))
    with pytest.raises(CommandError, match="3行目「うち総合窓口での処理件数」"):
        run("import_hourly_tallies", path)
    assert exit_code("import_hourly_tallies", path) == 1
    assert not ReceptionTally.objects.filter(day=DAY).exists()

    wrong_header = write(tmp_path, "wrong.csv", csv_bytes(["日付,件数", "R4.10.24,3"]))
    with pytest.raises(CommandError, match="1行目「決済日」：必須の列「決済日」がありません"):
        run("import_payments", wrong_header)


@pytest.mark.parametrize(
    "command", ["import_payments", "import_hourly_tallies", "import_receptions"]
)
def test_the_commands_refuse_a_file_cut_mid_row_a_control_character_or_a_bad_encoding(
    source_data, tmp_path, command
):
    lines = {
        "import_payments": PAYMENTS,
        "import_hourly_tallies": HOURLY,
        "import_receptions": GOOD,
    }[command][:4]
    text = "\r\n".join(lines) + "\r\n"
    cut = write(tmp_path, "cut.csv", text[:-4].encode("utf-8-sig"))  # ends mid-row
    with pytest.raises(CommandError, match="改行で終わっていません"):
        run(command, cut)
    short = write(tmp_path, "short.csv", csv_bytes([*lines[:-1], lines[-1].rsplit(",", 2)[0]]))
    with pytest.raises(CommandError, match=r"4行目.*列しかありません"):
        run(command, short)
    control = write(
        tmp_path, "ctl.csv", csv_bytes([*lines[:-1], lines[-1].replace("本庁", "本\x0b庁")])
    )
    with pytest.raises(CommandError, match=r"4行目「窓口」.*制御文字"):
        run(command, control)
    undecodable = write(tmp_path, "enc.csv", csv_bytes(lines[:2]) + b"R4.10.24,\x81\x20,,\r\n")
    with pytest.raises(CommandError, match="読めない文字"):
        run(command, undecodable)
    empty = write(tmp_path, "empty.csv", b"")
    with pytest.raises(CommandError, match="空です"):
        run(command, empty)
    assert exit_code(command, cut) == 1
    assert not Reception.objects.exists()
    assert not ReceptionTally.objects.filter(day=DAY).exists()
    assert not CashlessPayment.objects.filter(paid_on=DAY).exists()


def test_a_failure_injected_mid_file_leaves_no_payment_written(source_data, tmp_path, monkeypatch):
    days = [dt.date(2022, 5, 9) + dt.timedelta(days=d) for d in range(200)]
    lines = [PAY_HEADER] + [
        f"{day.isoformat()},本庁,{method},施設使用料,1,100"
        for day in days
        for method in ("PayPay", "d払い", "auPay")
    ]
    path = write(tmp_path, "many.csv", csv_bytes(lines))
    original = imports.PaymentImporter.write

    def half_then_fail(importer, plan, writer):
        original(importer, plan[: len(plan) // 2], writer)
        writer.flush()  # the first half is in the database …
        assert CashlessPayment.objects.filter(purpose="facility").count() == 300
        raise DatabaseError("injected failure mid-file")  # … and is rolled back

    monkeypatch.setattr(imports.PaymentImporter, "write", half_then_fail)
    with pytest.raises(DatabaseError):
        run("import_payments", path)
    assert not CashlessPayment.objects.filter(purpose="facility").exists()


def test_the_sample_files_are_read_without_errors(source_data):
    docs = settings.BASE_DIR / "docs"
    out = run("import_hourly_tallies", docs / "counter_hourly_sample.csv")
    assert "（1件の追加）" in out
    assert totals() == (64, 38)
    out = run("import_payments", docs / "counter_payments_sample.csv")
    assert "（3件の追加）" in out


# --- Hourly tallies, wide: one row per site and day, a column per hour ---------------------

WIDE_HEADER = (
    "受付日,窓口,8時台,９時台,10時,13時台,14時台,"
    "うち総合窓口8時台,うち総合窓口９時台,10時台（うち総合窓口）,うち総合窓口13時台,うち総合窓口14時台"
)
WIDE = [
    "総合窓口 時間帯別受付件数（令和4年10月24日）",
    WIDE_HEADER,
    "R4.10.24,本庁,5,12,１８,15,14,3,7,１１,9,8",
    "合計,,5,12,18,15,14,3,7,11,9,8",
]


@pytest.mark.parametrize("kind", ["utf-8-sig", "utf-8", "cp932", "xlsx"])
def test_a_wide_hourly_file_in_every_encoding_is_read_as_the_long_one(
    source_data, editor_web, kind
):
    name, content = as_file(WIDE, kind)
    preview = upload(editor_web, HOURLY_URL, name, content)
    assert errors(preview) == []
    assert [c.kind for c in result(preview).changes] == ["追加"]
    apply(editor_web, preview)
    assert totals() == (64, 38)
    assert hours_of()[10] == (18, 11) and hours_of()[9] == (12, 7) and hours_of()[11] == (0, 0)
    again = upload(editor_web, HOURLY_URL, name, content)
    assert result(again).changes == []
    # the long file of the same counts is no change either: one tally, whatever the layout
    assert result(upload(editor_web, HOURLY_URL, "long.csv", csv_bytes(HOURLY))).changes == []


def test_a_wide_row_replaces_its_day_and_empty_hours_are_zero(source_data, editor_web):
    apply(editor_web, upload(editor_web, HOURLY_URL, "a.csv", csv_bytes(WIDE)))
    corrected = ["受付日,窓口,9時,うち総合窓口9時", "R4.10.24,本庁,20,10"]
    apply(editor_web, upload(editor_web, HOURLY_URL, "b.csv", csv_bytes(corrected)))
    assert totals() == (20, 10)
    assert hours_of()[10] == (0, 0) and hours_of()[9] == (20, 10)
    empty = ["受付日,窓口,9時台,うち総合窓口9時台", "R4.10.24,本庁,,"]
    preview = upload(editor_web, HOURLY_URL, "c.csv", csv_bytes(empty))
    assert [c.kind for c in result(preview).changes] == ["変更"]
    apply(editor_web, preview)
    assert totals() == (0, 0)


def test_bad_wide_hourly_cells_and_headers_are_named_by_row_and_column(source_data, editor_web):
    lines = [
        "受付日,窓口,9時台,10時台,うち総合窓口9時台,うち総合窓口10時台",
        "R4.10.24,本庁,△5,3,0,1",  # 2: negative
        "R4.10.24,本町,5,3,0,1",  # 3: unknown site
        "R4.10.25,本庁,5,3,6,1",  # 4: more handled than received at 9
        "R4.5.8,本庁,5,3,0,1",  # 5: before the counter opened
        "R4.10.26,本庁,5,あ,0,1",  # 6: not a number
    ]
    preview = upload(editor_web, HOURLY_URL, "bad.csv", csv_bytes(lines))
    assert {(row, column) for row, column, _m in errors(preview)} == {
        (2, "9時台"),
        (3, "窓口"),
        (4, "うち総合窓口9時台"),
        (5, "受付日"),
        (6, "10時台"),
    }
    assert not result(preview).can_apply
    dup = ["受付日,窓口,9時台,うち総合窓口9時台", "R4.10.24,本庁,5,3", "令和4年10月24日,本庁,6,3"]
    assert errors(upload(editor_web, HOURLY_URL, "dup.csv", csv_bytes(dup))) == [
        (3, "受付日", "2行目と同じ日・窓口です。1行にまとめてください。")
    ]
    headers = {
        # an hour that is not one of the day, with values: refused, not ignored
        "受付日,窓口,9時台,25時台,うち総合窓口9時台\nR4.10.24,本庁,5,1,3": (1, "25時台"),
        # receptions without the handled counts of the hour
        "受付日,窓口,9時台,10時台,うち総合窓口9時台\nR4.10.24,本庁,5,1,3": (
            1,
            "うち総合窓口10時台",
        ),
        # both layouts at once
        "受付日,時間帯,窓口,受付件数,うち総合窓口での処理件数,9時台\nR4.10.24,9,本庁,5,3,5": (
            1,
            "時間帯",
        ),
        # neither: no 時間帯 and no hour columns
        "受付日,窓口,受付件数,うち総合窓口での処理件数\nR4.10.24,本庁,5,3": (1, "時間帯"),
    }
    for text, where in headers.items():
        preview = upload(editor_web, HOURLY_URL, "h.csv", csv_bytes(text.split("\n")))
        assert where in {(row, column) for row, column, _m in errors(preview)}, text
        assert not result(preview).can_apply
    assert ReceptionTally.objects.filter(day__gt=dt.date(2022, 10, 21)).count() == 0


@pytest.mark.parametrize("kind", ["utf-8-sig", "cp932", "xlsx"])
def test_the_hourly_command_reads_wide_files_and_never_doubles(source_data, tmp_path, kind):
    name, content = as_file(WIDE, kind)
    path = write(tmp_path, name, content)
    assert "時間帯別の受付件数を取り込みました（1件の追加）" in run("import_hourly_tallies", path)
    assert "変更なし" in run("import_hourly_tallies", path)
    assert totals() == (64, 38)
    bad = write(
        tmp_path,
        "bad.csv",
        csv_bytes(["受付日,窓口,9時台,うち総合窓口9時台", "R4.10.24,本庁,-1,0"]),
    )
    assert exit_code("import_hourly_tallies", bad) == 1


def test_the_wide_sample_file_is_read_without_errors(source_data):
    docs = settings.BASE_DIR / "docs"
    out = run("import_hourly_tallies", docs / "counter_hourly_wide_sample.csv")
    assert "（2件の追加）" in out
    assert totals() == (64, 38)
    assert totals(selectors.CounterFilter(dt.date(2022, 10, 25), dt.date(2022, 10, 25))) == (77, 45)


def test_the_commands_stream_in_chunks_and_keep_the_rules_across_chunks(
    source_data, tmp_path, monkeypatch
):
    """Two rows a chunk: a day's hours in three chunks are still one day replaced as a whole,
    the same payment in two chunks is refused, and a header's error is listed once."""
    monkeypatch.setattr(imports, "CHUNK_ROWS", 2)
    chunks = []
    collect = imports.HourlyTallyImporter.collect

    def counted(importer, sheet, result, state):
        chunks.append([row.number for row in sheet.rows])
        collect(importer, sheet, result, state)

    monkeypatch.setattr(imports.HourlyTallyImporter, "collect", counted)
    out = run("import_hourly_tallies", write(tmp_path, "h.csv", csv_bytes(HOURLY)))
    assert "（1件の追加）" in out and "1行目はタイトル行" in out
    assert len(chunks) == 4 and sorted(n for chunk in chunks for n in chunk) == [3, 4, 5, 6, 7]
    assert totals() == (64, 38) and hours_of()[8] == (5, 3) and hours_of()[14] == (14, 8)

    twice = [
        PAY_HEADER,
        "R4.10.24,本庁,PayPay,窓口手数料,3,900",
        "R4.10.24,本庁,d払い,,1,300",
        "R4.10.24,本庁,auPay,,1,300",
        "令和4年10月24日,本庁,PayPay,,1,300",  # 5: row 2's payment again, in another chunk
    ]
    with pytest.raises(CommandError, match="5行目「決済日」：2行目と同じ日") as refused:
        run("import_payments", write(tmp_path, "p.csv", csv_bytes(twice)))
    assert "エラー1件" in str(refused.value)
    assert not CashlessPayment.objects.filter(paid_on=DAY).exists()

    unpaired = ["受付日,窓口,9時台", *[f"R4.10.{d},本庁,{d}" for d in range(24, 29)]]
    with pytest.raises(CommandError) as refused:
        run("import_hourly_tallies", write(tmp_path, "u.csv", csv_bytes(unpaired)))
    assert "エラー1件" in str(refused.value) and "1行目「うち総合窓口9時台」" in str(refused.value)


@pytest.mark.django_db
def test_the_commands_list_errors_in_the_files_order(source_data, tmp_path):
    """A check that spans rows (handled over received) finds its row after the last row is read;
    the message still lists the errors from the top of the file down."""
    lines = [
        "受付日,窓口,8時台,うち総合窓口8時台",
        "R4.5.10,本庁,5,7",  # 2: more handled than received (checked once the day is whole)
        "R4.5.11,本庁,-1,0",  # 3: negative
        "R4.5.12,本庁,3",  # 4: cut short
    ]
    with pytest.raises(CommandError) as refused:
        run("import_hourly_tallies", write(tmp_path, "bad.csv", csv_bytes(lines)))
    message = str(refused.value)
    assert "エラー3件" in message
    rows = [message.index(f"{n}行目") for n in (2, 3, 4)]
    assert rows == sorted(rows)
