"""Rates computed from counts: whole office = sum of electronic / sum of all, never an average."""

import datetime as dt
from decimal import Decimal

import pytest

from approval import selectors
from approval.models import Department, rate_of
from core.history import AsOf

from .factories import OCTOBER, count, department

pytestmark = pytest.mark.django_db

TODAY = AsOf.today()


def test_a_rate_is_electronic_over_total():
    assert rate_of(669, 1000) == Decimal("0.669")
    assert selectors.rate_text(rate_of(669, 1000)) == "66.9%"


def test_a_zero_total_gives_no_rate_shown_as_a_dash_not_a_division_error():
    assert rate_of(0, 0) is None
    assert selectors.rate_text(rate_of(0, 0)) == "－"


def test_whole_office_rate_is_summed_in_the_database_not_an_average_of_rates():
    # 総務部 9/10 = 90%, 教育部 10/100 = 10%: the average of the rates would be 50.0%;
    # the whole office approved 19 of 110 electronically: 17.3%.
    count(department("総務部", order=1), OCTOBER, 9, 10)
    count(department("教育部", order=2), OCTOBER, 10, 100)
    current = selectors.current_rates(AsOf.today())
    assert current.whole.value == Decimal(19) / Decimal(110)
    assert current.whole.formatted == "17.3%"
    assert (current.whole.numerator, current.whole.denominator) == (19, 110)
    assert current.department_count == 2
    assert [(d.name, d.rate_text) for d in current.departments] == [
        ("総務部", "90.0%"),
        ("教育部", "10.0%"),
    ]
    average = sum(d.rate for d in current.departments) / 2
    assert selectors.rate_text(average) == "50.0%" != current.whole.formatted


def test_a_department_with_a_zero_total_shows_a_dash_and_the_whole_office_still_counts():
    count(department("総務部", order=1), OCTOBER, 0, 0)
    count(department("教育部", order=2), OCTOBER, 3, 4)
    current = selectors.current_rates(AsOf.today())
    assert [d.rate_text for d in current.departments] == ["－", "75.0%"]
    assert current.whole.formatted == "75.0%"


def test_a_zero_total_for_the_whole_office_prints_a_dash():
    count(department("総務部"), OCTOBER, 0, 0)
    current = selectors.current_rates(AsOf.today())
    assert current.whole.value is None and current.whole.formatted == "－"
    assert current.attainment == "－"


def test_without_counts_there_is_no_current_rate():
    current = selectors.current_rates(AsOf.today())
    assert current.month is None and current.whole.formatted == "－"


def test_the_current_rate_is_the_newest_month_with_its_period_and_n():
    general = department("総務部", order=1)
    count(general, OCTOBER, 50, 100)
    count(general, dt.date(2022, 11, 1), 70, 100)
    current = selectors.current_rates(AsOf.today())
    assert current.month == dt.date(2022, 11, 1)
    assert current.month_label == "令和4年11月"
    assert current.whole.period_label == "令和4年11月1日～令和4年11月30日"
    assert current.whole.formatted == "70.0%"


def test_attainment_against_the_target_of_the_fiscal_year():
    from approval.models import Target

    count(department("総務部"), OCTOBER, 799, 1000)  # 79.9%
    Target.objects.create(fiscal_year=2022, rate=Decimal("80.0"), basis="試験")
    assert selectors.current_rates(AsOf.today()).attainment == "未達"
    Target.objects.filter(fiscal_year=2022).update(rate=Decimal("79.9"))
    assert selectors.current_rates(AsOf.today()).attainment == "達成"
    Target.objects.filter(fiscal_year=2022).delete()
    assert selectors.current_rates(AsOf.today()).attainment == "目標なし"


def test_rounding_of_the_attainment_is_the_printed_rate():
    # 79.96% prints as 80.0%: against a target of 80.0% it is 達成, as the definition says.
    assert selectors.attainment(Decimal("0.7996"), Decimal("80.0")) == "達成"
    assert selectors.attainment(Decimal("0.7994"), Decimal("80.0")) == "未達"
    assert "小数第1位に四捨五入" in selectors.ATTAINMENT_DEFINITION


def test_reconstructed_demo_counts_label_the_whole_office_rate():
    count(department("総務部"), OCTOBER, 1, 2, source="reconstructed")
    current = selectors.current_rates(AsOf.today())
    assert str(current.whole.source.label) == "再構成したデモデータ"
    assert current.departments[0].reconstructed


def test_departments_are_listed_in_their_order():
    count(department("B部", order=2), OCTOBER, 1, 2)
    count(department("A部", order=1), OCTOBER, 1, 2)
    assert [d.name for d in selectors.current_rates(AsOf.today()).departments] == ["A部", "B部"]
    assert Department.objects.count() == 2


def test_rates_as_of_a_past_date_come_from_the_history():
    """A count corrected later shows its old value as of a date before the correction."""
    import zoneinfo

    from approval.models import Measurement

    tokyo = zoneinfo.ZoneInfo("Asia/Tokyo")
    measurement = count(department("総務部"), OCTOBER, 50, 100)
    Measurement.history.update(history_date=dt.datetime(2022, 11, 10, 9, tzinfo=tokyo))
    Department.history.update(history_date=dt.datetime(2022, 11, 10, 9, tzinfo=tokyo))
    measurement.electronic = 70
    measurement.save()  # corrected today
    assert selectors.current_rates(AsOf(dt.date(2022, 11, 9))).month is None  # not yet recorded
    then = selectors.current_rates(AsOf(dt.date(2022, 12, 1)))
    assert then.whole.formatted == "50.0%"
    assert then.whole.updated_on == dt.date(2022, 11, 10)
    assert selectors.current_rates(AsOf.today()).whole.formatted == "70.0%"
