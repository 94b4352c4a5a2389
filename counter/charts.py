"""The counter's plotly charts, each with the same numbers as a table (core.charts.Chart).

The figures are written as plain plotly JSON (dicts), not through ``plotly.graph_objects``:
building and validating a ``go.Figure`` took most of the page's time, and the page draws five.
"""

from __future__ import annotations

import html

from django.utils.html import format_html, json_script
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.charts import FONT, Chart, plotly_text
from core.japanese import number, percent

from .selectors import Bucket, CashlessTotals

BLUE, ORANGE = "#1d4f91", "#c55a11"


def _layout(**extra) -> dict:
    return {
        "font": {"family": FONT},
        "margin": {"l": 10, "r": 10, "t": 10, "b": 40},
        "height": 320,
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "legend": {"orientation": "h", "y": -0.2},
        **extra,
    }


def _counts_rows(buckets: list[Bucket]) -> list[list[str]]:
    return [[b.label, number(b.received), number(b.handled), percent(b.rate)] for b in buckets]


def hours_chart(buckets: list[Bucket]) -> Chart:
    """参考1: receptions per hour of day as bars, those handled at the counter inside them."""
    labels = [plotly_text(b.label) for b in buckets]
    hover = "%{x}: %{y:,d}件<extra></extra>"
    data = [
        {
            "type": "bar",
            "x": labels,
            "y": [b.received for b in buckets],
            "name": _("総合受付件数"),
            "marker": {"color": BLUE},
            "hovertemplate": hover,
        },
        {
            "type": "bar",
            "x": labels,
            "y": [b.handled for b in buckets],
            "name": _("うち総合窓口での処理件数"),
            "marker": {"color": ORANGE},
            "hovertemplate": hover,
        },
    ]
    return Chart(
        key="counter-hours",
        title=_("時間帯別の受付件数（参考1）"),
        figure={
            "data": data,
            "layout": _layout(
                barmode="overlay",
                yaxis={"tickformat": ",d", "title": {"text": "件"}, "rangemode": "tozero"},
            ),
        },
        header=[_("時間帯"), _("総合受付件数"), _("うち総合窓口での処理件数"), _("受付率")],
        rows=_counts_rows(buckets),
        numeric_columns={1, 2, 3},
    )


def rate_chart(key: str, title: str, label_header: str, buckets: list[Bucket]) -> Chart:
    """参考2: the rate over time as a line (each point from the period's summed counts)."""
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "x": [plotly_text(b.label) for b in buckets],
            "y": [round(b.rate * 100, 1) if b.rate is not None else None for b in buckets],
            "line": {"color": BLUE},
            "hovertemplate": "%{x}: %{y:.1f}%<extra></extra>",
        }
    ]
    return Chart(
        key=key,
        title=title,
        figure={
            "data": data,
            "layout": _layout(
                yaxis={"title": {"text": "%"}, "rangemode": "tozero", "ticksuffix": "%"}
            ),
        },
        header=[label_header, _("総合受付件数"), _("うち総合窓口での処理件数"), _("受付率")],
        rows=_counts_rows(buckets),
        numeric_columns={1, 2, 3},
    )


def _horizontal_bars(labels: list[str], values: list[int], formatted: list[str]) -> dict:
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "x": values,
                "y": [plotly_text(label) for label in labels],
                "text": formatted,
                "textposition": "auto",
                "hovertemplate": "%{y}: %{text}<extra></extra>",
                "marker": {"color": BLUE},
            }
        ],
        "layout": _layout(
            height=60 + 36 * max(len(labels), 1),
            yaxis={"autorange": "reversed", "automargin": True},
            xaxis={"title": {"text": "件"}, "rangemode": "tozero", "tickformat": ",d"},
            showlegend=False,
        ),
    }


def weekday_chart(buckets: list[Bucket]) -> Chart:
    return Chart(
        key="counter-weekdays",
        title=_("曜日別の受付件数"),
        figure=_horizontal_bars(
            [b.label for b in buckets],
            [b.received for b in buckets],
            [number(b.received) for b in buckets],
        ),
        header=[_("曜日"), _("総合受付件数"), _("うち総合窓口での処理件数"), _("受付率")],
        rows=_counts_rows(buckets),
        numeric_columns={1, 2, 3},
    )


def cashless_chart(totals: CashlessTotals) -> Chart:
    return Chart(
        key="counter-cashless",
        title=_("決済手段別のキャッシュレス決済"),
        figure=_horizontal_bars(
            [m.name for m in totals.methods],
            [m.count for m in totals.methods],
            [number(m.count) for m in totals.methods],
        ),
        header=[_("決済手段"), _("件数"), _("金額（円）")],
        rows=[[m.name, number(m.count), number(m.amount)] for m in totals.methods]
        + [[_("合計"), number(totals.count), number(totals.amount)]],
        numeric_columns={1, 2},
    )


def _escaped(value) -> str:
    """What ``conditional_escape`` writes for a cell (safe text as it is, other text escaped
    as Django escapes it), without its per-call lazy-text checks."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def chart_html(chart: Chart):
    """The markup of ``includes/chart.html`` for one chart, written in one pass: the page draws
    five charts with their tables, and the template's per-cell loops were a large part of its
    time. Same elements, ids and attributes (``static/js/charts.js`` draws from them)."""
    numeric = chart.numeric_columns

    def cell(tag: str, i: int, value, scope: str = "") -> str:
        num = ' class="num"' if i in numeric else ""
        return f"<{tag}{scope}{num}>{_escaped(value)}</{tag}>"

    # Plain joins over escaped text, not ``format_html`` per cell: the cells were most of the
    # page's own time (about 300 ``format_html`` calls, each escaping through lazy-text checks).
    head = mark_safe("".join(cell("th", i, h, ' scope="col"') for i, h in enumerate(chart.header)))
    body = mark_safe(
        "".join(
            "<tr>"
            + cell("th", -1, row[0], ' scope="row"')
            + "".join(cell("td", i, value) for i, value in enumerate(row[1:], start=1))
            + "</tr>"
            for row in chart.rows
        )
    )
    return format_html(
        '<figure class="chart" aria-labelledby="{dom}-caption">\n'
        '  <figcaption id="{dom}-caption">{title}</figcaption>\n'
        '  <div class="chart-canvas" data-chart="{data}" role="img" aria-label="{title}（{note}）">'
        "</div>\n  {script}\n"
        '  <details class="chart-table" open>\n    <summary>{show}</summary>\n'
        '    <table class="data">\n      <caption class="visually-hidden">{title}</caption>\n'
        "      <thead><tr>{head}</tr></thead>\n      <tbody>{body}</tbody>\n    </table>\n"
        "  </details>\n</figure>",
        dom=chart.dom_id,
        data=chart.data_id,
        title=chart.title,
        note=_("数値は下の表にあります"),
        script=json_script(chart.figure, chart.data_id),
        show=_("表を表示"),
        head=head,
        body=body,
    )
