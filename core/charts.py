"""plotly charts for pages and panels, each with the same figures as a table.

The figure goes into the page as JSON (``json_script``) and is drawn by static/js/charts.js
with the plotly.js that the app serves itself (no CDN, no inline script). The table under the
chart is open when JavaScript is off and for screen readers.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field

import plotly.graph_objects as go

FONT = '"Noto Sans JP", "IPAexGothic", "Hiragino Sans", "Meiryo", sans-serif'


@dataclass
class Chart:
    key: str
    title: str
    figure: dict  # plotly JSON, plain data only
    header: list[str]
    rows: list[list[str]]  # formatted cells, as the table under the chart shows them
    numeric_columns: set[int] = field(default_factory=set)

    @property
    def dom_id(self) -> str:
        return f"chart-{self.key}"

    @property
    def data_id(self) -> str:
        return f"chart-{self.key}-data"


def plotly_text(text: str) -> str:
    """plotly renders some HTML in labels (<b>, <a href>): user text goes in escaped."""
    return html.escape(str(text), quote=False)


def bar_chart(
    key: str,
    title: str,
    labels: list[str],
    values: list[int | float],
    *,
    unit: str,
    value_header: str,
    label_header: str,
    formatted: list[str],
) -> Chart:
    """A horizontal bar chart (long Japanese labels read better on the vertical axis)."""
    figure = go.Figure(
        go.Bar(
            x=values,
            y=[plotly_text(label) for label in labels],
            orientation="h",
            text=formatted,
            textposition="auto",
            hovertemplate="%{y}: %{text}<extra></extra>",
            marker_color="#1d4f91",
        )
    )
    figure.update_layout(
        font_family=FONT,
        margin={"l": 10, "r": 10, "t": 10, "b": 30},
        height=60 + 36 * max(len(labels), 1),
        yaxis={"autorange": "reversed", "automargin": True},
        xaxis={"title": {"text": unit}, "rangemode": "tozero", "tickformat": ",d"},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
    )
    return Chart(
        key=key,
        title=title,
        figure=json.loads(figure.to_json()),
        header=[label_header, value_header],
        rows=[[label, text] for label, text in zip(labels, formatted, strict=True)],
        numeric_columns={1},
    )
