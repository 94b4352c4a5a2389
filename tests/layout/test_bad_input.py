"""Bad input typed in the admin or saved through the ORM: refused clearly, nothing saved."""

import pytest
from django.db import IntegrityError, transaction

from layout.models import Building, Floor, SeatPlan, Section

PLAN_URL = "/admin/layout/seatplan/add/"
FLOOR_URL = "/admin/layout/floor/add/"


def plan_form(section: int, **overrides) -> dict:
    data = {
        "section": section,
        "fiscal_year": 2024,
        "staff_current": 7,
        "parttime_current": 1,
        "staff_planned": 6,
        "parttime_planned": 0,
        "seats_secured": 12,
        "seats_needed": 7,
        "printed_balance": "",
    }
    return {**data, **overrides}


@pytest.fixture
def section(source_data):
    return Section.objects.get(name="情報推進")


def errors_of(response) -> list[str]:
    form = response.context["adminform"].form
    return [str(e) for errors in form.errors.values() for e in errors]


def test_a_valid_plan_is_saved(editor_client, section):
    response = editor_client.post(PLAN_URL, plan_form(section.pk, printed_balance="5"))
    assert response.status_code == 302
    assert SeatPlan.objects.get(section=section, fiscal_year=2024).printed_balance == 5


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"seats_secured": "-1"}, "人数・席数は0以上9,999以下で入力してください。"),
        ({"staff_planned": "-5"}, "人数・席数は0以上9,999以下で入力してください。"),
        ({"printed_balance": "△1"}, "整数を入力してください。"),
        ({"printed_balance": "abc"}, "整数を入力してください。"),
        ({"fiscal_year": 2023}, "このフロア（課）のこの年度の計画はすでにあります。"),
        ({"fiscal_year": 1900}, "年度は1989年度から2100年度の間で入力してください。"),
    ],
)
def test_bad_plans_are_refused(editor_client, section, overrides, message):
    count, history = SeatPlan.objects.count(), SeatPlan.history.count()
    response = editor_client.post(PLAN_URL, plan_form(section.pk, **overrides))
    assert response.status_code == 200
    assert message in errors_of(response)
    assert (SeatPlan.objects.count(), SeatPlan.history.count()) == (count, history)


def test_a_floor_its_building_lacks_is_refused(editor_client, source_data):
    kyoho = Building.objects.get(name="教保")
    response = editor_client.post(FLOOR_URL, {"building": kyoho.pk, "number": 5})
    assert response.status_code == 200
    assert "教保は3階までです。5階はありません。" in errors_of(response)
    assert not Floor.objects.filter(building=kyoho, number=5).exists()
    response = editor_client.post(FLOOR_URL, {"building": kyoho.pk, "number": 3})
    assert "この建物のこの階はすでに登録されています。" in errors_of(response)


def test_a_section_is_unique_on_its_floor(editor_client, section):
    response = editor_client.post(
        "/admin/layout/section/add/", {"floor": section.floor_id, "name": "情報推進", "order": 2}
    )
    assert response.status_code == 200
    assert "この階に同じ名前のフロア（課）がすでにあります。" in errors_of(response)


@pytest.mark.parametrize(
    "values",
    [
        {"seats_needed": -1},
        {"parttime_current": -1},
        {"printed_balance": 10_000},
        {"fiscal_year": 2023},  # the papers' plan exists
    ],
)
def test_the_database_refuses_what_the_forms_refuse(section, values):
    plan = SeatPlan(
        section=section,
        **{**dict.fromkeys(("staff_current", "parttime_current", "staff_planned",
                            "parttime_planned", "seats_secured", "seats_needed"), 1),
           "fiscal_year": 2024, **values},
    )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        plan.save()


def test_a_control_character_is_refused(editor_client, section):
    response = editor_client.post(
        "/admin/layout/section/add/", {"floor": section.floor_id, "name": "新\x0b課", "order": 3}
    )
    assert response.status_code == 200
    assert not Section.objects.filter(name__startswith="新").exists()


def test_a_viewer_cannot_change_the_plan(client, viewer, section):
    client.force_login(viewer)
    response = client.post(PLAN_URL, plan_form(section.pk))
    assert response.status_code in (302, 403)
    assert not SeatPlan.objects.filter(fiscal_year=2024).exists()


def test_a_building_cannot_lose_a_floor_in_use(editor_client, source_data):
    honcho = Building.objects.get(name="本庁")
    response = editor_client.post(
        f"/admin/layout/building/{honcho.pk}/change/",
        {"name": "本庁", "order": 1, "floor_count": 4, "named_in_print": ""},
    )
    assert response.status_code == 200
    assert "5階が登録されているため、階数を4にはできません。" in errors_of(response)
    honcho.refresh_from_db()
    assert honcho.floor_count == 5
