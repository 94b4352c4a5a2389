"""Japanese formatting used by every page and export: era dates, fiscal years (年度), numbers.

No PyPI package prints exactly what city forms need (令和元年, 令和4年11月24日, R04.2.25), so the
era table lives here. Functions return plain strings; ``templatetags/japanese.py`` wraps them
as template filters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings


@dataclass(frozen=True)
class Era:
    name: str
    letter: str
    starts: dt.date
    first_year: int | None = None  # the Western year of its 元年, when not that of ``starts``

    @property
    def year_one(self) -> int:
        return self.first_year or self.starts.year


# Newest first. Meiji dates are printed from the adoption of the solar calendar (1873-01-01,
# 明治6年); its years are still counted from 1868 (明治元年).
ERAS = (
    Era("令和", "R", dt.date(2019, 5, 1)),
    Era("平成", "H", dt.date(1989, 1, 8)),
    Era("昭和", "S", dt.date(1926, 12, 25)),
    Era("大正", "T", dt.date(1912, 7, 30)),
    Era("明治", "M", dt.date(1873, 1, 1), first_year=1868),
)
FIRST_PRINTABLE_DAY = ERAS[-1].starts

# How every page prints a value that is not there (no amount, no rate, no date): one mark.
EMPTY = "－"


def era_of(day: dt.date) -> tuple[Era, int]:
    """The era a date falls in and its year within that era (1 for 元年)."""
    if isinstance(day, dt.datetime):
        day = day.date()
    for era in ERAS:
        if day >= era.starts:
            return era, day.year - era.year_one + 1
    raise ValueError(f"{day} is before the eras this module knows")


def _western(year: int, suffix: str = "年") -> str:
    if getattr(settings, "SEIYO_WESTERN_YEAR_ALONGSIDE", False):
        return f"({year}{suffix})"
    return ""


def era_year(day: dt.date) -> str:
    """令和4年, 令和元年."""
    era, year = era_of(day)
    return f"{era.name}{'元' if year == 1 else year}年{_western(day.year)}"


def wareki(day: dt.date | None) -> str:
    """The long form city documents use: 令和4年11月1日 (令和元年5月1日 in the first year)."""
    if day is None:
        return ""
    return f"{era_year(day)}{day.month}月{day.day}日"


def wareki_abbr(day: dt.date | None) -> str:
    """The short form of forms and contracts: R04.2.25 (two-digit era year)."""
    if day is None:
        return ""
    era, year = era_of(day)
    return f"{era.letter}{year:02d}.{day.month}.{day.day}"


def fiscal_year_of(day: dt.date) -> int:
    """The fiscal year (年度) a date falls in, named by the Western year it starts in."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_bounds(fiscal_year: int) -> tuple[dt.date, dt.date]:
    """First and last day of a fiscal year: 2022 → 2022-04-01 … 2023-03-31."""
    return dt.date(fiscal_year, 4, 1), dt.date(fiscal_year + 1, 3, 31)


def _fiscal_era(fiscal_year: int) -> tuple[Era, int]:
    # A fiscal year takes the era of the calendar year it starts in, as that year ends:
    # fiscal 2019 began under 平成 but is 令和元年度; fiscal 1988 stays 昭和63年度.
    return era_of(dt.date(fiscal_year, 12, 31))


def fiscal_year_label(fiscal_year: int | None) -> str:
    """令和4年度; 令和元年度 for fiscal 2019."""
    if fiscal_year is None:
        return ""
    era, year = _fiscal_era(fiscal_year)
    return f"{era.name}{'元' if year == 1 else year}年度{_western(fiscal_year, '年度')}"


def fiscal_year_heading(fiscal_year: int) -> str:
    """A data sheet's fiscal year: the Western year first, the era beside it: 2022年度（令和4年度）.

    Data sheets give dates and years with the Western year (the Ministry of Internal Affairs'
    rules for machine-readable tables); the era label is kept beside it for the reader.
    """
    era, year = _fiscal_era(fiscal_year)
    return f"{fiscal_year}年度（{era.name}{'元' if year == 1 else year}年度）"


def fiscal_year_abbr(fiscal_year: int) -> str:
    """R4 (as in the schedule's status R4継続)."""
    era, year = _fiscal_era(fiscal_year)
    return f"{era.letter}{year}"


def number(value: int | float | Decimal | None, digits: int = 0) -> str:
    """Thousands separators and △ for negatives: 187,197 / △7."""
    if value is None:
        return ""
    quantized = Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    text = f"{abs(quantized):,.{digits}f}"
    return f"△{text}" if quantized < 0 else text


def percent(ratio: float | Decimal | None, digits: int = 1) -> str:
    """A ratio as a percentage to one decimal, rounded half up: 0.58430 → 58.4%."""
    if ratio is None:
        return ""
    return f"{number(Decimal(str(ratio)) * 100, digits)}%"


def person_name(user) -> str:
    """A user's name as Japanese documents print it: family name first (田中 花子)."""
    if user is None:
        return ""
    full = f"{user.last_name} {user.first_name}".strip()
    return full or user.get_username()


# --- Periods: a date with its precision, as the papers print them --------------------------
#
# The papers date the programme's steps by day (令和4年11月1日), month (R03.11), fiscal half
# (令和4年度上期), fiscal year (令和4年度), a span of months (R04.01〜R04.12) or a span counted
# from the previous one (1〜2年, それ以降). A period is its first day, its precision and, for a
# span, its last day; an open period has no last day.

DAY = "day"
MONTH = "month"
FISCAL_HALF = "fiscal_half"
FISCAL_YEAR = "fiscal_year"
SPAN = "span"
OPEN = "open"
PRECISIONS = (DAY, MONTH, FISCAL_HALF, FISCAL_YEAR, SPAN, OPEN)
RANGE_MARK = "〜"


def _month_end(day: dt.date) -> dt.date:
    following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def wareki_month(day: dt.date | None) -> str:
    """令和3年11月 (the papers' R03.11)."""
    if day is None:
        return ""
    return f"{era_year(day)}{day.month}月"


def fiscal_half_label(day: dt.date) -> str:
    """令和4年度上期 (April–September) or 令和4年度下期 (October–March)."""
    half = "上期" if 4 <= day.month <= 9 else "下期"
    return f"{fiscal_year_label(fiscal_year_of(day))}{half}"


def period_start(start: dt.date, precision: str) -> dt.date:
    """The first day of the period a date names at a precision (sorting uses it)."""
    if precision in (MONTH, SPAN, OPEN):
        return start if precision != MONTH else start.replace(day=1)
    if precision == FISCAL_HALF:
        fiscal_year = fiscal_year_of(start)
        return dt.date(fiscal_year, 4, 1) if 4 <= start.month <= 9 else dt.date(fiscal_year, 10, 1)
    if precision == FISCAL_YEAR:
        return fiscal_year_bounds(fiscal_year_of(start))[0]
    return start


def period_end(start: dt.date, precision: str, end: dt.date | None = None) -> dt.date | None:
    """The last day of a period (None for an open one): past it, an unfinished step is late."""
    if precision == DAY:
        return start
    if precision == MONTH:
        return _month_end(start)
    if precision == FISCAL_HALF:
        return _add_months(period_start(start, FISCAL_HALF), 6) - dt.timedelta(days=1)
    if precision == FISCAL_YEAR:
        return fiscal_year_bounds(fiscal_year_of(start))[1]
    if precision == SPAN:
        return end
    return None


def _whole_months(start: dt.date, end: dt.date) -> bool:
    return start.day == 1 and end == _month_end(end)


def _span_label(start: dt.date, end: dt.date) -> str:
    """令和4年1月〜12月, 令和4年1月〜令和5年3月, 令和4年10月1日〜21日, 令和4年度 …"""
    if not _whole_months(start, end):
        if era_of(start) != era_of(end):
            return f"{wareki(start)}{RANGE_MARK}{wareki(end)}"
        if start.month != end.month:
            return f"{wareki(start)}{RANGE_MARK}{end.month}月{end.day}日"
        return f"{wareki(start)}{RANGE_MARK}{end.day}日"
    if (start.year, start.month) == (end.year, end.month):
        return wareki_month(start)
    if fiscal_year_bounds(fiscal_year_of(start)) == (start, end):
        return fiscal_year_label(fiscal_year_of(start))
    if era_of(start) == era_of(end):
        return f"{wareki_month(start)}{RANGE_MARK}{end.month}月"
    return f"{wareki_month(start)}{RANGE_MARK}{wareki_month(end)}"


def _years_after(after: dt.date, day: dt.date) -> int | None:
    """Whole years from the day after ``after`` to ``day`` (None if not a whole number)."""
    base = after + dt.timedelta(days=1)
    months = (day.year - base.year) * 12 + day.month - base.month
    if base.day != 1 or day.day != 1 or months % 12:
        return None
    return months // 12


def period_label(
    start: dt.date | None,
    precision: str = DAY,
    end: dt.date | None = None,
    *,
    after: dt.date | None = None,
) -> str:
    """A period as the papers print it.

    ``after``: the last day of the period before it, for a period the papers count from there
    (「1〜2年」 after R04.01〜R04.12, 「それ以降」); when the period does not start the day after
    it (or does not last whole years), the period is printed with its dates instead.
    """
    if start is None:
        return ""
    if after is not None and start == after + dt.timedelta(days=1):
        if precision == OPEN:
            return "それ以降"
        if precision == SPAN and end is not None:
            first = _years_after(after, start)
            last = _years_after(after, end + dt.timedelta(days=1))
            if first is not None and last is not None and last > first:
                return f"{first + 1}{RANGE_MARK}{last}年" if last > first + 1 else f"{last}年"
    if precision == MONTH:
        return wareki_month(start)
    if precision == FISCAL_HALF:
        return fiscal_half_label(start)
    if precision == FISCAL_YEAR:
        return fiscal_year_label(fiscal_year_of(start))
    if precision == SPAN and end is not None:
        return _span_label(start, end)
    if precision == OPEN:
        return f"{wareki_month(start) if start.day == 1 else wareki(start)}以降"
    return wareki(start)
