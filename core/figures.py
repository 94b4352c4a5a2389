"""A figure: one value that a page, a dashboard panel and a workbook sheet all show the same way.

It carries its unit, how it prints, the period it covers, its numerator and denominator where it
is a ratio of counted things, a one-line definition and where it came from. Areas compute their
figures in their selectors and hand these objects to pages, panels and sheets.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from . import japanese


class FigureSource(models.TextChoices):
    COUNTED = "counted", _("データから集計")
    PUBLISHED = "published", _("公表値（内訳のデータなし）")
    RECONSTRUCTED = "reconstructed", _("再構成したデモデータ")


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: int | float | Decimal | None
    unit: str  # 件, 円, 千円, % (a ratio: 0.584 prints as 58.4%)
    definition: str
    source: FigureSource
    period_start: dt.date | None = None
    period_end: dt.date | None = None  # the as-of date when there is no start
    numerator: int | None = None
    denominator: int | None = None
    numerator_label: str = ""
    denominator_label: str = ""
    digits: int | None = None  # decimals; default 0, or 1 for a rate
    updated_on: dt.date | None = None  # the newest data behind the figure (データ更新日)
    stale_after_days: int | None = None  # older data than this before the as-of date: stale

    @property
    def is_stale(self) -> bool:
        """Whether the data behind it is older than the figure allows, as of its date."""
        if self.updated_on is None or self.stale_after_days is None or self.period_end is None:
            return False
        return (self.period_end - self.updated_on).days > self.stale_after_days

    @property
    def is_rate(self) -> bool:
        return self.unit == "%"

    @property
    def formatted(self) -> str:
        """The number as printed, without its unit: 187,197 / △7 / 58.4%."""
        if self.value is None:
            return japanese.EMPTY
        if self.is_rate:
            return japanese.percent(self.value, 1 if self.digits is None else self.digits)
        return japanese.number(self.value, self.digits or 0)

    @property
    def display(self) -> str:
        """With its unit: 187,197千円, 221件, 58.4%."""
        if self.is_rate or self.value is None:
            return self.formatted
        return f"{self.formatted}{self.unit}"

    @property
    def period_label(self) -> str:
        if self.period_start and self.period_end:
            return f"{japanese.wareki(self.period_start)}～{japanese.wareki(self.period_end)}"
        if self.period_end:
            return _("%(date)s時点") % {"date": japanese.wareki(self.period_end)}
        return ""

    @property
    def ratio_label(self) -> str:
        """分子／分母 in words: 8,061件 ／ 13,796件."""
        if self.numerator is None or self.denominator is None:
            return ""
        return (
            f"{self.numerator_label}{japanese.number(self.numerator)} ／ "
            f"{self.denominator_label}{japanese.number(self.denominator)}"
        )

    # The columns of a data sheet of figures (one header row, one value per cell).
    SHEET_HEADER = (
        "指標", "値", "単位", "時点・期間", "期間開始", "期間終了", "分子", "分母", "定義",
        "出典", "出典資料", "データ更新日",
    )  # fmt: skip
    POINT_IN_TIME = "時点"
    PERIOD = "期間"

    def sheet_row(self, paper: str = "") -> tuple:
        """One row of the figures' data sheet. A figure as of a day (no start) is a point in
        time: its period starts and ends on that day, so no cell of the period is empty.
        ``paper`` names the papers its data came from (2022-11-01 会議資料), if any."""
        value = self.value
        if isinstance(value, Decimal):
            value = float(value)
        start = self.period_start or self.period_end
        return (
            self.label,
            value,
            self.unit,
            self.PERIOD if self.period_start else self.POINT_IN_TIME,
            start,
            self.period_end,
            self.numerator,
            self.denominator,
            self.definition,
            str(self.source.label),
            paper,
            self.updated_on,
        )
