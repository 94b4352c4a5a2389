"""Bad input is refused with a clear message and nothing is saved: in the admin's forms, in
the model's validation and by the database's constraints."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from pbx.models import Contract, Revision, Site

pytestmark = pytest.mark.django_db


def add_revision(client, **fields):
    data = {
        "site": 1,
        "decided_on": "2022-10-28",
        "planned_on": "",
        "porting": "",
        "reason": "",
        "note": "",
        "decision_date_known": "on",
    }
    data.update(fields)
    data = {k: v for k, v in data.items() if v is not None}
    return client.post("/admin/pbx/revision/add/", data)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"decided_on": "2022-10-20", "planned_on": "2022-11-01"},
            "令和4年10月24日決定）より前の決定日は入力できません",
        ),
        ({"planned_on": "2022-11-01", "undecided": "on"}, "どちらか一方にしてください"),
        ({}, "いずれかを入力してください"),
        (
            {"planned_on": "2022-11-01", "decision_date_known": None},
            "記録した日とその旨を備考に書いてください",
        ),
        ({"planned_on": "2022-01-10"}, "契約日（令和4年2月25日）より前です"),
        ({"decided_on": "2099-01-01", "planned_on": "2099-02-01"}, "未来の日付は入力できません"),
        ({"planned_on": "2022-11-01", "reason": "番ポ\x0b申請中"}, "制御文字"),
    ],
)
def test_bad_revisions_are_refused_in_the_admin(source_data, editor_client, fields, message):
    response = add_revision(editor_client, **fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Revision.objects.count() == 5


def site_form(**fields):
    data = {
        "contract": 1,
        "name": "本庁",
        "order": 1,
        "first_planned_on": "2022-10-17",
        "state": "planned",
        "went_live_on": "",
        "note": "",
        "revisions-TOTAL_FORMS": 0,
        "revisions-INITIAL_FORMS": 2,
        "revisions-MIN_NUM_FORMS": 0,
        "revisions-MAX_NUM_FORMS": 1000,
    }
    data.update(fields)
    return data


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"state": "live"}, "運用中の施設には運用開始日を入力してください"),
        ({"state": "live", "went_live_on": "2022-01-31"}, "契約日（令和4年2月25日）より前です"),
        ({"went_live_on": "2022-10-31"}, "状態を「運用中」にしてください"),
        ({"name": "野村支所"}, "同じ名前の施設がすでにあります"),
    ],
)
def test_bad_sites_are_refused_in_the_admin(source_data, editor_client, fields, message):
    response = editor_client.post("/admin/pbx/site/1/change/", site_form(**fields))
    assert response.status_code == 200
    assert message in response.content.decode()
    site = Site.objects.get(pk=1)
    assert (site.name, site.state, site.went_live_on) == ("本庁", "planned", None)


def test_the_database_refuses_a_live_site_without_a_go_live_date(source_data):
    with pytest.raises(IntegrityError), transaction.atomic():
        Site.objects.filter(pk=1).update(state="live")
    with pytest.raises(IntegrityError), transaction.atomic():
        Site.objects.filter(pk=1).update(went_live_on=dt.date(2022, 10, 30))


def test_the_database_refuses_inconsistent_revisions(source_data):
    site = Site.objects.get(pk=2)
    for fields in (
        {"planned_on": dt.date(2022, 11, 1), "undecided": True},
        {},
        {"planned_on": dt.date(2022, 11, 1), "decision_date_known": False},
        {"planned_on": dt.date(2022, 11, 1), "porting": "bogus"},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Revision.objects.create(site=site, decided_on=dt.date(2022, 10, 30), **fields)
    assert Revision.objects.count() == 5


def test_the_database_refuses_a_deadline_before_the_contract(source_data):
    with pytest.raises(IntegrityError), transaction.atomic():
        Contract.objects.filter(pk=1).update(due_on=dt.date(2022, 1, 1))
    contract = Contract.objects.get()
    contract.due_on = dt.date(2022, 1, 1)
    with pytest.raises(ValidationError, match="履行期限は契約日以降"):
        contract.full_clean()


def test_a_site_going_live_before_the_contract_is_refused_by_the_model(source_data):
    site = Site.objects.get(pk=1)
    site.state, site.went_live_on = "live", dt.date(2022, 2, 1)
    with pytest.raises(ValidationError, match="契約日"):
        site.full_clean()
