"""Template filters over core.japanese (loaded as builtins: no {% load %} needed)."""

import datetime as dt

from django import template
from django.utils import timezone

from core import japanese

register = template.Library()


def _as_date(value):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


@register.filter
def wareki(value):
    return japanese.wareki(_as_date(value)) if value else ""


@register.filter
def wareki_abbr(value):
    return japanese.wareki_abbr(_as_date(value)) if value else ""


@register.filter
def nendo(value):
    """A fiscal year (int) or a date → 令和4年度."""
    if value in (None, ""):
        return ""
    if isinstance(value, dt.date):
        value = japanese.fiscal_year_of(_as_date(value))
    return japanese.fiscal_year_label(int(value))


@register.filter
def jpnum(value, digits=0):
    if value in (None, ""):
        return ""
    return japanese.number(value, int(digits))


@register.filter
def jppct(value, digits=1):
    if value in (None, ""):
        return ""
    return japanese.percent(value, int(digits))


@register.filter
def wareki_datetime(value):
    """令和4年11月1日 14:05, in Tokyo time."""
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{japanese.wareki(local.date())} {local:%H:%M}"


@register.filter
def dash(value):
    """The value, or 「－」 when there is none (None or an empty text): the same on every page."""
    return japanese.EMPTY if value is None or value == "" else value


@register.filter
def person(user):
    return japanese.person_name(user)
