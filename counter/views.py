"""総合窓口: the figures for a period and site, the charts (each also a table and a CSV), the
departments' requests and the plans."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.japanese import wareki
from core.spreadsheets import csv_response
from reports.views import parse_as_of

from . import charts, selectors
from .filters import CounterRequestFilter
from .forms import CounterPeriodForm
from .tables import CounterPlanTable, CounterRequestTable

LIST_LIMIT = selectors.LIST_LIMIT


def _bucket_rows(buckets):
    return [(b.label, b.received, b.handled, b.rate) for b in buckets]


def _downloads(as_of, f):
    """The data behind each chart, as CSV: name → (file title, header, rows)."""
    rate_header = [_("総合受付件数"), _("うち総合窓口での処理件数"), _("受付率")]
    return {
        "hours": (
            _("時間帯別"),
            [_("時間帯"), *rate_header],
            lambda: _bucket_rows(selectors.by_hour(as_of, f)),
        ),
        "weekdays": (
            _("曜日別"),
            [_("曜日"), *rate_header],
            lambda: _bucket_rows(selectors.by_weekday(as_of, f)),
        ),
        "weeks": (
            _("週別"),
            [_("週"), *rate_header],
            lambda: _bucket_rows(selectors.rate_by_week(as_of, f)),
        ),
        "months": (
            _("月別"),
            [_("月"), *rate_header],
            lambda: _bucket_rows(selectors.rate_by_month(as_of, f)),
        ),
        "cashless": (
            _("キャッシュレス決済"),
            [_("決済手段"), _("件数"), _("金額（円）")],
            lambda: [(m.name, m.count, m.amount) for m in selectors.cashless(as_of, f).methods],
        ),
    }


@permission_required("counter.view_receptiontally", raise_exception=True)
def summary(request):
    """The counter's figures for the chosen period and site (the source period by default), as
    of a day (``?as_of=``, today by default): receptions and payments dated after it are not
    counted; requests, plans, published figures and sites' names are as recorded by then.

    Queries do not grow with the receptions: each figure and chart is one aggregate query over
    the daily tallies.
    """
    as_of = parse_as_of(request)
    form = CounterPeriodForm(request.GET, sites=selectors.site_list(as_of))
    f = form.counter_filter()
    downloads = _downloads(as_of, f)
    wanted = request.GET.get("download")
    if wanted in downloads:
        title, header, rows = downloads[wanted]
        filename = _("総合窓口_%(what)s_%(start)s～%(end)s_%(date)s時点.csv") % {
            "date": as_of.day.isoformat(),
            "what": title,
            "start": f.start.isoformat(),
            "end": f.until(as_of).isoformat(),
        }
        return csv_response(filename, header, rows())
    requests = CounterRequestFilter(
        request.GET or None, queryset=selectors.requests(as_of), prefix="request"
    )
    cashless = selectors.cashless(as_of, f)
    hours = selectors.by_hour(as_of, f)
    query = request.GET.copy()
    query.pop("download", None)
    context = {
        "as_of": as_of,
        "form": form,
        "period": f,
        "until": f.until(as_of),
        "figures": selectors.reception_figures(as_of, f),
        "cashless_figures": selectors.cashless_figures(as_of, f),
        "published": selectors.published_figures(as_of),
        "busiest": selectors.busiest_hours(hours),
        "charts": [
            (charts.chart_html(chart), chart.title, name)
            for chart, name in (
                (charts.hours_chart(hours), "hours"),
                (
                    charts.rate_chart(
                        "counter-weeks",
                        _("週ごとの受付率（参考2）"),
                        _("週"),
                        selectors.rate_by_week(as_of, f),
                    ),
                    "weeks",
                ),
                (
                    charts.rate_chart(
                        "counter-months",
                        _("月ごとの受付率（参考2）"),
                        _("月"),
                        selectors.rate_by_month(as_of, f),
                    ),
                    "months",
                ),
                (charts.weekday_chart(selectors.by_weekday(as_of, f)), "weekdays"),
            )
        ],
        "cashless_chart": charts.chart_html(charts.cashless_chart(cashless)),
        "has_cashless": bool(cashless.methods),
        "request_filter": requests,
        "request_table": CounterRequestTable(list(requests.qs[:LIST_LIMIT])),
        "plan_table": CounterPlanTable(selectors.plans(as_of)),
        "download_query": query.urlencode(),
        "period_label": f"{wareki(f.start)}～{wareki(f.until(as_of))}",
    }
    return render(request, "counter/summary.html", context)
