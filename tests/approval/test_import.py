"""Monthly counts per department from the document-management system's CSV, through the
import machinery: preview, all-or-nothing apply, every error with its row and column."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from approval.imports import parse_month
from approval.models import Measurement
from dataimport.imports import CellError

from .factories import OCTOBER, count, department

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/approval/measurement/import/"
HEADER = "部,年月,電子決裁件数,決裁件数"


def csv_bytes(lines: list[str], encoding: str = "cp932") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def upload(client, content: bytes, filename: str = "決裁件数.csv"):
    response = client.post(IMPORT_URL, {"file": SimpleUploadedFile(filename, content)})
    assert response.status_code == 302, response.content.decode()[:2000]
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    return preview


def apply(client, preview):
    return client.post(
        preview.wsgi_request.path,
        {"digest": preview.context["result"].digest, "delete_missing": "0", "apply": "適用する"},
    )


def errors(preview) -> list[str]:
    return [str(problem) for problem in preview.context["result"].errors]


@pytest.fixture
def departments(db):
    return (
        department("総務部", order=1),
        department("教育部", order=2),
        department("政策企画部", start=None, order=3),
    )


def test_a_cp932_csv_with_a_title_and_a_total_row_adds_the_months(editor_client, departments):
    content = csv_bytes(
        [
            "文書管理システム 決裁件数集計",
            HEADER,
            "総務部,2022-10,90,100",
            "教育部,令和4年10月,10,100",
            "総務部,R4.11,95,100",
            "合計,,195,300",
        ]
    )
    preview = upload(editor_client, content)
    result = preview.context["result"]
    assert result.ok and result.summary == "3件の追加"
    assert any("タイトル行" in notice for notice in result.notices)
    assert any("合計行" in notice for notice in result.notices)
    response = apply(editor_client, preview)
    assert response.status_code == 302
    rows = list(
        Measurement.objects.order_by("period_start", "department__order").values_list(
            "department__name", "period_start", "period_end", "electronic", "total", "source"
        )
    )
    assert rows == [
        ("総務部", OCTOBER, dt.date(2022, 10, 31), 90, 100, "counted"),
        ("教育部", OCTOBER, dt.date(2022, 10, 31), 10, 100, "counted"),
        ("総務部", dt.date(2022, 11, 1), dt.date(2022, 11, 30), 95, 100, "counted"),
    ]
    record = Measurement.history.order_by("history_id").first()
    assert record.history_user.username == "tanaka"
    assert record.history_change_reason == "Excel取込：決裁件数.csv"


def test_a_month_imported_again_is_changed_or_left_alone(editor_client, departments):
    count(departments[0], OCTOBER, 80, 100)
    preview = upload(editor_client, csv_bytes([HEADER, "総務部,2022-10,90,100"], "utf-8-sig"))
    (change,) = preview.context["result"].changes
    assert (change.kind, change.label) == ("変更", "総務部 令和4年10月")
    assert [(f.label, f.before, f.after) for f in change.fields] == [("電子決裁件数", "80", "90")]
    apply(editor_client, preview)
    assert Measurement.objects.get().electronic == 90
    again = upload(editor_client, csv_bytes([HEADER, "総務部,2022-10,90,100"], "utf-8-sig"))
    assert again.context["result"].summary == "変更はありません"


def test_a_department_that_started_mid_month_counts_from_its_start(editor_client, db):
    department("医療介護部", start=dt.date(2022, 10, 15))
    apply(editor_client, upload(editor_client, csv_bytes([HEADER, "医療介護部,2022-10,5,10"])))
    measurement = Measurement.objects.get()
    assert (measurement.period_start, measurement.period_end) == (
        dt.date(2022, 10, 15),
        dt.date(2022, 10, 31),
    )


def test_every_bad_row_is_refused_with_its_row_and_column_and_nothing_is_saved(
    editor_client, departments
):
    count(departments[1], OCTOBER, 1, 2, period_end=dt.date(2022, 10, 21))  # 10/1–10/21 stored
    count(departments[0], dt.date(2022, 12, 1), 1, 2)
    before = Measurement.history.count()
    content = csv_bytes(
        [
            HEADER,
            "総務部,2022-11,101,100",  # 2: electronic above total
            "総務部,2022-09,1,2",  # 3: before the department started
            "政策企画部,2022-11,1,2",  # 4: not started at all
            "企画部,2022-11,1,2",  # 5: no such department
            "総務部,2022-11,1,2",  # 6: fine …
            "総務部,2022年11月,1,2",  # 7: … but the same month twice
            "教育部,2022-10,5,10",  # 8: overlaps the stored 10/1–10/21
            "教育部,2022-13,5,10",  # 9: no such month
            "教育部,2022-11,△5,10",  # 10: negative
            "教育部,2022-11,1.5,10",  # 11: not an integer
            "教育部,2099-01,1,2",  # 12: a month still to come
        ]
    )
    preview = upload(editor_client, content)
    found = errors(preview)
    expected = [
        "2行目「電子決裁件数」：電子決裁件数（101）が決裁件数（100）を超えています。",
        "3行目「年月」：総務部が電子決裁を始めた令和4年10月1日より前の月です。",
        "4行目「部」：政策企画部はまだ電子決裁を始めていません（開始日が空欄です）。",
        "7行目「年月」：総務部の令和4年11月の件数が6行目と重複しています。",
        "8行目「年月」：教育部には令和4年10月1日～令和4年10月21日の件数が登録されていて、"
        "期間が重なります。データ管理でその件数を直すか削除してから取り込んでください。",
        "10行目「電子決裁件数」：0以上の数で入力してください。",
        "12行目「年月」：まだ来ていない月の件数は取り込めません。",
    ]
    for message in expected:
        assert message in found, found
    assert any(m.startswith("5行目「部」：「企画部」は登録されていません。") for m in found)
    assert any(m.startswith("9行目「年月」：「2022-13」は年月として読めません") for m in found)
    assert any(m.startswith("11行目「電子決裁件数」：「1.5」は整数ではありません") for m in found)
    assert not preview.context["can_apply"]
    response = apply(editor_client, preview)
    assert "エラーが" in response.content.decode()
    assert Measurement.objects.count() == 2 and Measurement.history.count() == before


@pytest.mark.parametrize(
    "text, month",
    [
        ("2022-10", OCTOBER),
        ("2022/10", OCTOBER),
        ("2022年10月", OCTOBER),
        ("２０２２年１０月", OCTOBER),
        ("令和4年10月", OCTOBER),
        ("R4.10", OCTOBER),
        ("R04.10", OCTOBER),
        ("2022-10-01", OCTOBER),
        ("令和元年5月", dt.date(2019, 5, 1)),
        ("平成31年4月", dt.date(2019, 4, 1)),
    ],
)
def test_months_are_read_in_the_forms_city_systems_write(text, month):
    assert parse_month(text) == month


@pytest.mark.parametrize("text", ["2022-13", "10月", "R4", "abc", "2022-00"])
def test_other_months_are_refused(text):
    with pytest.raises(CellError):
        parse_month(text)


def test_a_viewer_cannot_import(viewer_client, departments):
    response = viewer_client.post(
        IMPORT_URL, {"file": SimpleUploadedFile("a.csv", csv_bytes([HEADER]))}
    )
    assert response.status_code in (302, 403)
    assert not Measurement.objects.exists()
