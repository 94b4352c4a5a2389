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


def changed_groups(
    histories: Iterable[tuple[QuerySet, str]],
    start: datetime,
    end: datetime | None,
    limit: int | None = None,
) -> tuple[list[object], int]:
    """What changed in the window: the ``limit`` most recently changed groups (all with None),
    newest first, and how many groups changed in all.

    Each history comes with the field naming its group ("id" for the thing itself, "item_id"
    for its parts). Two queries whatever the size: the count and the first groups are found in
    the database (a UNION of each table's latest change per group); nothing is diffed here.
    """
    windows = []
    for history, group_field in histories:
        window = history.filter(history_date__gt=start)
        if end is not None:
            window = window.filter(history_date__lte=end)
        windows.append(window.order_by().values_list(group_field, flat=True).distinct())
    first, *rest = windows
    total = first.union(*rest).count() if rest else first.count()
    latest = [
        window.values_list(group_field).annotate(last=Max("history_date"))
        for window, (_history, group_field) in zip(windows, histories, strict=True)
    ]
    ranked = latest[0].union(*latest[1:], all=True).order_by("-last")
    if limit is not None:
        ranked = ranked[: limit * len(latest)]  # a group is at most once per table
    groups = list(dict.fromkeys(group for group, _last in ranked))
    return groups[:limit], total


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
