"""An integer the column cannot hold is refused in the form, in Japanese, on every database.

Before: SQLite accepted order=70000 in a small-integer column (and a move to PostgreSQL then
failed on it); an imported budget of 2**63 or a 5,000-digit number was a 500.
"""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from core.validators import ColumnMaxValueValidator, column_range
from dataimport.imports import CellError, parse_integer
from projects.models import BudgetLine, Category, ScheduleItem
from tests.projects.test_schedule_admin import change_form_data, post
from tests.projects.test_schedule_import import BUDGET1, TOTAL, upload


def programme_integer_fields():
    return [
        (model, field)
        for config in apps.get_app_configs()
        if getattr(config, "programme_data", False)
        for model in config.get_models()
        for field in model._meta.concrete_fields
        if column_range(field) is not None
    ]


def test_every_integer_field_of_every_programme_model_is_bounded_by_its_column():
    fields = programme_integer_fields()
    assert len(fields) >= 10
    for model, field in fields:
        low, high = column_range(field)
        over, under = high + 1, low - 1
        for bad in (over, under):
            with pytest.raises(ValidationError):
                field.run_validators(bad)
        field.run_validators(high)
        field.run_validators(low)
        kinds = {type(v) for v in field.validators}
        assert ColumnMaxValueValidator in kinds or any(
            getattr(v, "limit_value", None) is not None for v in field.validators
        ), (model, field.name)


def test_small_integer_columns_hold_32767_everywhere_not_2_to_the_63_on_sqlite():
    order = Category._meta.get_field("order")
    assert column_range(order) == (0, 32767)
    with pytest.raises(ValidationError) as refused:
        order.run_validators(70000)
    assert refused.value.messages == ["この欄に保存できるのは32,767以下の数です。"]
    assert column_range(BudgetLine._meta.get_field("amount")) == (-(2**63), 2**63 - 1)


@pytest.fixture
def cashless(source_data):
    return ScheduleItem.objects.get(name="キャッシュレス")


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("order", 70000, "この欄に保存できるのは32,767以下の数です。"),
        ("budget_lines-0-order", 70000, "この欄に保存できるのは32,767以下の数です。"),
        (
            "budget_lines-0-amount",
            2**63,
            "この欄に保存できるのは9,223,372,036,854,775,807以下の数です。",
        ),
    ],
)
def test_the_admin_form_refuses_what_the_column_cannot_hold(
    editor_client, cashless, field, value, message
):
    response = post(editor_client, cashless, change_form_data(cashless, **{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    cashless.refresh_from_db()
    assert cashless.order != 70000
    line = cashless.budget_lines.get()
    assert (line.amount, line.order) == (8800, line.order) and line.order != 70000


def test_full_clean_refuses_on_sqlite_too(cashless):
    cashless.order = 70000
    with pytest.raises(ValidationError) as refused:
        cashless.full_clean()
    assert "order" in refused.value.message_dict


@pytest.mark.parametrize("text", [str(2**63), "9" * 5000, "△" + str(2**63)])
def test_an_import_cell_beyond_any_column_is_a_cell_error(text):
    with pytest.raises(CellError) as refused:
        parse_integer(text)
    assert "大きすぎます" in str(refused.value)


def test_an_imported_budget_of_2_to_the_63_is_refused_with_its_row_and_column(
    viewer_client, editor_web, source_data
):
    from tests.projects.test_schedule_import import CsvSheet

    sheet = CsvSheet(viewer_client.get("/schedule/?export=csv").getvalue())
    sheet.set("キャッシュレス", BUDGET1, str(2**63))
    sheet.set("キャッシュレス", TOTAL, str(2**63))
    preview = upload(editor_web, "big.csv", sheet.bytes())
    errors = [(e.column, e.message) for e in preview.context["result"].errors]
    assert errors and all("大きすぎます" in message for _column, message in errors)
    assert BUDGET1 in [column for column, _m in errors]
