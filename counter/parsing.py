"""Reading the dates and times city systems write: 2022-05-09, 2022/5/9, R4.5.9, 令和4年5月9日,
full-width digits (２０２２／５／９), and 9:05 / 09:05:30 / ９時５分.

An unreadable cell raises ``CellError`` with a message saying what was typed and what is read.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata

from django.utils.translation import gettext as _

from core.japanese import ERAS
from dataimport.imports import CellError

ERA_BY_NAME = {era.name: era for era in ERAS} | {era.letter: era for era in ERAS}
WESTERN = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
ERA_DATE = re.compile(
    r"(令和|平成|昭和|大正|明治|[RHSTM])(元|\d{1,2})[./年](\d{1,2})[./月](\d{1,2})日?"
)
TIME = re.compile(r"(\d{1,2})[:時](\d{1,2})(?:[:分](\d{1,2})秒?|分)?")


def _fold(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


@functools.lru_cache(maxsize=8192)
def parse_date(text: str) -> dt.date:
    """A date from a cell (cached: a day's receptions repeat the same text)."""
    value = _fold(text)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}(?:T00:00:00|00:00:00)?", value):
        value = value[:10]
    try:
        match = WESTERN.fullmatch(value)
        if match:
            return dt.date(*(int(part) for part in match.groups()))
        match = ERA_DATE.fullmatch(value.upper() if value[:1].isascii() else value)
        if match:
            name, year, month, day = match.groups()
            era = ERA_BY_NAME[name]
            western = era.year_one + (1 if year == "元" else int(year)) - 1
            day_value = dt.date(western, int(month), int(day))
            if day_value < era.starts:
                raise ValueError
            return day_value
    except ValueError as error:
        raise CellError(_("「%(value)s」という日付はありません。") % {"value": text}) from error
    raise CellError(
        _(
            "「%(value)s」は日付として読めません。2022-05-09、2022/5/9、R4.5.9、"
            "令和4年5月9日のように入力してください。"
        )
        % {"value": text}
    )


@functools.lru_cache(maxsize=8192)
def parse_time(text: str) -> dt.time:
    value = _fold(text)
    match = TIME.fullmatch(value)
    if match:
        hour, minute, second = (int(part or 0) for part in match.groups())
        try:
            return dt.time(hour, minute, second)
        except ValueError:
            pass
    raise CellError(
        _("「%(value)s」は時刻として読めません。9:05 や 13:30:15 のように入力してください。")
        % {"value": text}
    )


HOUR = re.compile(
    r"(\d{1,2})(?:時台?|:00(?::00)?)?"  # 9 / 9時 / 9時台 / 9:00
    r"(?:[-~〜](\d{1,2})(?:時|:(\d{2})(?::\d{2})?)?)?"  # … up to 10 / 10時 / 10:00 / 9:59
)


@functools.lru_cache(maxsize=256)
def parse_hour(text: str) -> int:
    """The hour of day an hourly tally counts: 9, 9時, 9時台, 9:00, 9:00-10:00, 9:00～9:59."""
    value = _fold(text)
    match = HOUR.fullmatch(value)
    if match:
        hour = int(match.group(1))
        end, minutes = match.group(2), match.group(3)
        one_hour = end is None or (
            (int(end) == hour + 1 and minutes in (None, "00"))
            or (int(end) == hour and minutes == "59")
        )
        if hour <= 23 and one_hour:
            return hour
    raise CellError(
        _(
            "「%(value)s」は時間帯として読めません。0〜23の1時間ごとに、9、9時台、"
            "9:00-10:00 のように入力してください。"
        )
        % {"value": text}
    )
