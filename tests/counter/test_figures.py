"""The papers' counter figures (source-notes §3), through the selectors, from the fixtures.

2022-05-09 … 2022-10-21: 総合受付件数 13,796, うち総合窓口での処理件数 8,061, 受付率 58.4%;
cashless d払い 73 / ¥43,900, auPay 42 / ¥13,200, PayPay 106 / ¥61,020, total 221 / ¥118,120.
"""

import datetime as dt

import pytest

from core.figures import FigureSource
from core.history import AsOf
from counter import selectors
from counter.models import Site
from counter.selectors import CounterFilter

pytestmark = pytest.mark.django_db

AS_OF = AsOf(dt.date(2022, 11, 1))
SOURCE = CounterFilter.source_period()


def test_counter_figures_for_the_source_period_are_13796_8061_58_4_percent(source_data):
    received, handled, rate = selectors.reception_figures(AS_OF, SOURCE)
    assert (received.label, received.value, received.display) == ("総合受付件数", 13796, "13,796件")
    assert (handled.label, handled.value) == ("うち総合窓口での処理件数", 8061)
    assert (rate.label, rate.display) == ("受付率", "58.4%")
    assert (rate.numerator, rate.denominator) == (8061, 13796)
    for figure in (received, handled, rate):
        assert figure.source == FigureSource.RECONSTRUCTED
        assert str(figure.source.label) == "再構成したデモデータ"
        assert (figure.period_start, figure.period_end) == (
            dt.date(2022, 5, 9),
            dt.date(2022, 10, 21),
        )


def test_cashless_for_the_source_period_is_221_payments_118120_yen(source_data):
    totals = selectors.cashless(AS_OF, SOURCE)
    assert [(m.name, m.count, m.amount) for m in totals.methods] == [
        ("d払い", 73, 43900),
        ("auPay", 42, 13200),
        ("PayPay", 106, 61020),
    ]
    count, amount = selectors.cashless_figures(AS_OF, SOURCE)
    assert (count.display, amount.display) == ("221件", "118,120円")
    assert count.source == FigureSource.RECONSTRUCTED


def test_published_figures_are_kept_beside_as_published(source_data):
    published = {f.key: f for f in selectors.published_figures(AS_OF)}
    assert published["counter_published_received"].display == "13,796件"
    assert published["counter_published_handled"].display == "8,061件"
    assert published["counter_published_rate"].display == "58.4%"
    assert published["counter_published_cashless_count"].display == "221件"
    assert published["counter_published_cashless_amount"].display == "118,120円"
    assert {f.source for f in published.values()} == {FigureSource.PUBLISHED}


def test_busiest_hours_are_10_then_13_and_14_as_the_papers_say(source_data):
    busiest = selectors.busiest_hours(selectors.by_hour(AS_OF, SOURCE))
    assert [b.label for b in busiest] == ["10時台", "13時台", "14時台"]
    hours = selectors.by_hour(AS_OF, SOURCE)
    assert sum(b.received for b in hours) == 13796
    assert sum(b.handled for b in hours) == 8061


def test_rate_rises_month_by_month_and_is_made_from_summed_counts(source_data):
    months = selectors.rate_by_month(AS_OF, SOURCE)
    assert [m.label for m in months] == [
        "令和4年5月", "令和4年6月", "令和4年7月", "令和4年8月", "令和4年9月", "令和4年10月",
    ]  # fmt: skip
    rates = [m.rate for m in months]
    assert rates == sorted(rates)
    # The period's rate is the sum over the sum, not the mean of the monthly rates.
    assert sum(m.handled for m in months) / sum(m.received for m in months) == 8061 / 13796
    assert sum(rates) / len(rates) != pytest.approx(8061 / 13796, abs=1e-6)
    weeks = selectors.rate_by_week(AS_OF, SOURCE)
    assert len(weeks) == 24
    assert weeks[0].label == "令和4年5月9日の週"
    assert sum(w.received for w in weeks) == 13796


def test_weekdays_run_monday_to_friday(source_data):
    days = selectors.by_weekday(AS_OF, SOURCE)
    assert [d.label for d in days] == ["月曜日", "火曜日", "水曜日", "木曜日", "金曜日"]
    assert sum(d.received for d in days) == 13796


def test_a_site_without_receptions_and_an_earlier_as_of_count_less(source_data):
    nomura = Site.objects.get(name="野村支所")
    figures = selectors.reception_figures(AS_OF, CounterFilter(*selectors.SOURCE_PERIOD, nomura.pk))
    assert [f.value for f in figures] == [0, 0, None]
    assert figures[2].display == "－"
    early = selectors.reception_figures(AsOf(dt.date(2022, 5, 31)), SOURCE)
    assert 0 < early[0].value < 13796
    assert early[0].period_end == dt.date(2022, 5, 31)


def test_each_figure_is_one_query(source_data, django_assert_num_queries):
    for function in (
        selectors.reception_totals,
        selectors.by_hour,
        selectors.by_weekday,
        selectors.rate_by_week,
        selectors.rate_by_month,
        selectors.cashless,
    ):
        with django_assert_num_queries(1):
            function(AsOf(dt.date(2022, 11, 1)), SOURCE)
