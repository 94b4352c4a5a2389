"""Readable change logs from django-simple-history records: who, when, what (before → after)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connections, models, router
from django.db.models import F, Model, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import Expression, RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .expressions import CurrentAt, InIds
from .history_validity import VALID_UNTIL, valid_until_field
from .japanese import fiscal_year_label, fiscal_year_of, number, person_name, wareki

T = TypeVar("T")

ACTIONS = {"+": _("追加"), "~": _("変更"), "-": _("削除")}


@dataclass(frozen=True)
class FieldChange:
    """One field of a change, as people read it: label, before, after (also used by imports)."""

    label: str
    before: str
    after: str


@dataclass
class Change:
    when: datetime
    user: str
    action: str
    subject: str
    object_label: str
    reason: str
    fields: list[FieldChange] = field(default_factory=list)
    group: object = None  # what the change belongs to (an item, a meeting), for grouping
    kind: str = "~"  # "+" added, "~" changed, "-" deleted
    record_id: int | None = None  # the history record (of the first object, when folded)
    loaded: bool = False  # written by loading the source papers (see ``is_source_load``)


# Fields that only put rows in their printed order: not news in a log a clerk reads (a move
# within a category changes the order of several rows; the papers never mention it). A model
# declares more (or other) fields left out of its log with ``history_log_excluded_fields``.
INTERNAL_FIELDS = frozenset({"order"})

SOURCE_LOAD = _("資料から読込（%(date)s）")


def log_excluded_fields(model: type[Model]) -> frozenset[str]:
    """The fields of ``model`` its change log leaves out: ``INTERNAL_FIELDS`` and the model's
    own ``history_log_excluded_fields``."""
    return INTERNAL_FIELDS | frozenset(getattr(model, "history_log_excluded_fields", ()))


def _tracked_fields(model: type[Model]):
    excluded = log_excluded_fields(model)
    return [f for f in model._meta.concrete_fields if not f.primary_key and f.name not in excluded]


def is_source_load(record) -> bool:
    """A record written by loading the source papers (``core.seed``): an addition by nobody,
    with the paper it came from as its reason. (Imports and forms always have a user.)"""
    return (
        record.history_type == "+"
        and record.history_user_id is None
        and bool(record.history_change_reason)
    )


def source_load_label(when: datetime) -> str:
    """「資料から読込（令和4年3月14日）」: the action of a record loaded from the papers."""
    return str(SOURCE_LOAD) % {"date": wareki(timezone.localtime(when).date())}


def _display(value, f, names: dict) -> str:
    if value is None or value == "":
        return ""
    if f.is_relation:
        return names.get((f.related_model, value), str(value))
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, dt.date):
        return wareki(value)
    if isinstance(f, models.BigIntegerField | models.IntegerField) and not isinstance(
        f, models.SmallIntegerField | models.PositiveSmallIntegerField
    ):
        return number(value)  # amounts: 8,800 (small ints are orders and years: no separator)
    if isinstance(value, bool):
        return str(_("はい") if value else _("いいえ"))
    return str(value)


def default_label(record) -> str:
    """A name for the changed object without touching its relations (no query per record)."""
    for attribute in ("name", "title", "subject", "text"):
        value = getattr(record, attribute, None)
        if value:
            return str(value)[:40]
    return ""


def change_log(
    histories: Iterable[QuerySet],
    label_of=default_label,
    *,
    since: datetime | None = None,
    group_of: Callable[[Model], object] | None = None,
    newest: int | None = None,
    part_of: type[Model] | None = None,
) -> ChangeLog:
    """Merge the history querysets of an object and its parts into one log, newest first.

    Records up to ``since`` serve only as the "before" of later ones and are not listed.
    ``group_of(record)`` sets each change's ``group``. ``newest``: read only each queryset's
    newest records (that many) and the record before them of each object (its "before"), so
    a page's log costs the same after ten years of edits; the log then holds at most the
    ``newest`` changes. Queries: one or two per queryset plus one per related model named in
    the records; never one per record.

    What the source papers loaded (``is_source_load``) is one entry per object (per group) and
    paper, 「資料から読込（令和4年3月14日）」: the object's fields, then a line per part loaded
    with it. The object is the model of ``histories[0]``, or ``part_of`` for a log of parts
    only (an admin's parts); parts loaded without their object make one entry together.
    """
    records, more = [], False
    for position, qs in enumerate(histories):
        read, left_out = _records_to_read(qs.select_related("history_user"), newest)
        more = more or left_out
        for record in read:
            record.log_position = position  # the object itself first, then its parts
            records.append(record)
    names = _related_names(records)
    if part_of is not None:
        owners = {part_of}
    else:
        owners = {record.instance_type for record in records if record.log_position == 0}
    previous: dict[tuple, object] = {}
    changes = []
    loads: dict[tuple, Change] = {}  # one entry per object and paper loaded
    part_entries: set[int] = set()  # the entries of parts loaded without their object
    for record in sorted(records, key=lambda r: (r.history_date, r.log_position, r.history_id)):
        model = record.instance_type
        key = (model, record.id)
        before = previous.get(key)
        previous[key] = record
        fields = []
        for f in _tracked_fields(model):
            new = getattr(record, f.attname)
            old = getattr(before, f.attname) if before is not None else None
            if record.history_type == "+" and new in (None, ""):
                continue
            if record.history_type == "-" or (before is not None and old == new):
                continue
            fields.append(
                FieldChange(str(f.verbose_name), _display(old, f, names), _display(new, f, names))
            )
        if record.history_type == "~" and not fields:
            continue
        if since is not None and record.history_date <= since:
            continue
        group = group_of(record) if group_of else None
        loaded = is_source_load(record)
        if loaded:
            key = (group, record.history_date, record.history_change_reason)
            entry = loads.get(key)
            if entry is not None:  # a part loaded with its object: a line of the object's entry
                line = _part_line(model, record, names, owners)
                entry.fields.append(line)
                parts_only = entry.record_id in part_entries
                if parts_only and line.label not in entry.subject.split("・"):
                    entry.subject += f"・{line.label}"  # 予算・年度計画・懸案
                continue
            if model not in owners:  # parts without their object: each one a line
                fields = [_part_line(model, record, names, owners)]
        user = record.history_user
        change = Change(
            when=record.history_date,
            user=person_name(user) if user else str(_("（システム）")),
            action=source_load_label(record.history_date)
            if loaded
            else str(ACTIONS[record.history_type]),
            subject=str(model._meta.verbose_name),
            object_label="" if loaded and model not in owners else label_of(record),
            reason=record.history_change_reason or "",
            fields=fields,
            group=group,
            kind=record.history_type,
            record_id=record.history_id,
            loaded=loaded,
        )
        if loaded:
            loads[key] = change
            if model not in owners:
                part_entries.add(record.history_id)
        changes.append(change)
    # Newest first; changes made at the same moment keep the object-then-parts order.
    changes.sort(key=lambda change: change.when, reverse=True)
    if newest is None:
        return ChangeLog(changes)
    return ChangeLog(changes[:newest], more=more or len(changes) > newest)


def _part_line(model: type[Model], record, names: dict, owners: set) -> FieldChange:
    """A part loaded with its object, as one line of the object's entry: 「予算：3,802」,
    「年度計画：令和4年度 予約システム構築…」 (its link to the object left out)."""
    values = []
    for f in _tracked_fields(model):
        if f.is_relation and f.related_model in owners:
            continue
        shown = _display(getattr(record, f.attname), f, names)
        if shown:
            values.append(shown)
    return FieldChange(str(model._meta.verbose_name), "", " ".join(values))


class ChangeLog(list):
    """Changes, newest first; ``more``: older ones were not read (``change_log(newest=…)``)."""

    def __init__(self, changes=(), *, more: bool = False):
        super().__init__(changes)
        self.more = more


def _records_to_read(qs: QuerySet, newest: int | None) -> tuple[list, bool]:
    """All of ``qs``'s records, oldest first; or its ``newest`` ones and, for each object among
    them, the record before its oldest one (which the log needs as that change's "before");
    and whether older records were left out."""
    if newest is None:
        return list(qs.order_by("history_date", "history_id")), False
    recent = list(qs.order_by("-history_date", "-history_id")[: newest + 1])
    left_out = len(recent) > newest
    if not left_out:
        return recent[::-1], False  # the whole history: each record's "before" is in it
    recent = recent[:newest]
    first = recent[-1]  # every record of an object older than this one precedes all of recent
    earlier = qs.filter(
        Q(history_date__lt=first.history_date)
        | Q(history_date=first.history_date, history_id__lt=first.history_id)
    )
    latest_earlier = earlier.filter(id=OuterRef("id")).order_by("-history_date", "-history_id")
    before = earlier.filter(
        id__in={record.id for record in recent},
        history_id=Subquery(latest_earlier.values("history_id")[:1]),
    )
    return sorted([*before, *recent], key=lambda r: (r.history_date, r.history_id)), left_out


def _related_names(records) -> dict:
    wanted = defaultdict(set)
    for record in records:
        for f in _tracked_fields(record.instance_type):
            if f.is_relation:
                value = getattr(record, f.attname)
                if value is not None:
                    wanted[f.related_model].add(value)
    names = {}
    for model, pks in wanted.items():
        for obj in model._default_manager.filter(pk__in=pks):
            names[(model, obj.pk)] = str(obj)
    return names


# --- History records and reads as of a date ------------------------------------------------


def as_of_index_fields(model: type[Model]) -> tuple[str, str, str]:
    """What ``as_of`` looks records up by: the object's id, then newest record first."""
    return (model._meta.pk.attname, "history_date", "history_id")


class ProgrammeHistory(HistoricalRecords):
    """``HistoricalRecords`` for every area's models: use it instead of the plain one.

    The historical table gets a composite index on (object id, history_date, history_id), the
    order in which ``as_of`` and the per-object change logs read records. Django names it
    (≤ 30 characters, unique through a digest of the table and the columns).
    """

    def get_extra_fields(self, model, fields):
        extra = super().get_extra_fields(model, fields)
        extra[VALID_UNTIL] = valid_until_field()  # kept by triggers: core/history_validity.py
        return extra

    def get_meta_options(self, model):
        meta = super().get_meta_options(model)
        index = models.Index(fields=as_of_index_fields(model))
        # Which records were current at a moment, read from the index alone (SQLite's
        # history_id is the rowid, so every index carries it): ``latest_record_ids``.
        validity = models.Index(fields=("history_date", VALID_UNTIL))
        meta["indexes"] = (*meta.get("indexes", ()), index, validity)
        return meta


def historical_model(model: type[Model]) -> type[Model]:
    """The historical model of ``model`` (``model.history.model`` builds a manager class on
    every access, a millisecond or two; this reads the descriptor instead)."""
    attribute = model._meta.simple_history_manager_attribute
    for klass in model.__mro__:
        if attribute in klass.__dict__:
            return klass.__dict__[attribute].model
    raise LookupError(f"{model._meta.label} keeps no history")


AS_OF_METHODS = ("valid_until", "step_down", "skip_scan", "distinct_on")


def current_at(when: datetime) -> CurrentAt:
    """The records that were each object's latest at ``when``: made by then, and not yet
    followed by the object's next record (``history_valid_until``, kept by triggers)."""
    return CurrentAt(when, "history_date", VALID_UNTIL)


def default_as_of_method(connection) -> str:
    """Measured at 20,000 objects × 10 versions (benchmarks/README.md): PostgreSQL finds the
    current records by their validity 2–5x faster than by walking the index; SQLite walks its
    index (``skip_scan``) 4x faster than it scans the validity index."""
    return "valid_until" if connection.vendor == "postgresql" else "skip_scan"


def latest_records(model: type[Model], when: datetime, method: str | None = None):
    """SQL for the ``history_id`` of each object's latest record up to ``when`` (deletions
    included), as an expression for ``history_id__in``.

    "Latest" is the largest ``history_date``, then the larger ``history_id`` on a tie.

    - ``valid_until`` (the default on PostgreSQL): the records current at ``when`` by their
      ``history_valid_until`` (``current_at``), one pass with no per-object steps.

    The others walk the (id, history_date, history_id) index of ``ProgrammeHistory``
    (``skip_scan`` is the default on SQLite; each is compared with the others in the tests):

    - ``step_down`` (PostgreSQL, the default there): a recursive query walks the index down
      from the largest object id, each step one lookup (``LATERAL``): "the newest record up to
      ``when`` of the next lower object id". The work grows with the number of objects, not
      with the length of their history.
    - ``skip_scan`` (the default elsewhere, plain SQL that SQLite runs): steps from one object
      id to the next, then takes each object's newest record: two lookups per object.
    - ``distinct_on`` (PostgreSQL): ``DISTINCT ON (id)`` over the index entries up to
      ``when``, read backwards in one pass (slower than ``step_down`` with long histories).
    """
    historical = historical_model(model)
    connection = connections[router.db_for_read(historical)]
    if method is None:
        method = default_as_of_method(connection)
    if method not in AS_OF_METHODS:
        raise ValueError(f"unknown as-of method {method!r}, expected one of {AS_OF_METHODS}")
    if method == "valid_until":
        return historical._default_manager.filter(current_at(when)).values("history_id")
    names = as_of_index_fields(model)
    if method == "distinct_on":
        object_id, date, history_id = names
        return (
            historical._default_manager.filter(history_date__lte=when)
            .order_by(f"-{object_id}", f"-{date}", f"-{history_id}")
            .distinct(object_id)
            .values(history_id)
        )
    quote = connection.ops.quote_name
    table = quote(historical._meta.db_table)
    object_id, date, history_id = (quote(historical._meta.get_field(n).column) for n in names)
    moment = connection.ops.adapt_datetimefield_value(when)
    if method == "skip_scan":
        sql = f"""
            WITH RECURSIVE objects(object_id) AS (
                SELECT (SELECT h.{object_id} FROM {table} h ORDER BY h.{object_id} LIMIT 1)
                UNION ALL
                SELECT (
                    SELECT h.{object_id} FROM {table} h
                    WHERE h.{object_id} > objects.object_id ORDER BY h.{object_id} LIMIT 1
                )
                FROM objects WHERE objects.object_id IS NOT NULL
            )
            SELECT (
                SELECT r.{history_id} FROM {table} r
                WHERE r.{object_id} = objects.object_id AND r.{date} <= %s
                ORDER BY r.{date} DESC, r.{history_id} DESC LIMIT 1
            )
            FROM objects WHERE objects.object_id IS NOT NULL
        """
        return RawSQL(sql, [moment])
    newest_first = f"h.{object_id} DESC, h.{date} DESC, h.{history_id} DESC"
    sql = f"""
        WITH RECURSIVE steps(object_id, record) AS (
            (
                SELECT h.{object_id}, h.{history_id} FROM {table} h WHERE h.{date} <= %s
                ORDER BY {newest_first} LIMIT 1
            )
            UNION ALL
            SELECT next.{object_id}, next.{history_id} FROM steps CROSS JOIN LATERAL (
                SELECT h.{object_id}, h.{history_id} FROM {table} h
                WHERE h.{object_id} < steps.object_id AND h.{date} <= %s
                ORDER BY {newest_first} LIMIT 1
            ) next
        )
        SELECT steps.record FROM steps
    """
    return RawSQL(sql, [moment, moment])


class _AnyOf(Expression):
    """``column = ANY(ARRAY(subquery))`` (PostgreSQL): the subquery runs once, as an InitPlan,
    and the rows are fetched by primary key; with ``IN`` the planner would guess the size of
    a recursive query's result (about a hundred rows) and build poor joins on top of it."""

    output_field = models.BooleanField()
    conditional = True

    def __init__(self, column, subquery: RawSQL):
        super().__init__()
        self.column, self.subquery = column, subquery

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, expressions):
        (self.column,) = expressions

    def as_sql(self, compiler, connection):
        column, params = compiler.compile(self.column)
        return f"{column} = ANY(ARRAY({self.subquery.sql}))", (*params, *self.subquery.params)


def as_of(model: type[Model], when: datetime | None, *, method: str | None = None) -> QuerySet:
    """The rows of ``model`` as they stood at ``when``, as a queryset the database aggregates.

    ``None`` gives the live table. Otherwise the historical table: for each object its latest
    record up to ``when``, objects deleted by then left out. Both have the same field names
    (``id``, ``category_id``, ``amount`` …), so one aggregation serves today and the past.

    The records are picked by their validity (``current_at``): one condition per record, never
    a subquery per history record.
    """
    if when is None:
        return model._default_manager.all()
    historical = historical_model(model)
    if method is None:
        method = default_as_of_method(connections[router.db_for_read(historical)])
    if method == "valid_until":
        records = historical._default_manager.filter(current_at(when))
        return records.exclude(history_type="-")
    latest = latest_records(model, when, method)
    records = historical._default_manager.all()
    if isinstance(latest, RawSQL) and connections[records.db].vendor == "postgresql":
        records = records.filter(_AnyOf(F("history_id"), latest))
    else:
        records = records.filter(history_id__in=latest)
    return records.exclude(history_type="-")


def latest_record_ids(model: type[Model], when: datetime) -> list[int]:
    """The ``history_id`` of each object's latest record up to ``when`` (deletions included):
    on PostgreSQL from the (history_date, history_valid_until) index, on SQLite by its walk."""
    historical = historical_model(model)
    connection = connections[router.db_for_read(historical)]
    latest = latest_records(model, when)
    if isinstance(latest, RawSQL):
        with connection.cursor() as cursor:
            cursor.execute(latest.sql, latest.params)
            return [row[0] for row in cursor.fetchall() if row[0] is not None]
    return [row["history_id"] for row in latest]


# How long a past day's answers are kept (they stay right until a record dated up to that day
# is added, which changes the key): a week covers the run-up to a meeting.
REMEMBER_PAST_DAYS_FOR = 7 * 24 * 3600


def history_state(model: type[Model]) -> str:
    """What a past moment's reads of ``model`` depend on: the newest record's id and date.

    The history is append-only (the app never removes a record), and a record added later, even
    one back-dated to an earlier day, takes a larger ``history_id``: as long as this stays the
    same, every read of the model as of a past moment gives the same answer.
    """
    historical = historical_model(model)
    connection = connections[router.db_for_read(historical)]
    quote = connection.ops.quote_name
    table = quote(historical._meta.db_table)
    # Two one-column maxima, each one step down its index (SQLite scans the whole table for
    # MAX(a), MAX(b) in one SELECT).
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX(history_id) FROM {table}), (SELECT MAX(history_date) FROM {table})"
        )
        newest_id, newest_date = cursor.fetchone()
    moment = str(newest_date).replace(" ", "T") if newest_date else "-"  # a cache key: no spaces
    return f"{newest_id}@{moment}"


def as_of_records(model: type[Model], record_ids: list[int]) -> QuerySet:
    """The historical rows picked by ``latest_record_ids``, deletions left out."""
    records = historical_model(model)._default_manager.filter(InIds(F("history_id"), record_ids))
    return records.exclude(history_type="-")


def latest_values(
    model: type[Model], when: datetime | None, keys, field: str, key: str = "id", **match
) -> dict:
    """``field`` of the rows whose ``key`` is in ``keys`` (and that ``match``), as they stood at
    ``when`` (the live table for None): for the few rows a page shows beside an as-of read (a
    name, a plan), read down the history index without a second as-of read of the table."""
    if when is None:
        rows = model._default_manager.filter(**{f"{key}__in": keys}, **match)
        return dict(rows.values_list(key, field))
    records = model.history.model.objects.filter(
        history_date__lte=when, **{f"{key}__in": keys}, **match
    )
    ordered = records.order_by("history_date", "history_id").values_list(key, field)
    return dict(ordered)  # each key's latest record comes last


def end_of_day(day: dt.date) -> datetime:
    """The last moment of a day in Tokyo: 'as of 2022-11-01' includes that whole day."""
    return datetime.combine(day, dt.time.max, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


@dataclass(frozen=True)
class AsOf:
    """The date a request shows the programme as of, and what that request has read of it.

    One ``AsOf`` is made per request (the dashboard) or per download (the workbook) and handed
    to every panel and sheet; ``once()`` keeps what an area computed for it, so a figure or a
    snapshot is read from the database once however many panels and sheets show it.
    """

    day: dt.date
    _memo: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    @classmethod
    def today(cls) -> AsOf:
        return cls(timezone.localdate())

    def once(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()`` the first time ``key`` is asked for on this as-of, then the same value."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def remember(self, key: str, models: Iterable[type[Model]], compute: Callable[[], T]) -> T:
        """``once()``, and for a past day also across requests: the answer is kept in the cache
        under the state of the history tables it reads (``history_state``), so the figures of a
        meeting day, read again and again before the next meeting, are computed once.

        Only committed data is remembered: inside a transaction (an import's preview, a test
        case) the answer is computed afresh and not kept.
        """
        if self.moment is None:
            return self.once(key, compute)

        def recall_or_compute() -> T:
            if any(connections[router.db_for_read(m)].in_atomic_block for m in models):
                return compute()
            states = ",".join(
                self.once(f"state:{m._meta.label}", lambda m=m: history_state(m)) for m in models
            )
            remembered = f"as-of:{key}:{self.day.isoformat()}:{states}"
            value = cache.get(remembered)
            if value is None:
                value = compute()
                cache.set(remembered, value, REMEMBER_PAST_DAYS_FOR)
            return value

        return self.once(key, recall_or_compute)

    def rows(self, model: type[Model]) -> QuerySet:
        """``model``'s rows as they stood on the day (the live table today), for this request.

        Past days: which history records were current at the day's end is read once per
        model and as-of (one read of its history index, remembered across requests), and
        every read of the model on this as-of fetches those records by id, so a page that
        reads the items four times reads their history's index once.
        """
        if self.moment is None:
            return model._default_manager.all()
        ids = self.remember(
            f"ids:{model._meta.label}", [model], lambda: latest_record_ids(model, self.moment)
        )
        return as_of_records(model, ids)

    @property
    def is_today(self) -> bool:
        return self.day >= timezone.localdate()

    @property
    def moment(self) -> datetime | None:
        """For ``as_of``: None (the live tables) today, else the day's end."""
        return None if self.is_today else end_of_day(self.day)

    @property
    def label(self) -> str:
        return wareki(self.day)

    @property
    def fiscal_year(self) -> int:
        return fiscal_year_of(self.day)

    @property
    def fiscal_year_label(self) -> str:
        return fiscal_year_label(self.fiscal_year)
