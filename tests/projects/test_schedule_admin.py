"""Editing the schedule in the admin: bad input is refused in Japanese, nothing half-saved."""

import pytest

from projects.models import BudgetLine, FiscalYearPlan, ProgrammeYear, ScheduleItem


def change_form_data(item: ScheduleItem, **overrides) -> dict:
    """The POST data of the item's admin change form, as the browser would send it unchanged."""
    data = {
        "category": item.category_id,
        "name": item.name,
        "order": item.order,
        "status": item.status_id,
        "included_in": item.included_in_id or "",
        "_save": "保存",
    }
    inlines = {
        "budget_lines": (list(item.budget_lines.all()), ("amount", "label", "order")),
        "plans": (list(item.plans.all()), ("year", "content")),
        "concerns": (list(item.concerns.all()), ("text", "order")),
    }
    for prefix, (objects, fields) in inlines.items():
        data[f"{prefix}-TOTAL_FORMS"] = len(objects)
        data[f"{prefix}-INITIAL_FORMS"] = len(objects)
        data[f"{prefix}-MIN_NUM_FORMS"] = 0
        data[f"{prefix}-MAX_NUM_FORMS"] = 1000
        for index, obj in enumerate(objects):
            data[f"{prefix}-{index}-id"] = obj.pk
            data[f"{prefix}-{index}-item"] = item.pk
            for field in fields:
                value = (
                    getattr(obj, field + "_id", None) if field == "year" else getattr(obj, field)
                )
                data[f"{prefix}-{index}-{field}"] = value
    data.update(overrides)
    return data


def add_inline(data: dict, prefix: str, **fields) -> dict:
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = index + 1
    for field, value in fields.items():
        data[f"{prefix}-{index}-{field}"] = value
    return data


def post(client, item, data):
    return client.post(f"/admin/projects/scheduleitem/{item.pk}/change/", data)


@pytest.fixture
def cashless(source_data):
    return ScheduleItem.objects.get(name="キャッシュレス")


def test_editor_saves_a_change_and_it_appears_in_the_history(editor_client, cashless):
    data = change_form_data(cashless, **{"budget_lines-0-amount": 9000})
    response = post(editor_client, cashless, data)
    assert response.status_code == 302
    assert BudgetLine.objects.get(item=cashless).amount == 9000
    html = editor_client.get(f"/schedule/items/{cashless.pk}/").content.decode()
    history = html.split('id="history-heading"', 1)[1]
    newest = history.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    assert "田中 花子" in newest  # family name first, as Japanese documents print it
    assert "変更" in newest and "8,800 → 9,000" in newest


def test_negative_budget_is_refused_with_a_japanese_message(editor_client, cashless):
    data = change_form_data(cashless, name="キャッシュレス決済", **{"budget_lines-0-amount": -5})
    response = post(editor_client, cashless, data)
    assert response.status_code == 200
    assert "予算額は0以上の数で入力してください。" in response.content.decode()
    cashless.refresh_from_db()
    assert cashless.name == "キャッシュレス"  # nothing half-saved
    assert BudgetLine.objects.get(item=cashless).amount == 8800


def test_two_plans_for_the_same_fiscal_year_are_refused(editor_client, cashless):
    r4 = ProgrammeYear.objects.get(start_year=2022)
    data = add_inline(change_form_data(cashless), "plans", year=r4.pk, content="重複した計画")
    response = post(editor_client, cashless, data)
    assert response.status_code == 200
    assert "重複" in response.content.decode()
    assert FiscalYearPlan.objects.filter(item=cashless, year=r4).count() == 1


def test_a_plan_for_a_year_outside_the_programme_is_refused(editor_client, cashless):
    data = add_inline(change_form_data(cashless), "plans", year=999, content="令和9年度の計画")
    response = post(editor_client, cashless, data)
    assert response.status_code == 200
    assert "正しく選択してください" in response.content.decode()
    assert cashless.plans.count() == 3


def test_an_empty_plan_is_refused(editor_client, source_data):
    item = ScheduleItem.objects.get(name="遠隔面談・相談")
    r5 = ProgrammeYear.objects.get(start_year=2023)
    data = add_inline(change_form_data(item), "plans", year=r5.pk, content="  \n ")
    response = post(editor_client, item, data)
    assert response.status_code == 200
    assert (
        "このフィールドは必須です。" in response.content.decode()
        or "計画を入力してください。" in response.content.decode()
    )
    assert item.plans.count() == 2


def test_an_item_included_in_itself_is_refused(editor_client, source_data):
    item = ScheduleItem.objects.get(name="書類整理")
    response = post(editor_client, item, change_form_data(item, included_in=item.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "循環" in html or "自分自身" in html
    item.refresh_from_db()
    assert item.included_in is None


def test_a_loop_of_inclusions_is_refused(editor_client, source_data):
    # 遠隔学習・講座 is included in オンライン窓口; including オンライン窓口 in it would loop.
    online = ScheduleItem.objects.get(name="オンライン窓口")
    remote = ScheduleItem.objects.get(name="遠隔学習・講座")
    data = change_form_data(online, included_in=remote.pk, **{"budget_lines-0-DELETE": "on"})
    response = post(editor_client, online, data)
    assert response.status_code == 200
    assert "循環します" in response.content.decode()
    online.refresh_from_db()
    assert online.included_in is None and online.budget_lines.count() == 1


def test_an_included_item_cannot_also_carry_budget_lines(editor_client, source_data):
    remote = ScheduleItem.objects.get(name="遠隔学習・講座")
    data = add_inline(change_form_data(remote), "budget_lines", amount=100, label="", order=1)
    response = post(editor_client, remote, data)
    assert response.status_code == 200
    assert "オンライン窓口を含む" in response.content.decode()
    assert not remote.budget_lines.exists()


def test_an_empty_required_field_is_refused(editor_client, cashless):
    response = post(editor_client, cashless, change_form_data(cashless, name=""))
    assert response.status_code == 200
    assert "このフィールドは必須です。" in response.content.decode()


def test_viewer_cannot_change_data_even_by_posting(viewer_client, cashless):
    data = change_form_data(cashless, name="改ざん")
    response = post(viewer_client, cashless, data)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    cashless.refresh_from_db()
    assert cashless.name == "キャッシュレス"


def test_a_staff_viewer_without_change_permission_gets_403(client, viewer, cashless):
    viewer.is_staff = True
    viewer.save()
    client.force_login(viewer)
    assert client.get(f"/admin/projects/scheduleitem/{cashless.pk}/change/").status_code == 200
    response = post(client, cashless, change_form_data(cashless, name="改ざん"))
    assert response.status_code == 403
    cashless.refresh_from_db()
    assert cashless.name == "キャッシュレス"


def test_admin_history_of_an_item_lists_its_parts_changes_in_japanese(editor_client, cashless):
    post(editor_client, cashless, change_form_data(cashless, **{"budget_lines-0-amount": 9000}))
    html = editor_client.get(
        f"/admin/projects/scheduleitem/{cashless.pk}/history/"
    ).content.decode()
    parts = html.split('id="parts-history"', 1)[1]
    assert "予算・年度計画・懸案の変更履歴" in parts
    assert "田中 花子" in parts and "8,800 → 9,000" in parts
    assert "2022.3.14 行政経営戦略会議資料" in parts
    assert "Choose a date" not in html and "変更履歴" in html


def test_the_admin_greets_by_family_name_first_and_keeps_japanese_lowercase(
    editor_client, source_data
):
    html = editor_client.get("/admin/projects/scheduleitem/").content.decode()
    assert "ようこそ <strong>田中 花子</strong> さん。" in html
    assert "css/admin.css" in html


def test_the_history_leaves_out_the_display_order(source_data, editor):
    """表示順 only orders rows on a page: a change of it alone is not an entry of the log."""
    from core.history import change_log
    from projects import selectors
    from projects.models import ScheduleItem

    item = ScheduleItem.objects.get(name="キャッシュレス")
    before = change_log(selectors.item_histories(item.pk))
    item.order += 5
    item._history_user = editor
    item.save()
    after = change_log(selectors.item_histories(item.pk))
    assert len(after) == len(before)
    assert all(f.label != "区分内の表示順" for change in after for f in change.fields)
