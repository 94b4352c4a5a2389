"""The counter's plotly charts, each with the same numbers as a table (core.charts.Chart)."""

from __future__ import annotations

import json

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from core.charts import FONT, Chart, bar_chart, plotly_text
from core.japanese import number, percent

from .selectors import Bucket, CashlessTotals

BLUE, ORANGE = "#1d4f91", "#c55a11"


def _layout(figure: go.Figure, **extra) -> dict:
    figure.update_layout(
        font_family=FONT,
        margin={"l": 10, "r": 10, "t": 10, "b": 40},
        height=320,
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        legend={"orientation": "h", "y": -0.2},
        **extra,
    )
    return json.loads(figure.to_json())


def hours_chart(buckets: list[Bucket]) -> Chart:
    """参考1: receptions per hour of day as bars, those handled at the counter inside them."""
    labels = [plotly_text(b.label) for b in buckets]
    figure = go.Figure(
        [
            go.Bar(
                x=labels,
                y=[b.received for b in buckets],
                name=_("総合受付件数"),
                marker_color=BLUE,
                hovertemplate="%{x}: %{y:,d}件<extra></extra>",
            ),
            go.Bar(
                x=labels,
                y=[b.handled for b in buckets],
                name=_("うち総合窓口での処理件数"),
                marker_color=ORANGE,
                hovertemplate="%{x}: %{y:,d}件<extra></extra>",
            ),
        ]
    )
    return Chart(
        key="counter-hours",
        title=_("時間帯別の受付件数（参考1）"),
        figure=_layout(
            figure, barmode="overlay", yaxis={"tickformat": ",d", "title": {"text": "件"}}
        ),
        header=[_("時間帯"), _("総合受付件数"), _("うち総合窓口での処理件数"), _("受付率")],
        rows=[[b.label, number(b.received), number(b.handled), percent(b.rate)] for b in buckets],
        numeric_columns={1, 2, 3},
    )


def rate_chart(key: str, title: str, label_header: str, buckets: list[Bucket]) -> Chart:
    """参考2: the rate over time as a line (each point from the period's summed counts)."""
    figure = go.Figure(
        go.Scatter(
            x=[plotly_text(b.label) for b in buckets],
            y=[round(b.rate * 100, 1) if b.rate is not None else None for b in buckets],
            mode="lines+markers",
            line={"color": BLUE},
            hovertemplate="%{x}: %{y:.1f}%<extra></extra>",
        )
    )
    return Chart(
        key=key,
        title=title,
        figure=_layout(
            figure, yaxis={"title": {"text": "%"}, "rangemode": "tozero", "ticksuffix": "%"}
        ),
        header=[label_header, _("総合受付件数"), _("うち総合窓口での処理件数"), _("受付率")],
        rows=[[b.label, number(b.received), number(b.handled), percent(b.rate)] for b in buckets],
        numeric_columns={1, 2, 3},
    )


def weekday_chart(buckets: list[Bucket]) -> Chart:
    return bar_chart(
        "counter-weekdays",
        _("曜日別の受付件数"),
        [b.label for b in buckets],
        [b.received for b in buckets],
        unit="件",
        label_header=_("曜日"),
        value_header=_("総合受付件数"),
        formatted=[number(b.received) for b in buckets],
    )


def cashless_chart(totals: CashlessTotals) -> Chart:
    chart = bar_chart(
        "counter-cashless",
        _("決済手段別のキャッシュレス決済"),
        [m.name for m in totals.methods],
        [m.count for m in totals.methods],
        unit="件",
        label_header=_("決済手段"),
        value_header=_("件数"),
        formatted=[number(m.count) for m in totals.methods],
    )
    chart.header = [_("決済手段"), _("件数"), _("金額（円）")]
    chart.rows = [[m.name, number(m.count), number(m.amount)] for m in totals.methods] + [
        [_("合計"), number(totals.count), number(totals.amount)]
    ]
    chart.numeric_columns = {1, 2}
    return chart
