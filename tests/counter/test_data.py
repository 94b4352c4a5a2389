"""The counter's data: rules refused with clear messages (forms, models, database), roles,
and its changes in 「前回の会議からの変更」."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from counter.models import (
    CashlessPayment,
    CounterPlan,
    CounterRequest,
    PaymentMethod,
    PublishedFigure,
    ReceptionTally,
    RequestState,
    Site,
)

pytestmark = pytest.mark.django_db


def test_a_payment_before_the_counter_opened_or_in_the_future_is_refused(source_data):
    main = Site.objects.get(name="本庁")
    paypay = PaymentMethod.objects.get(name="PayPay")
    early = CashlessPayment(
        site=main, paid_on=dt.date(2022, 5, 6), method=paypay, count=1, amount=300
    )
    with pytest.raises(ValidationError) as refused:
        early.full_clean()
    assert "開設日（令和4年5月9日）より前" in str(refused.value.message_dict["paid_on"])
    future = CashlessPayment(
        site=main, paid_on=dt.date(2099, 1, 5), method=paypay, count=1, amount=300
    )
    with pytest.raises(ValidationError, match="未来の日付"):
        future.full_clean()
    tally = ReceptionTally(
        site=Site.objects.get(name="野村支所"),
        day=dt.date(2022, 10, 3),
        received=1,
        handled=0,
    )
    with pytest.raises(ValidationError, match="まだ開設されていません"):
        tally.full_clean()


def test_negative_and_inconsistent_counts_are_refused_by_the_database(source_data):
    main = Site.objects.get(name="本庁")
    paypay = PaymentMethod.objects.get(name="PayPay")
    day = dt.date(2022, 10, 24)
    for count, amount in ((-1, 300), (1, -300), (0, 300)):
        with pytest.raises(IntegrityError), transaction.atomic():
            CashlessPayment.objects.create(
                site=main, paid_on=day, method=paypay, count=count, amount=amount
            )
    with pytest.raises(ValidationError, match="件数が0件のときは金額も0円"):
        CashlessPayment(site=main, paid_on=day, method=paypay, count=0, amount=300).full_clean()
    assert not CashlessPayment.objects.filter(paid_on=day).exists()


def test_plan_years_and_published_periods_are_checked(source_data):
    with pytest.raises(ValidationError, match="2019年度から2100年度"):
        CounterPlan(fiscal_year=1990, title="x").full_clean()
    figure = PublishedFigure(
        key="x", label="x", value=1, unit="件", period_start=dt.date(2022, 10, 21),
        period_end=dt.date(2022, 5, 9), published_in="x",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="期間の開始は終了より前"):
        figure.full_clean()


def test_the_admin_refuses_a_negative_payment_and_saves_nothing(source_data, editor_client):
    main = Site.objects.get(name="本庁")
    paypay = PaymentMethod.objects.get(name="PayPay")
    before = CashlessPayment.objects.count()
    response = editor_client.post(
        "/admin/counter/cashlesspayment/add/",
        {
            "site": main.pk, "paid_on": "2022-05-06", "method": paypay.pk, "purpose": "fee",
            "count": "-1", "amount": "300", "origin": "system",
        },
    )  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert "開設日" in html or "0以上" in html or "以上の値" in html
    assert CashlessPayment.objects.count() == before


def test_viewers_read_the_page_and_may_not_import(viewer_client, source_data):
    assert viewer_client.get("/counter/").status_code == 200
    assert viewer_client.get("/admin/counter/reception/import/").status_code in (302, 403)


def test_a_changed_request_shows_since_the_meeting(viewer_client, source_data, editor):
    request = CounterRequest.objects.get(text__startswith="フロアにPC用のプリンター")
    request.state = RequestState.DONE
    request.response = "1階にプリンターを設置"
    request._history_user = editor
    request.save()
    html = viewer_client.get("/").content.decode()
    section = html.split('id="changes"', 1)[1].split("</section>", 1)[0]
    assert "総合窓口への要望" in section
    assert "フロアにPC用のプリンターを置いてほしい" in section
    assert "随時対応 → 対応済み" in section
    meeting = viewer_client.get("/?as_of=2022-11-01").content.decode()
    # As of the meeting: the request as recorded for its papers (new since 3-14), not today's
    # answer to it.
    as_of_meeting = meeting.split('id="changes"', 1)[1].split("</section>", 1)[0]
    assert "随時対応 → 対応済み" not in as_of_meeting
    assert "1階にプリンターを設置" not in as_of_meeting
