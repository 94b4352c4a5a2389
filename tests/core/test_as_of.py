"""``core.history.as_of`` over long histories: same rows as before, an index, constant queries."""

import datetime as dt
import zoneinfo

import pytest
from django.apps import apps
from django.db import connection, models
from django.db.models import Count, OuterRef, Subquery, Sum
from django.test.utils import CaptureQueriesContext

from core.history import (
    AsOf,
    ProgrammeHistory,
    as_of,
    as_of_index_fields,
    as_of_records,
    end_of_day,
    historical_model,
    latest_record_ids,
)
from core.history_validity import install_validity_triggers
from projects import selectors
from projects.models import BudgetLine, Category, Concern, ScheduleItem, Status
from projects.panels import SchedulePanel

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


def at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2020, 1, day, hour, tzinfo=TOKYO)


def old_as_of(model, when):
    """The implementation ``as_of`` replaced (a correlated subquery per history record)."""
    if when is None:
        return model._default_manager.all()
    historical = model.history.model
    latest = (
        historical.objects.filter(id=OuterRef("id"), history_date__lte=when)
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    return historical.objects.filter(history_date__lte=when, history_id=Subquery(latest)).exclude(
        history_type="-"
    )


def methods():
    """Every way ``as_of`` can pick the records on this database (None: the default)."""
    if connection.vendor == "postgresql":
        return [None, "valid_until", "step_down", "skip_scan", "distinct_on"]
    return [None, "valid_until", "skip_scan"]


def rows(queryset, *fields):
    return sorted(queryset.values_list(*fields))


def save_at(obj, when):
    obj._history_date = when
    obj.save()
    return obj


@pytest.fixture
def categories(db):
    """Categories with edits, a tie, a deletion, a re-creation and a back-dated record.

    A: created day 1, renamed day 2, renamed twice at the same moment on day 3 (the later
       record wins), deleted day 4, re-created with the same id on day 5.
    B: created day 2, renamed day 6; afterwards a record back-dated to day 3 is added (a larger
       history_id with an earlier date: the date decides).
    C: created day 1, deleted day 2 for good.
    """
    a = save_at(Category(name="A1", order=1), at(1))
    c = save_at(Category(name="C1", order=3), at(1))
    a.name = "A2"
    save_at(a, at(2))
    b = save_at(Category(name="B1", order=2), at(2))
    c_id = c.id
    c._history_date = at(2)
    c.delete()
    for name in ("A3a", "A3b"):
        a.name = name
        save_at(a, at(3))
    a_id = a.id
    a._history_date = at(4)
    a.delete()
    save_at(Category(id=a_id, name="A5", order=1), at(5))
    b.name = "B6"
    save_at(b, at(6))
    b.name = "B3"
    del b._history_date
    Category.history.bulk_history_create([b], update=True, default_date=at(3))
    b.name = "B6"
    return {"A": a_id, "B": b.id, "C": c_id}


EXPECTED = [
    (at(1) - dt.timedelta(seconds=1), {}),
    (at(1), {"A": "A1", "C": "C1"}),
    (at(2), {"A": "A2", "B": "B1"}),
    (at(3), {"A": "A3b", "B": "B3"}),
    (at(3, 23), {"A": "A3b", "B": "B3"}),
    (at(4), {"B": "B3"}),
    (at(5), {"A": "A5", "B": "B3"}),
    (at(6), {"A": "A5", "B": "B6"}),
    (at(30), {"A": "A5", "B": "B6"}),
]


@pytest.mark.parametrize("method", methods())
@pytest.mark.parametrize(("when", "names"), EXPECTED)
def test_as_of_picks_the_latest_record_of_each_object(categories, method, when, names):
    expected = sorted((categories[key], name) for key, name in names.items())
    assert rows(as_of(Category, when, method=method), "id", "name") == expected
    assert rows(old_as_of(Category, when), "id", "name") == expected


def frozen_as_of(model, when):
    """What ``AsOf.rows`` reads: the latest records' ids fetched once, then the rows by id."""
    return as_of_records(model, latest_record_ids(model, when))


@pytest.mark.parametrize(("when", "names"), EXPECTED)
def test_rows_by_the_ids_read_once_are_the_same(categories, when, names):
    expected = sorted((categories[key], name) for key, name in names.items())
    assert rows(frozen_as_of(Category, when), "id", "name") == expected


def test_as_of_rows_reads_which_records_once_per_model(source_data, django_assert_num_queries):
    day = AsOf(dt.date(2022, 11, 24))
    included = ScheduleItem.objects.filter(included_in__isnull=False).count()
    with django_assert_num_queries(3):  # the ids, then two reads by them
        assert day.rows(ScheduleItem).count() == 13
        assert day.rows(ScheduleItem).filter(included_in__isnull=False).count() == included
    assert AsOf.today().rows(ScheduleItem).model is ScheduleItem


def test_historical_model_is_the_history_managers_model():
    for model in (Category, ScheduleItem, BudgetLine):
        assert historical_model(model) is model.history.model


def test_as_of_none_is_the_live_table(categories):
    live = as_of(Category, None)
    assert live.model is Category
    assert rows(live, "id", "name") == sorted([(categories["A"], "A5"), (categories["B"], "B6")])


@pytest.fixture
def edited_schedule(source_data):
    """The source schedule, then a year of edits: status changes, a deleted item, new lines."""
    items = list(ScheduleItem.objects.order_by("id"))
    statuses = list(Status.objects.order_by("id"))
    for month in range(1, 13):
        when = dt.datetime(2023, month, 10, 9, tzinfo=TOKYO)
        for n, item in enumerate(items[: 6 + month % 3]):
            item.status = statuses[(n + month) % len(statuses)]
            save_at(item, when)
        line = BudgetLine(item=items[month % len(items)], amount=100 * month, order=9)
        save_at(line, when)
        if month == 6:
            doomed = items.pop()
            doomed._history_date = when
            doomed.delete()  # its budget lines, plans and concerns go with it
    return items


AS_OF_DAYS = [dt.date(2022, 10, 31), dt.date(2022, 11, 24), dt.date(2023, 6, 10)]
AS_OF_DAYS += [dt.date(2023, 6, 11), dt.date(2024, 1, 1)]


@pytest.mark.parametrize("method", methods())
@pytest.mark.parametrize("day", AS_OF_DAYS)
def test_aggregates_match_the_old_implementation(edited_schedule, method, day):
    when = end_of_day(day)

    def figures(read):
        items = read(ScheduleItem, when)
        lines = read(BudgetLine, when)
        return {
            "items": rows(items, "id", "name", "status_id", "category_id"),
            "per status": sorted(items.order_by().values_list("status_id").annotate(n=Count("id"))),
            "total": lines.filter(item_id__in=items.values("id")).aggregate(t=Sum("amount")),
            "ordered": list(
                read(Concern, when).order_by("item_id", "order", "id").values_list("id", "text")
            ),
            "statuses": list(read(Status, when).order_by("order", "name").values_list("name")),
        }

    new = figures(lambda model, moment: as_of(model, moment, method=method))
    assert new == figures(old_as_of)
    assert figures(frozen_as_of) == new
    if day >= dt.date(2022, 11, 24):
        assert new["items"], "the source data is there from its recording day"


def test_as_of_of_the_live_day_matches_the_live_tables(edited_schedule):
    """After the last edit, the history and the live tables agree."""
    when = end_of_day(dt.date(2030, 1, 1))
    for model in (ScheduleItem, BudgetLine, Concern, Status, Category):
        fields = [f.attname for f in model._meta.concrete_fields]
        assert rows(as_of(model, when), *fields) == rows(model.objects.all(), *fields)


# --- The index ------------------------------------------------------------------------------


def has_as_of_index(historical, model) -> bool:
    wanted = [historical._meta.get_field(name).column for name in as_of_index_fields(model)]
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, historical._meta.db_table)
    return any(c["index"] and c["columns"] == wanted for c in constraints.values())


def models_with_history():
    return [
        model
        for model in apps.get_models()
        if getattr(model._meta, "simple_history_manager_attribute", None)
    ]


def test_every_model_with_history_keeps_it_with_the_core_class():
    found = {model._meta.label for model in models_with_history()}
    assert {"projects.ScheduleItem", "projects.BudgetLine", "meetings.Meeting"} <= found
    for model in models_with_history():
        historical = model.history.model
        fields = [list(index.fields) for index in historical._meta.indexes]
        assert list(as_of_index_fields(model)) in fields, model._meta.label


@pytest.mark.django_db
def test_every_historical_table_has_the_as_of_index():
    names = []
    for model in models_with_history():
        historical = model.history.model
        assert has_as_of_index(historical, model), historical._meta.db_table
        names += [index.name for index in historical._meta.indexes]
    assert all(len(name) <= 30 for name in names)
    assert len(names) == len(set(names))


@pytest.mark.django_db(transaction=True)
def test_a_new_area_model_gets_the_index_without_being_told():
    """A future area app only writes ``history = ProgrammeHistory()``."""

    class HistoryProbe(models.Model):
        name = models.CharField(max_length=20)
        history = ProgrammeHistory()

        class Meta:
            app_label = "core"

        def __str__(self):
            return self.name

    historical = HistoryProbe.history.model
    try:
        with connection.schema_editor() as editor:
            editor.create_model(HistoryProbe)
            editor.create_model(historical)
        try:
            assert has_as_of_index(historical, HistoryProbe)
            install_validity_triggers(apps.get_app_config("core"))  # as migrate does
            probe = save_at(HistoryProbe(name="first"), at(1))
            probe.name = "second"
            save_at(probe, at(3))
            assert rows(as_of(HistoryProbe, at(2)), "name") == [("first",)]
            assert rows(as_of(HistoryProbe, at(3)), "name") == [("second",)]
        finally:
            with connection.schema_editor() as editor:
                editor.delete_model(historical)
                editor.delete_model(HistoryProbe)
    finally:
        # Both models went into the app registry: take them out again.
        for model in (HistoryProbe, historical):
            del apps.all_models["core"][model._meta.model_name]
        apps.clear_cache()


# --- Queries do not grow with the history ---------------------------------------------------


def dashboard_queries(day: dt.date) -> int:
    as_of_day = AsOf(day)
    with CaptureQueriesContext(connection) as queries:
        SchedulePanel().get_context(as_of_day)  # figures, counts, open items, concerns
        selectors.schedule_snapshot(as_of_day)
    return len(queries)


def test_as_of_queries_do_not_grow_with_the_history(source_data):
    day = dt.date(2023, 3, 31)
    before = dashboard_queries(day)
    items = list(ScheduleItem.objects.all())
    lines = list(BudgetLine.objects.all())
    for version in range(30):
        when = dt.datetime(2022, 12, 1, 9, tzinfo=TOKYO) + dt.timedelta(days=version)
        for line in lines:
            line.amount += 1
        ScheduleItem.history.bulk_history_create(items, update=True, default_date=when)
        BudgetLine.history.bulk_history_create(lines, update=True, default_date=when)
    assert ScheduleItem.history.count() > 30 * len(items)
    assert dashboard_queries(day) == before
    total = selectors.budget_total_figure(AsOf(day)).value
    assert total == sum(line.amount for line in lines)
