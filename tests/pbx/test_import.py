"""Revisions from a spreadsheet: download the data sheet, add rows in Excel, upload, preview,
apply. Only additions: stored rows stay as they are, nothing is edited or deleted."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pbx.models import Revision

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/pbx/revision/import/"
SHEET = "クラウドPBX_予定変更(データ)"


def downloaded(client, day="2022-11-01"):
    response = client.get(f"/pbx/rollout.xlsx?as_of={day}")
    return openpyxl.load_workbook(io.BytesIO(response.content))


def saved(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, content, filename="予定変更.xlsx"):
    response = client.post(IMPORT_URL, {"file": SimpleUploadedFile(filename, content)})
    assert response.status_code == 302, response.content.decode()[:3000]
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    return preview


def apply(client, preview):
    return client.post(
        preview.wsgi_request.path,
        {"digest": preview.context["result"].digest, "delete_missing": "0", "apply": "適用する"},
    )


def errors(preview):
    return [(e.row, e.column, e.message) for e in preview.context["result"].errors]


def test_rows_added_to_the_downloaded_sheet_become_new_revisions(editor_web, source_data, editor):
    book = downloaded(editor_web)
    ws = book[SHEET]
    ws.append(
        [
            "本庁",
            dt.date(2022, 11, 10),
            "はい",
            dt.date(2022, 11, 28),
            None,
            "完了",
            None,
            "番ポ完了",
            None,
        ]
    )
    ws.append(["明浜支所", "令和4年11月2日", "はい", "2022/11/3", None, None, None, "前倒し", None])
    preview = upload(editor_web, saved(book))
    assert errors(preview) == []
    result = preview.context["result"]
    assert [(c.kind, c.label, c.row) for c in result.changes] == [
        ("追加", "本庁", 7),
        ("追加", "明浜支所", 8),
    ]
    assert "記録済みと同じ5行はそのままにします。" in result.notices
    response = apply(editor_web, preview)
    assert response.status_code == 302
    assert Revision.objects.count() == 7
    honcho = Revision.objects.filter(site__name="本庁").order_by("-id").first()
    assert (honcho.planned_on, honcho.porting, honcho.slipped) == (
        dt.date(2022, 11, 28),
        "done",
        False,
    )
    akehama = Revision.objects.get(site__name="明浜支所")
    assert akehama.planned_on == dt.date(2022, 11, 3) and akehama.slipped is False
    record = akehama.history.get()
    assert record.history_user == editor and record.history_change_reason.startswith("Excel取込")
    # uploading the same file again adds nothing
    again = upload(editor_web, saved(book))
    assert preview.context["result"].changes and not again.context["result"].changes


def test_an_edited_stored_row_is_a_new_revision_never_an_edit(editor_web, source_data):
    book = downloaded(editor_web)
    ws = book[SHEET]
    ws.cell(2, 8).value = "訂正した理由"  # 本庁's first revision, edited in Excel
    ws.delete_rows(6)  # 公民館's revision removed from the file
    preview = upload(editor_web, saved(book))
    result = preview.context["result"]
    assert [(c.kind, c.label) for c in result.changes] == [("追加", "本庁")]
    assert "ファイルにない記録済みの予定変更2件は削除しません（追加のみ）。" in result.notices
    apply(editor_web, preview)
    assert Revision.objects.count() == 6
    assert Revision.objects.get(pk=1).reason == ""  # the stored one is untouched


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (
            ["本庁", "2022-10-01", "はい", "2022-11-01", None, None, None, None, None],
            "決定日",
            "より前の決定日です",
        ),
        (
            ["本庁", "2022-11-01", "はい", "2022-11-20", "未定", None, None, None, None],
            "変更後の運用開始予定日",
            "どちらか一方",
        ),
        (
            ["本庁", "2022-11-01", "はい", None, None, None, None, None, None],
            "変更後の運用開始予定日",
            "いずれかを入力",
        ),
        (
            ["本庁", "2022-11-01", "いいえ", "2022-11-20", None, None, None, None, None],
            "備考",
            "その旨を備考に",
        ),
        (
            ["本庁", "2022-11-01", "はい", "2022-01-20", None, None, None, None, None],
            "変更後の運用開始予定日",
            "契約日（令和4年2月25日）より前",
        ),
        (
            ["本庁", "2099-11-01", "はい", "2099-11-20", None, None, None, None, None],
            "決定日",
            "未来の日付",
        ),
        (
            ["新庁舎", "2022-11-01", "はい", "2022-11-20", None, None, None, None, None],
            "施設",
            "登録されていません",
        ),
        (
            ["本庁", "11月1日", "はい", "2022-11-20", None, None, None, None, None],
            "決定日",
            "日付として読めません",
        ),
        (
            ["本庁", "2022-11-01", "たぶん", "2022-11-20", None, None, None, None, None],
            "決定日が資料にある",
            "「はい」か「いいえ」",
        ),
        (
            ["本庁", "2022-11-01", "はい", "2022-11-20", None, "不明", None, None, None],
            "番号ポータビリティ",
            "登録されていません",
        ),
    ],
)
def test_bad_rows_are_refused_with_row_and_column_and_nothing_is_written(
    editor_web, source_data, row, column, message
):
    book = downloaded(editor_web)
    book[SHEET].append(row)
    preview = upload(editor_web, saved(book))
    found = errors(preview)
    assert len(found) == 1, found
    assert found[0][:2] == (7, column) and message in found[0][2]
    assert apply(editor_web, preview).status_code == 200  # refused
    assert Revision.objects.count() == 5


def test_a_viewer_cannot_import(viewer_client, source_data):
    assert viewer_client.get(IMPORT_URL).status_code in (302, 403)


def test_the_changelist_offers_the_import_to_editors(editor_web, source_data):
    assert IMPORT_URL in editor_web.get("/admin/pbx/revision/").content.decode()
