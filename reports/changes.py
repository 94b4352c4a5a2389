"""What changed since the previous meeting: areas contribute their changes, the dashboard and
the workbook show them under one heading.

An area subclasses ``ChangeSource`` (its changes between two moments, grouped by the thing
they belong to) and registers it in its ``AppConfig.ready()``. Which meeting counts as the
previous one is contributed too (``baselines``): the core knows no meeting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import QuerySet

from core.comparison import changed_groups, changes_between
from core.history import AsOf, Change, end_of_day
from core.registry import Registry

# The dashboard shows the first groups of an area and the newest changes of a group; the
# workbook's sheets list them all.
GROUPS_SHOWN = 10
CHANGES_SHOWN = 5


@dataclass(frozen=True)
class Baseline:
    """The moment changes are counted from: the end of a meeting's day (or when its papers
    were issued, if earlier), and its name."""

    day: dt.date
    label: str  # 前回の会議（令和4年11月1日）
    at: dt.datetime | None = None  # when the papers were fixed, if before the day's end

    @property
    def moment(self) -> dt.datetime:
        end = end_of_day(self.day)
        return min(self.at, end) if self.at is not None else end


@dataclass(frozen=True)
class BaselineSource:
    key: str
    find: Callable[[dt.date], Baseline | None]  # the last one before a day
    order: int = 100
    permission: str = ""  # a baseline names a meeting: only for who may see meetings

    def visible_to(self, user) -> bool:
        return not self.permission or user is None or user.has_perm(self.permission)


baselines: Registry[BaselineSource] = Registry("comparison baselines")


@dataclass
class ChangeGroup:
    """The changes of one thing (an item, a meeting), newest first."""

    label: str
    changes: list[Change] = field(default_factory=list)

    @property
    def shown(self) -> list[Change]:
        return self.changes[:CHANGES_SHOWN]

    @property
    def more(self) -> int:
        return max(len(self.changes) - CHANGES_SHOWN, 0)


class ChangeSource:
    """An area's changes between two moments, grouped by the thing they belong to.

    Subclasses name their history tables with the field that says which thing a record
    belongs to (``histories``), and how a thing is called (``labels``).
    """

    key: str = ""
    title: str = ""
    order: int = 100
    permission: str = ""

    def visible_to(self, user) -> bool:
        return not self.permission or user is None or user.has_perm(self.permission)

    def histories(self) -> list[tuple[QuerySet, str]]:
        """(history queryset, field naming the thing): ("id" for the thing, "item_id" …)."""
        raise NotImplementedError

    def labels(self, things: list, end: dt.datetime | None) -> dict:
        """How each thing is called, as it stood at ``end``."""
        raise NotImplementedError

    def groups(
        self, start: dt.datetime, end: dt.datetime | None, limit: int | None = None
    ) -> tuple[list[ChangeGroup], int | None]:
        """The changes of the ``limit`` most recently changed things (all with None), newest
        first, and how many things changed in all. Constant queries; only the things shown
        are diffed."""
        histories = self.histories()
        things, total = changed_groups(histories, start, end, limit)
        fields = {history.model: field for history, field in histories}

        def group_of(record):
            return getattr(record, fields[type(record)])

        changes = changes_between(
            [history.filter(**{f"{field}__in": things}) for history, field in histories],
            start,
            end,
            group_of=group_of,
        )
        labels = self.labels(things, end)
        groups: dict[object, ChangeGroup] = {}
        for change in changes:
            label = labels.get(change.group, str(change.group))
            groups.setdefault(change.group, ChangeGroup(label)).changes.append(change)
        return list(groups.values()), total


change_sources: Registry[ChangeSource] = Registry("changes since the previous meeting")


def register_change_source(cls: type[ChangeSource]) -> type[ChangeSource]:
    change_sources.register(cls())
    return cls


@dataclass
class AreaChanges:
    source: ChangeSource
    groups: list[ChangeGroup]
    total: int | None  # things changed in all (None: too many to count for a dashboard)

    @property
    def more(self) -> int | None:
        return None if self.total is None else self.total - len(self.groups)

    @property
    def changed(self) -> bool:
        return bool(self.groups) or bool(self.total)


@dataclass
class Comparison:
    """The changes from the baseline to the as-of date, area by area (those the user may see)."""

    baseline: Baseline | None
    areas: list[AreaChanges]
    available: bool = True  # False: the user may see no baseline (no section at all)

    @property
    def changed(self) -> bool:
        return any(area.changed for area in self.areas)


def baseline_for(day: dt.date, user=None) -> Baseline | None:
    for source in baselines:
        if not source.visible_to(user):
            continue
        found = source.find(day)
        if found is not None:
            return found
    return None


def comparison(as_of: AsOf, user=None, limit: int | None = None) -> Comparison:
    """The changes since the previous meeting: the first ``limit`` things per area (the
    dashboard) or all (the workbook); read once per request or download."""
    key = f"reports.comparison.{getattr(user, 'pk', None)}.{limit}"
    return as_of.once(key, lambda: _compare(as_of, user, limit))


def _compare(as_of: AsOf, user, limit: int | None) -> Comparison:
    if not any(source.visible_to(user) for source in baselines):
        return Comparison(None, [], available=False)
    baseline = baseline_for(as_of.day, user)
    if baseline is None:
        return Comparison(None, [])
    end = as_of.moment
    areas = []
    for source in change_sources:
        if source.visible_to(user):
            groups, total = source.groups(baseline.moment, end, limit)
            areas.append(AreaChanges(source, groups, total))
    return Comparison(baseline, areas)
