"""A production installation starts empty and loads its own schedule from the blank data sheet.

The blank is the data sheet's header (the same writer) with no rows, and its column rules; a
city fills it and uploads it through the schedule's import, which registers the 区分, 状況 and
計画年度 a new installation does not have yet.
"""

import datetime as dt
import io

import openpyxl
import pytest
from django.apps import apps
from django.utils import timezone

from core.japanese import fiscal_year_label, fiscal_year_of
from core.roles import programme_app_labels
from projects import blank, datasheet
from projects.models import Category, ProgrammeYear, ScheduleItem, Status

from .test_schedule_import import apply, changes, errors, notices, upload

BLANK_URL = "/schedule/blank.xlsx"


def _blank(client) -> openpyxl.Workbook:
    response = client.get(BLANK_URL)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    return openpyxl.load_workbook(io.BytesIO(response.getvalue()))


def _bytes(book: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _this_year() -> int:
    return fiscal_year_of(timezone.localdate())


@pytest.mark.django_db
def test_a_fresh_migrate_has_no_programme_data():
    """`migrate` alone: no item, meeting, floor … (the demo's data comes from seed_demo)."""
    filled = {
        model._meta.label: model._default_manager.count()
        for label in programme_app_labels()
        for model in apps.get_app_config(label).get_models()
        if model._default_manager.exists()
    }
    assert filled == {}


@pytest.mark.django_db
def test_the_blank_is_the_data_sheets_headers_with_no_rows_and_their_rules(viewer_client):
    """The items sheet and the plans' and concerns' long tables, as the data sheet is written
    (one value per cell), then a rule for every column of every sheet."""
    book = _blank(viewer_client)
    assert book.sheetnames == [
        datasheet.SHEET_TITLE,
        datasheet.PLANS_TITLE,
        datasheet.CONCERNS_TITLE,
        blank.RULES_TITLE,
    ]
    headers = {}
    for title in book.sheetnames[:3]:
        rows = list(book[title].iter_rows(values_only=True))
        assert len(rows) == 1, title
        headers[title] = list(rows[0])
    assert headers == {
        datasheet.SHEET_TITLE: datasheet.columns(datasheet.MIN_BUDGET_COLUMNS),
        datasheet.PLANS_TITLE: datasheet.PLAN_HEADER,
        datasheet.CONCERNS_TITLE: datasheet.CONCERN_HEADER,
    }
    rules = list(book[blank.RULES_TITLE].iter_rows(values_only=True))
    assert [(r[0], r[1]) for r in rules[1:]] == [
        (title, column) for title, header in headers.items() for column in header
    ]
    assert all(rule[2] and rule[3] for rule in rules[1:])
    (amounts,) = book[datasheet.SHEET_TITLE].data_validations.dataValidation
    assert (amounts.type, amounts.operator, amounts.formula1) == (
        "whole",
        "greaterThanOrEqual",
        "0",
    )


@pytest.mark.django_db
def test_the_blank_uploaded_as_it_is_changes_nothing(viewer_client, editor_web):
    preview = upload(editor_web, "全体のスケジュール_記入用.xlsx", _bytes(_blank(viewer_client)))

    assert errors(preview) == []
    assert changes(preview) == []
    assert "見出し行の下にデータの行がありません。" in notices(preview)


@pytest.mark.django_db
def test_a_new_installation_loads_the_filled_blank_with_its_lists(
    viewer_client, editor_web, editor
):
    book = _blank(viewer_client)
    sheet = book[datasheet.SHEET_TITLE]
    header = [c.value for c in sheet[1]]
    year = _this_year()
    values = {
        datasheet.CATEGORY: "窓口",
        datasheet.NAME: "書かない窓口",
        datasheet.STATUS: "継続",
        datasheet.budget_column(1): 1200,
    }
    for column, value in values.items():
        sheet.cell(2, header.index(column) + 1).value = value
    plans = book[datasheet.PLANS_TITLE]
    for line, text in enumerate(["申請書の電子化", "窓口の端末設定"], start=1):
        plans.append([None, "書かない窓口", year, None, line, text])
    plans.append([None, "書かない窓口", year + 1, None, 1, "全支所へ展開"])
    book[datasheet.CONCERNS_TITLE].append([None, "書かない窓口", 1, "職員の研修"])

    preview = upload(editor_web, "記入済み.xlsx", _bytes(book))

    assert errors(preview) == []
    assert [(kind, label) for kind, label, _fields in changes(preview)] == [
        ("追加", "書かない窓口")
    ]
    assert "新しい設置のため、区分「窓口」を登録します。" in notices(preview)
    assert "新しい設置のため、状況「継続」を登録します。" in notices(preview)
    registered = "」「".join(fiscal_year_label(y) for y in (year, year + 1))
    assert f"新しい設置のため、計画年度「{registered}」を登録します。" in notices(preview)
    assert ScheduleItem.objects.count() == Category.objects.count() == 0  # a preview writes nothing

    assert apply(editor_web, preview).status_code == 302

    item = ScheduleItem.objects.select_related("category", "status").get()
    assert (item.name, item.category.name, item.status.name, item.order) == (
        "書かない窓口",
        "窓口",
        "継続",
        1,
    )
    assert not item.status.is_complete
    assert [line.amount for line in item.budget_lines.all()] == [1200]
    assert item.plans.get(year__start_year=year).lines == ["申請書の電子化", "窓口の端末設定"]
    assert [c.text for c in item.concerns.all()] == ["職員の研修"]
    assert item.plans.get(year__start_year=year + 1).lines == ["全支所へ展開"]
    assert sorted(ProgrammeYear.objects.values_list("start_year", flat=True)) == [year, year + 1]
    record = Category.history.get()
    assert record.history_user == editor
    assert record.history_change_reason == "Excel取込：記入済み.xlsx"


@pytest.mark.django_db
def test_once_the_lists_are_filled_an_unknown_category_is_refused(editor_web, source_data):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = datasheet.SHEET_TITLE
    header = blank.header(dt.date(2022, 11, 1))
    datasheet.write_table(sheet, header, [])
    row = {datasheet.CATEGORY: "存在しない区分", datasheet.NAME: "新項目", datasheet.STATUS: "継続"}
    for column, value in row.items():
        sheet.cell(2, header.index(column) + 1).value = value

    preview = upload(editor_web, "s.xlsx", _bytes(book))

    assert [(r, c) for r, c, _m in errors(preview)] == [(2, datasheet.CATEGORY)]
    assert not Status.objects.filter(name="存在しない区分").exists()
