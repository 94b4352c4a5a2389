"""The rollout timeline as of a date: one bar per site from the contract to its go-live (the
actual date, the planned one, or open-ended to the deadline when 未定), with lines for the
as-of date and the contract's deadline; the same figures as a table underneath."""

from __future__ import annotations

import datetime as dt
import json

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from core.charts import FONT, Chart, plotly_text
from core.japanese import EMPTY, wareki

from .selectors import SiteRow, State, short_date

DAY_MS = 86_400_000
COLOURS = {
    State.LIVE: "#1b7837",
    State.SCHEDULED: "#1d4f91",
    State.OVERDUE: "#b35806",
    State.UNDECIDED: "#9e9e9e",
}


def timeline_chart(rows: list[SiteRow], start: dt.date, due_on: dt.date, day: dt.date) -> Chart:
    figure = go.Figure()
    names = [plotly_text(row.name) for row in rows]
    for state in (State.LIVE, State.SCHEDULED, State.OVERDUE, State.UNDECIDED):
        chosen = [row for row in rows if row.state == state]
        if not chosen:
            continue
        ends = [row.current_plan or due_on for row in chosen]
        figure.add_trace(
            go.Bar(
                name=_(State.LABELS[state]),
                y=[plotly_text(row.name) for row in chosen],
                base=[start.isoformat()] * len(chosen),
                x=[((end - start).days + 1) * DAY_MS for end in ends],
                orientation="h",
                marker={
                    "color": COLOURS[state],
                    "pattern": {"shape": "/" if state == State.UNDECIDED else ""},
                },
                text=[_hover(row) for row in chosen],
                textposition="none",
                hovertemplate="%{y}: %{text}<extra></extra>",
            )
        )
    figure.add_trace(
        go.Scatter(
            name=_("当初予定"),
            x=[row.first_planned_on.isoformat() for row in rows],
            y=names,
            mode="markers",
            marker={"symbol": "diamond-open", "size": 11, "color": "#000"},
            hovertemplate="%{y}: " + _("当初予定") + " %{x|%m/%d}<extra></extra>",
        )
    )
    warned = [row for row in rows if row.deadline_warning]
    if warned:
        figure.add_trace(
            go.Scatter(
                name=_("履行期限の注意"),
                x=[due_on.isoformat()] * len(warned),
                y=[plotly_text(row.name) for row in warned],
                mode="markers+text",
                text=["⚠"] * len(warned),
                textposition="middle right",
                marker={"symbol": "triangle-up", "size": 12, "color": "#d62728"},
                customdata=[plotly_text(row.deadline_warning) for row in warned],
                hovertemplate="%{y}: %{customdata}<extra></extra>",
            )
        )
    figure.update_layout(
        font_family=FONT,
        barmode="overlay",
        margin={"l": 10, "r": 10, "t": 30, "b": 30},
        height=90 + 36 * max(len(rows), 1),
        yaxis={
            "autorange": "reversed",
            "automargin": True,
            "categoryorder": "array",
            "categoryarray": names,
        },
        xaxis={"type": "date", "tickformat": "%m/%d"},
        legend={"orientation": "h", "y": 1.1},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        shapes=[_line(day, "#d62728", "dash"), _line(due_on, "#000", "solid")],
        annotations=[
            _label(day, _("時点 %(date)s") % {"date": short_date(day)}),
            _label(due_on, _("履行期限 %(date)s") % {"date": short_date(due_on)}),
        ],
    )
    return Chart(
        key="pbx-timeline",
        title=_("施設ごとの運用開始（予定と実績、%(date)s時点）") % {"date": wareki(day)},
        figure=json.loads(figure.to_json()),
        header=[_("施設"), _("当初予定"), _("現在の予定・実績"), _("状況"), _("履行期限の注意")],
        rows=[
            [
                row.name,
                wareki(row.first_planned_on),
                _("未定") if row.current_plan is None else wareki(row.current_plan),
                row.state_label,
                row.deadline_warning or EMPTY,
            ]
            for row in rows
        ],
    )


def _hover(row: SiteRow) -> str:
    plan = " → ".join(label for label, _superseded in row.story)
    text = f"{plan}（{row.state_label}）"
    if row.deadline_warning:
        text += f" {row.deadline_warning}"
    return plotly_text(text)


def _line(day: dt.date, colour: str, dash: str) -> dict:
    return {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": day.isoformat(),
        "x1": day.isoformat(),
        "y0": 0,
        "y1": 1,
        "line": {"color": colour, "dash": dash, "width": 2},
    }


def _label(day: dt.date, text: str) -> dict:
    return {
        "x": day.isoformat(),
        "xref": "x",
        "y": 1,
        "yref": "paper",
        "yanchor": "bottom",
        "text": plotly_text(text),
        "showarrow": False,
        "font": {"size": 11},
    }
