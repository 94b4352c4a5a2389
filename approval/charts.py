"""The rate over time as a plotly line chart, with the same numbers as a table."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from core.charts import FONT, Chart, plotly_text
from core.japanese import number, percent

from .models import rate_of
from .selectors import NO_RATE, RateSeries, rate_text


def _percent_value(rate: Decimal | None) -> float | None:
    return None if rate is None else round(float(rate) * 100, 1)


def _scatter(**trace) -> dict:
    return {"type": "scatter", **trace}


def rate_chart(series: RateSeries) -> Chart:
    """全庁 (bold), each department, the target per fiscal year (a dashed step line) and the
    published whole-office rates (markers); the table under it has every number shown.

    The figure is written as plotly's JSON directly: ``plotly.graph_objects`` validates every
    property of every trace, which took about a second with 50 departments."""
    labels = [m.label for m in series.months]
    traces = [
        _scatter(
            x=labels,
            y=[_percent_value(m.whole_rate) for m in series.months],
            name=_("全庁"),
            mode="lines+markers",
            line={"width": 4, "color": "#1d4f91"},
            hovertemplate="%{x} 全庁: %{y:.1f}%<extra></extra>",
        )
    ]
    for department_id, name in series.departments:
        values = []
        for month in series.months:
            counts = month.departments.get(department_id)
            values.append(_percent_value(rate_of(*counts)) if counts else None)
        traces.append(
            _scatter(
                x=labels,
                y=values,
                name=plotly_text(name),
                mode="lines+markers",
                line={"width": 1.5},
                hovertemplate="%{x} " + plotly_text(name) + ": %{y:.1f}%<extra></extra>",
            )
        )
    traces.append(
        _scatter(
            x=labels,
            y=[None if m.target is None else float(m.target) for m in series.months],
            name=_("目標"),
            mode="lines",
            line={"dash": "dash", "color": "#b00020", "shape": "hv", "width": 2},
            hovertemplate="%{x} 目標: %{y:.1f}%<extra></extra>",
        )
    )
    if any(m.published is not None for m in series.months):
        traces.append(
            _scatter(
                x=labels,
                y=[None if m.published is None else float(m.published) for m in series.months],
                name=_("全庁（公表値）"),
                mode="markers",
                marker={"symbol": "diamond", "size": 12, "color": "#f0a500"},
                hovertemplate="%{x} 公表値: %{y:.1f}%<extra></extra>",
            )
        )
    layout = {
        "font": {"family": FONT},
        "margin": {"l": 10, "r": 10, "t": 10, "b": 40},
        "height": 380,
        "yaxis": {"title": {"text": "%"}, "range": [0, 100], "automargin": True},
        "xaxis": {"type": "category", "automargin": True},
        "legend": {"orientation": "h", "y": -0.2},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
    }
    header = [
        _("月"),
        _("全庁"),
        _("全庁の決裁件数"),
        *[name for _id, name in series.departments],
        _("目標"),
        _("全庁（公表値）"),
    ]
    rows = []
    for month in series.months:
        cells = [
            month.label,
            _cell(month.whole_electronic, month.whole_total),
            "" if month.whole_total is None else number(month.whole_total),
        ]
        for department_id, _name in series.departments:
            counts = month.departments.get(department_id)
            cells.append(_cell(*counts) if counts else "")
        cells.append("" if month.target is None else percent(month.target / 100, 1))
        cells.append("" if month.published is None else percent(month.published / 100, 1))
        rows.append(cells)
    return Chart(
        key="approval-rate",
        title=_("電子決裁率の推移（月別）"),
        figure={"data": traces, "layout": layout},
        header=header,
        rows=rows,
        numeric_columns=set(range(1, len(header))),
    )


def _cell(electronic: int | None, total: int | None) -> str:
    """A month's rate as the table shows it: empty without counts, 「－」 for a zero total."""
    if total is None:
        return ""
    rate = rate_of(electronic, total)
    return NO_RATE if rate is None else rate_text(rate)
