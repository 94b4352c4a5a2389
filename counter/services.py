"""Writing receptions: a file's days replace what was stored for them, and the daily tallies
(with their hours) of those days are made again from the receptions.

Why "the file's days replaced as a whole" rather than a natural key: a reception system's
export has no stable id per reception (the ticket numbers restart every day and are reused
after a cancellation), and a corrected export of a day is meant to replace the day. So every
(site, day) that has a row in the file is replaced; days the file does not mention are never
touched. Importing the same file twice leaves the same rows and the same figures.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction

from .models import HOURS, DataOrigin, Reception, ReceptionTally, handled_in, received_in

INSERT_BATCH = 5_000
DAYS_PER_STATEMENT = 500


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _hour_sql() -> str:
    if connection.vendor == "postgresql":
        return "CAST(EXTRACT(HOUR FROM received_at) AS integer)"
    return "CAST(strftime('%H', received_at) AS integer)"


def insert_receptions(rows: Iterable[tuple]) -> int:
    """Insert (site_id, received_on, received_at, service_id, handled) rows in batches with the
    cursor's ``executemany`` (no model instances: a night's file of a prefecture is large).
    Returns the number inserted."""
    sql = (
        f"INSERT INTO {_table(Reception)} "
        "(site_id, received_on, received_at, service_id, handled_at_general) "
        "VALUES (%s, %s, %s, %s, %s)"
    )
    count, batch = 0, []
    adapt_time = connection.ops.adapt_timefield_value
    adapt_date = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        for site_id, day, time, service_id, handled in rows:
            batch.append((site_id, adapt_date(day), adapt_time(time), service_id, handled))
            if len(batch) >= INSERT_BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _by_site(site_days: Iterable[tuple[int, dt.date]]) -> dict[int, list[dt.date]]:
    days = defaultdict(set)
    for site_id, day in site_days:
        days[site_id].add(day)
    return {site: sorted(found) for site, found in days.items()}


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def delete_old_receptions(site_days, kept_after_id: int) -> int:
    """Delete the receptions of ``site_days`` stored before this import (id ≤ ``kept_after_id``).

    The id is compared as ``id + 0``: SQLite 3.40 (Debian 12's), once ANALYZE has run, answers
    ``site_id = ? AND received_on IN (…) AND id <= ?`` through the (site, day) index with the
    rowid bound dropped for all but the first day, and deleted the new rows too (found by the
    benchmark; ``tests/counter/test_imports.py`` keeps it found). ``id + 0`` is checked per row.
    """
    if kept_after_id <= 0:
        return 0
    table = _table(Reception)
    deleted = 0
    with connection.cursor() as cursor:
        for site_id, days in _by_site(site_days).items():
            for chunk in _chunks(days, DAYS_PER_STATEMENT):
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"DELETE FROM {table} WHERE site_id = %s AND received_on IN ({marks}) "
                    "AND (id + 0) <= %s",
                    [
                        site_id,
                        *(connection.ops.adapt_datefield_value(d) for d in chunk),
                        kept_after_id,
                    ],
                )
                deleted += cursor.rowcount
    return deleted


def _hour_columns() -> list[str]:
    return [name for hour in HOURS for name in (received_in(hour), handled_in(hour))]


def rebuild_tallies(site_days) -> None:
    """The daily tallies of ``site_days``, made again from their receptions (one
    ``INSERT … SELECT … GROUP BY`` per site and chunk of days: nothing passes through Python),
    then the all-sites totals of those days."""
    tally, reception = _table(ReceptionTally), _table(Reception)
    hour = _hour_sql()
    per_hour = ", ".join(
        f"SUM(CASE WHEN {hour} = {h} THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN {hour} = {h} AND handled_at_general THEN 1 ELSE 0 END)"
        for h in HOURS
    )
    columns = ", ".join(_hour_columns())
    with connection.cursor() as cursor:
        for site_id, days in _by_site(site_days).items():
            for chunk in _chunks(days, DAYS_PER_STATEMENT):
                ReceptionTally.objects.filter(site_id=site_id, day__in=chunk).delete()
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"INSERT INTO {tally} (site_id, day, received, handled, origin, {columns}) "
                    f"SELECT site_id, received_on, COUNT(*), "
                    "SUM(CASE WHEN handled_at_general THEN 1 ELSE 0 END), %s, "
                    f"{per_hour} FROM {reception} "
                    f"WHERE site_id = %s AND received_on IN ({marks}) GROUP BY site_id, received_on",
                    [
                        DataOrigin.SYSTEM,
                        site_id,
                        *(connection.ops.adapt_datefield_value(d) for d in chunk),
                    ],
                )
    rebuild_totals({day for _site, day in site_days})


def rebuild_totals(days) -> None:
    """The all-sites rows (no site) of ``days``, summed from the sites' rows; a total that
    includes reconstructed rows is marked reconstructed."""
    tally = _table(ReceptionTally)
    columns = _hour_columns()
    sums = ", ".join(f"SUM({c})" for c in columns)
    days = sorted(days)
    with connection.cursor() as cursor:
        for chunk in _chunks(days, DAYS_PER_STATEMENT):
            ReceptionTally.objects.filter(site__isnull=True, day__in=chunk).delete()
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {tally} (site_id, day, received, handled, origin, "
                f"{', '.join(columns)}) "
                "SELECT NULL, day, SUM(received), SUM(handled), "
                "CASE WHEN SUM(CASE WHEN origin = %s THEN 1 ELSE 0 END) > 0 THEN %s ELSE %s END, "
                f"{sums} FROM {tally} WHERE site_id IS NOT NULL AND day IN ({marks}) GROUP BY day",
                [
                    DataOrigin.RECONSTRUCTED,
                    DataOrigin.RECONSTRUCTED,
                    DataOrigin.SYSTEM,
                    *(connection.ops.adapt_datefield_value(d) for d in chunk),
                ],
            )


def last_reception_id() -> int:
    return Reception.objects.order_by("-id").values_list("id", flat=True).first() or 0


@transaction.atomic
def replace_days(rows: list[tuple]) -> int:
    """Store ``rows`` (see ``insert_receptions``) in place of the receptions of their days."""
    before = last_reception_id()
    inserted = insert_receptions(rows)
    site_days = {(row[0], row[1]) for row in rows}
    delete_old_receptions(site_days, before)
    rebuild_tallies(site_days)
    return inserted
