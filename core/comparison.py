"""What changed between two moments: each change after the first, with what it replaced.

The "before" of a field is taken from the object's last record up to the start, so a change
made after a meeting reads as "8,800 → 9,000" even when the object was last touched years
earlier. Only the objects changed in the window are read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from django.db.models import Max, Model, OuterRef, Q, QuerySet, Subquery

from .history import Change, change_log, default_label


def _window(history: QuerySet, start: datetime, end: datetime | None) -> QuerySet:
    """The records after ``start`` up to ``end``, and each of their objects' last record up to
    ``start`` (the "before")."""
    changed = history.filter(history_date__gt=start)
    if end is not None:
        changed = changed.filter(history_date__lte=end)
    model = history.model
    last_before = (
        model.objects.filter(id=OuterRef("id"), history_date__lte=start)
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    baselines = (
        model.objects.filter(id__in=changed.values("id"))
        .order_by()
        .values("id")
        .distinct()
        .annotate(last=Subquery(last_before))
        .values("last")
    )
    return history.filter(
        Q(history_id__in=changed.values("history_id")) | Q(history_id__in=baselines)
    )


# A dashboard lists the most recently changed things: it reads each table's newest records
# (down the history_date index) rather than grouping the whole window, and counts the things
# exactly only while the window is small; past that it says "many".
NEWEST_RECORDS_PER_GROUP = 50
EXACT_COUNT_UP_TO = 5000  # records per table


def changed_groups(
    histories: Iterable[tuple[QuerySet, str]],
    start: datetime,
    end: datetime | None,
    limit: int | None = None,
) -> tuple[list[object], int | None]:
    """What changed in the window: the ``limit`` most recently changed groups (all with None),
    newest first, and how many groups changed in all (None: more than can be counted quickly).

    Each history comes with the field naming its group ("id" for the thing itself, "item_id"
    for its parts). A constant number of queries; nothing is diffed here.
    """
    histories = list(histories)
    windows = []
    for history, group_field in histories:
        window = history.filter(history_date__gt=start)
        if end is not None:
            window = window.filter(history_date__lte=end)
        windows.append((window.order_by(), group_field))
    if limit is None or all(
        len(window.values_list("pk")[: EXACT_COUNT_UP_TO + 1]) <= EXACT_COUNT_UP_TO
        for window, _field in windows
    ):
        total = _count_groups(windows)
    else:
        total = None
    if limit is None:
        latest = [
            window.values_list(field).annotate(last=Max("history_date"))
            for window, field in windows
        ]
        ranked = latest[0].union(*latest[1:], all=True).order_by("-last")
        return list(dict.fromkeys(group for group, _last in ranked)), total
    newest = []
    for window, field in windows:
        records = window.order_by("-history_date", "-history_id").values_list(field, "history_date")
        newest += records[: limit * NEWEST_RECORDS_PER_GROUP]
    newest.sort(key=lambda record: record[1], reverse=True)
    return list(dict.fromkeys(group for group, _when in newest))[:limit], total


def _count_groups(windows) -> int:
    distinct = [window.values_list(field, flat=True).distinct() for window, field in windows]
    first, *rest = distinct
    return first.union(*rest).count() if rest else first.count()


def changes_between(
    histories: Iterable[QuerySet],
    start: datetime,
    end: datetime | None,
    *,
    group_of: Callable[[Model], object] | None = None,
    label_of=default_label,
) -> list[Change]:
    """The changes recorded after ``start`` up to ``end`` (None: up to now), newest first."""
    return change_log(
        [_window(history, start, end) for history in histories],
        label_of,
        since=start,
        group_of=group_of,
    )
