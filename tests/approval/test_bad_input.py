"""Every bad input of the issue is refused with a clear message and nothing is saved: in the
admin (forms and model validation) and, underneath, by the database's own constraints."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from approval.models import Department, Measurement, PublishedRate, Target

from .factories import OCTOBER, count, department

pytestmark = pytest.mark.django_db

ADD_COUNT = "/admin/approval/measurement/add/"


def post_count(client, dep, start, end, electronic, total):
    return client.post(
        ADD_COUNT,
        {
            "department": dep.pk,
            "period_start": start,
            "period_end": end,
            "electronic": electronic,
            "total": total,
            "source": "counted",
            "note": "",
        },
    )


def refused(response, message):
    assert response.status_code == 200, response.status_code  # the form again, not a redirect
    html = response.content.decode()
    assert message in html, html[html.find("errorlist") - 200 : html.find("errorlist") + 400]


def test_a_valid_count_is_saved(editor_client):
    general = department("総務部")
    response = post_count(editor_client, general, "2022-10-01", "2022-10-31", 60, 100)
    assert response.status_code == 302
    assert str(Measurement.objects.get().rate) == "0.6"


def test_electronic_above_total_is_refused(editor_client):
    general = department("総務部")
    refused(
        post_count(editor_client, general, "2022-10-01", "2022-10-31", 101, 100),
        "電子決裁の件数が決裁件数（合計）を超えています。",
    )
    assert not Measurement.objects.exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        count(general, OCTOBER, 101, 100)
    assert not Measurement.objects.exists()


def test_overlapping_periods_for_the_same_department_are_refused(editor_client):
    general = department("総務部")
    count(general, OCTOBER, 1, 2)
    refused(
        post_count(editor_client, general, "2022-10-15", "2022-10-20", 1, 2),
        "総務部の令和4年10月1日～令和4年10月31日の件数と期間が重なっています。",
    )
    assert Measurement.objects.count() == 1
    # Under the form, the database refuses it too (an exclusion constraint or a trigger).
    with pytest.raises(IntegrityError), transaction.atomic():
        Measurement.objects.create(
            department=general,
            period_start=dt.date(2022, 10, 15),
            period_end=dt.date(2022, 10, 20),
            electronic=1,
            total=2,
        )
    november = count(general, dt.date(2022, 11, 1), 1, 2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Measurement.objects.filter(pk=november.pk).update(period_start=dt.date(2022, 10, 31))
    assert Measurement.objects.count() == 2


def test_the_same_period_for_another_department_is_fine():
    count(department("総務部"), OCTOBER, 1, 2)
    count(department("教育部"), OCTOBER, 1, 2)
    assert Measurement.objects.count() == 2


def test_a_period_that_ends_before_it_starts_is_refused(editor_client):
    general = department("総務部")
    refused(
        post_count(editor_client, general, "2022-10-20", "2022-10-10", 1, 2),
        "期間の終了日が開始日より前になっています。",
    )
    assert not Measurement.objects.exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        Measurement.objects.create(
            department=general,
            period_start=dt.date(2022, 10, 20),
            period_end=dt.date(2022, 10, 10),
            electronic=1,
            total=2,
        )
    assert not Measurement.objects.exists()


def test_a_period_over_two_months_is_refused(editor_client):
    refused(
        post_count(editor_client, department("総務部"), "2022-10-20", "2022-11-10", 1, 2),
        "期間は1か月の中で入力してください",
    )
    assert not Measurement.objects.exists()


def test_a_count_before_the_department_started_is_refused(editor_client):
    general = department("総務部", start=dt.date(2022, 10, 1))
    refused(
        post_count(editor_client, general, "2022-09-01", "2022-09-30", 1, 2),
        "総務部が電子決裁を始めた令和4年10月1日より前の期間です。",
    )
    planned = department("政策企画部", start=None)
    refused(
        post_count(editor_client, planned, "2022-10-01", "2022-10-31", 1, 2),
        "政策企画部はまだ電子決裁を始めていません（開始日が空欄です）。",
    )
    assert not Measurement.objects.exists()


def test_a_start_moved_after_the_first_count_is_refused(editor_client):
    general = department("総務部")
    count(general, OCTOBER, 1, 2)
    response = editor_client.post(
        f"/admin/approval/department/{general.pk}/change/",
        {
            "name": "総務部",
            "order": 0,
            "planned_start": "2022-10-01",
            "actual_start": "2022-11-01",
            "cross_department": "on",
            "notes": "",
        },
    )
    refused(response, "この部には令和4年10月1日からの決裁件数が登録されています。")
    assert Department.objects.get().actual_start == OCTOBER


@pytest.mark.parametrize("rate", ["100.1", "-0.1", "150"])
def test_a_published_rate_outside_0_to_100_is_refused(editor_client, rate):
    response = editor_client.post(
        "/admin/approval/publishedrate/add/",
        {
            "department": "",
            "period_start": "2022-10-01",
            "period_end": "2022-10-21",
            "rate": rate,
            "published_on": "2022-11-01",
            "source": "試験",
        },
    )
    refused(response, "率は0以上100以下の数で入力してください（単位は%）。")
    assert not PublishedRate.objects.exists()


def test_a_rate_outside_0_to_100_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        PublishedRate.objects.create(
            period_start=OCTOBER, period_end=OCTOBER, rate=100.5, source="試験"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.create(fiscal_year=2022, rate=-1, basis="試験")
    assert not PublishedRate.objects.exists() and not Target.objects.exists()


def test_a_published_period_that_ends_before_it_starts_is_refused(editor_client):
    response = editor_client.post(
        "/admin/approval/publishedrate/add/",
        {
            "period_start": "2022-10-21",
            "period_end": "2022-10-01",
            "rate": "66.9",
            "source": "試験",
        },
    )
    refused(response, "期間の終了日が開始日より前になっています。")
    assert not PublishedRate.objects.exists()


def test_a_target_outside_0_to_100_is_refused(editor_client):
    response = editor_client.post(
        "/admin/approval/target/add/", {"fiscal_year": 2022, "rate": "101", "basis": "試験"}
    )
    refused(response, "率は0以上100以下の数で入力してください（単位は%）。")
    assert not Target.objects.exists()


def test_a_valid_published_rate_and_target_are_saved(editor_client):
    response = editor_client.post(
        "/admin/approval/target/add/", {"fiscal_year": 2023, "rate": "90.0", "basis": "試験"}
    )
    assert response.status_code == 302 and Target.objects.get().rate == 90
