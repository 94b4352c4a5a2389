"""The chart of seats secured against seats needed by floor, with the same figures as a table."""

from __future__ import annotations

import json

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from core.charts import FONT, Chart, plotly_text
from core.japanese import number

from .selectors import Total

CHART_FLOORS = 40  # bars drawn (and rows of the table under them); the page's table has all


def seats_by_floor(key: str, title: str, floors: list[Total]) -> Chart:
    """Grouped horizontal bars per floor: 確保席数 and 必要数; the table adds 過不足 (△).

    At most CHART_FLOORS floors: when there are more, the smallest 過不足 first."""
    if len(floors) > CHART_FLOORS:
        floors = sorted(floors, key=lambda f: f.balance)[:CHART_FLOORS]
        title = _("%(title)s（過不足の小さい順に%(n)s階）") % {"title": title, "n": CHART_FLOORS}
    labels = [plotly_text(f.label) for f in floors]
    secured, needed = _("確保席数"), _("必要数")
    figure = go.Figure(
        [
            go.Bar(
                name=secured,
                y=labels,
                x=[f.seats_secured for f in floors],
                orientation="h",
                text=[number(f.seats_secured) for f in floors],
                textposition="auto",
                hovertemplate="%{y} " + secured + ": %{text}<extra></extra>",
                marker_color="#1d4f91",
            ),
            go.Bar(
                name=needed,
                y=labels,
                x=[f.seats_needed for f in floors],
                orientation="h",
                text=[number(f.seats_needed) for f in floors],
                textposition="auto",
                hovertemplate="%{y} " + needed + ": %{text}<extra></extra>",
                marker_color="#c2571a",
            ),
        ]
    )
    figure.update_layout(
        barmode="group",
        font_family=FONT,
        margin={"l": 10, "r": 10, "t": 10, "b": 30},
        height=80 + 48 * max(len(floors), 1),
        yaxis={"autorange": "reversed", "automargin": True},
        xaxis={"title": {"text": _("席")}, "rangemode": "tozero", "tickformat": ",d"},
        legend={"orientation": "h"},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
    )
    return Chart(
        key=key,
        title=title,
        figure=json.loads(figure.to_json()),
        header=[_("階"), secured, needed, _("過不足")],
        rows=[
            [f.label, number(f.seats_secured), number(f.seats_needed), number(f.balance)]
            for f in floors
        ],
        numeric_columns={1, 2, 3},
    )
