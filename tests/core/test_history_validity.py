"""``history_valid_until``: kept right by the database however records are written."""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo

import pytest
from django.db import connection

from core.history import as_of, current_at, historical_model
from core.history_validity import (
    VALID_UNTIL,
    historical_models_with_validity,
    install_validity_triggers,
    recompute_validity,
)
from projects.models import Category

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
START = dt.datetime(2020, 4, 1, 9, tzinfo=TOKYO)
HistoricalCategory = historical_model(Category)


def expected_validity() -> dict[int, dt.datetime | None]:
    """By definition: the date of the object's next record in (history_date, history_id)."""
    records = list(
        HistoricalCategory.objects.order_by("id", "history_date", "history_id").values_list(
            "id", "history_date", "history_id"
        )
    )
    until = {}
    for n, (object_id, _date, history_id) in enumerate(records):
        following = records[n + 1] if n + 1 < len(records) else None
        until[history_id] = following[1] if following and following[0] == object_id else None
    return until


def stored_validity() -> dict[int, dt.datetime | None]:
    return dict(HistoricalCategory.objects.values_list("history_id", VALID_UNTIL))


def save_at(obj, when):
    obj._history_date = when
    obj.save()
    return obj


def random_history(seed: int, objects: int = 6, steps: int = 60) -> list[dt.datetime]:
    """Edits, same-moment ties, deletions, re-creations, back-dated records written in bulk
    (one multi-row INSERT), a record's date corrected and a record removed."""
    rng = random.Random(seed)
    alive: dict[int, Category] = {}
    moments = [START + dt.timedelta(hours=rng.randrange(0, 2000)) for _ in range(steps)]
    moments.sort()
    for n, when in enumerate(moments):
        choice = rng.random()
        if not alive or choice < 0.2:
            category = save_at(Category(name=f"c{n}", order=n), when)
            alive[category.pk] = category
        elif choice < 0.3:
            category = alive.pop(rng.choice(sorted(alive)))
            category._history_date = when
            category.delete()
        elif choice < 0.45:
            # Back-dated corrections of several objects, in one bulk INSERT.
            chosen = [alive[pk] for pk in rng.sample(sorted(alive), min(3, len(alive)))]
            for category in chosen:
                category.name = f"back{n}"
            back = when - dt.timedelta(hours=rng.randrange(0, 500))
            Category.history.bulk_history_create(chosen, update=True, default_date=back)
        else:
            category = alive[rng.choice(sorted(alive))]
            category.name = f"e{n}"
            tie = rng.random() < 0.2  # two records at the same moment: history_id decides
            save_at(category, moments[n - 1] if tie and n else when)
    records = list(HistoricalCategory.objects.order_by("?")[:2])
    if records:
        moved = records[0]
        moved.history_date = moved.history_date + dt.timedelta(hours=rng.randrange(-300, 300))
        moved.save()
    if len(records) > 1:
        records[1].delete()
    return moments


@pytest.mark.parametrize("seed", range(6))
def test_every_record_knows_until_when_it_was_current(db, seed):
    random_history(seed)
    assert HistoricalCategory.objects.count() > 30
    assert stored_validity() == expected_validity()


@pytest.mark.parametrize("seed", range(3))
def test_the_records_current_at_a_moment_are_those_the_index_walk_finds(db, seed):
    moments = random_history(seed)
    reference = "step_down" if connection.vendor == "postgresql" else "skip_scan"
    probes = [
        START - dt.timedelta(days=1),
        *moments,
        *(m + dt.timedelta(minutes=1) for m in moments),
    ]
    for when in probes:
        by_validity = sorted(as_of(Category, when).values_list("history_id", flat=True))
        by_walk = sorted(
            as_of(Category, when, method=reference).values_list("history_id", flat=True)
        )
        assert by_validity == by_walk, when


def test_installing_fills_the_records_written_before(db):
    random_history(7)
    HistoricalCategory.objects.update(**{VALID_UNTIL: None})  # as after the column was added
    assert stored_validity() != expected_validity()
    recompute_validity(HistoricalCategory)
    assert stored_validity() == expected_validity()


def test_installing_again_changes_nothing(db):
    random_history(8)
    before = stored_validity()
    install_validity_triggers()  # every migrate calls it; the triggers are there already
    assert stored_validity() == before == expected_validity()


def test_every_programme_history_has_the_column():
    labels = {m._meta.label for m in historical_models_with_validity()}
    for label in ("projects.HistoricalScheduleItem", "meetings.HistoricalMeeting"):
        assert label in labels
    assert len(labels) >= 20


def test_current_at_is_one_range_condition_in_sql(db):
    sql = str(HistoricalCategory.objects.filter(current_at(START)).query)
    assert VALID_UNTIL in sql and "history_date" in sql
    assert "SELECT" not in sql.split("WHERE", 1)[1]  # no subquery per record


@pytest.mark.parametrize("seed", range(2))
def test_the_ids_read_from_the_index_are_the_records_current(db, seed):
    from core.history import latest_record_ids

    moments = random_history(seed)
    for when in moments[::5]:
        expected = set(
            HistoricalCategory.objects.filter(current_at(when)).values_list("history_id", flat=True)
        )
        assert set(latest_record_ids(Category, when)) == expected
