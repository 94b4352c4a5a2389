"""Writing receptions: a file's days replace what was stored for them, and the daily tallies
(with their hours) of those days are made again from the receptions.

Why "the file's days replaced as a whole" rather than a natural key: a reception system's
export has no stable id per reception (the ticket numbers restart every day and are reused
after a cancellation), and a corrected export of a day is meant to replace the day. So every
(site, day) that has a row in the file is replaced; days the file does not mention are never
touched. Importing the same file twice leaves the same rows and the same figures.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

from .models import HOURS, DataOrigin, Reception, ReceptionTally, handled_in, received_in

INSERT_BATCH = 5_000
COPY_BATCH = 50_000
DAYS_PER_STATEMENT = 500


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


RECEPTION_COLUMNS = ("site_id", "received_on", "received_at", "service_id", "handled_at_general")


def reception_params():
    """How a date and a time become query parameters on this database (what
    ``ReceptionLoad.insert`` expects; a caller caches them per cell text)."""
    return connection.ops.adapt_datefield_value, connection.ops.adapt_timefield_value


STAGING = "counter_import_tally"  # a temporary table: the tallies of one import's (site, day)s
TALLY_WIDTH = 2 + 2 * len(HOURS)  # received, handled, then (r, h) per hour
FLUSH_AT = 20_000  # (site, day)s counted in memory before they are added to the staging table


class ReceptionLoad:
    """One import of receptions, written as it is read: the rows are inserted in batches
    (PostgreSQL ``COPY``, SQLite ``executemany``: no model instances), and each (site, day)'s
    tally with its 24 hours is counted on the way (a few integer additions per row) into a
    temporary staging table. ``finish`` then replaces, in SQL, what was stored for those
    (site, day)s. Counting in Python is what keeps the import near a raw insert: summing the 48
    hour columns in SQL (``SUM(CASE …)`` per column) cost more than inserting the rows.

    Memory stays flat: at most ``FLUSH_AT`` (site, day)s are held; a (site, day) seen again
    after a flush is added to its staged row (``ON CONFLICT … DO UPDATE``)."""

    def __init__(self):
        self.kept_after_id = last_reception_id()
        self.counts: dict[tuple, list[int]] = {}
        self.inserted = 0
        hours = ", ".join(f"{c} integer NOT NULL" for c in _hour_columns())
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {STAGING} (site_id integer NOT NULL, day date NOT NULL, "
                f"received integer NOT NULL, handled integer NOT NULL, {hours}, "
                "PRIMARY KEY (site_id, day))"
            )

    def insert(self, rows: Iterable[tuple]) -> int:
        """Insert (site_id, day, time, hour, service_id, handled) rows, the day and the time
        already query parameters (``reception_params``). Returns the number inserted."""
        batch_size = COPY_BATCH if connection.vendor == "postgresql" else INSERT_BATCH
        counts = self.counts
        batch: list[tuple] = []
        append = batch.append
        for site_id, day, time, hour, service_id, handled in rows:
            append((site_id, day, time, service_id, handled))
            key = (site_id, day)
            tally = counts.get(key)
            if tally is None:
                tally = counts[key] = [0] * TALLY_WIDTH
            column = 2 + 2 * hour
            tally[0] += 1
            tally[column] += 1
            if handled:
                tally[1] += 1
                tally[column + 1] += 1
            if len(batch) >= batch_size:
                self._write(batch)
                batch.clear()
                if len(counts) >= FLUSH_AT:
                    self._stage()
        if batch:
            self._write(batch)
        return self.inserted

    def _write(self, batch: list[tuple]) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                sql = f"COPY {_table(Reception)} ({', '.join(RECEPTION_COLUMNS)}) FROM STDIN"
                with cursor.cursor.copy(sql) as copy:
                    for row in batch:
                        copy.write_row(row)
            else:
                cursor.executemany(
                    f"INSERT INTO {_table(Reception)} ({', '.join(RECEPTION_COLUMNS)}) "
                    "VALUES (%s, %s, %s, %s, %s)",
                    batch,
                )
        self.inserted += len(batch)

    def _stage(self) -> None:
        if not self.counts:
            return
        columns = ["received", "handled", *_hour_columns()]
        marks = ", ".join(["%s"] * (2 + len(columns)))
        added = ", ".join(f"{c} = {STAGING}.{c} + EXCLUDED.{c}" for c in columns)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {STAGING} (site_id, day, {', '.join(columns)}) VALUES ({marks}) "
                f"ON CONFLICT (site_id, day) DO UPDATE SET {added}",
                [(site_id, day, *tally) for (site_id, day), tally in self.counts.items()],
            )
        self.counts.clear()

    def finish(self) -> int:
        """The (site, day)s of the rows inserted replace what was stored for them: the older
        receptions of those days are deleted, their tallies replaced by the staged ones, and
        the all-sites totals of those days made again. Returns the number of (site, day)s."""
        self._stage()
        reception, tally = _table(Reception), _table(ReceptionTally)
        columns = ", ".join(["received", "handled", *_hour_columns()])
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {STAGING}")
            count = cursor.fetchone()[0]
            if self.kept_after_id > 0:
                # id + 0, not id: SQLite 3.40 (Debian 12's), once ANALYZE has run, answered
                # ``site_id = ? AND received_on IN (…) AND id <= ?`` through the (site, day)
                # index with the id bound dropped and deleted the new rows too (found by the
                # benchmark; tests/counter/test_imports.py keeps it found).
                cursor.execute(
                    f"DELETE FROM {reception} WHERE id IN (SELECT r.id FROM {STAGING} d "
                    f"JOIN {reception} r ON r.site_id = d.site_id AND r.received_on = d.day "
                    "WHERE (r.id + 0) <= %s)",
                    [self.kept_after_id],
                )
            cursor.execute(
                f"DELETE FROM {tally} WHERE id IN (SELECT t.id FROM {STAGING} d "
                f"JOIN {tally} t ON t.site_id = d.site_id AND t.day = d.day)"
            )
            cursor.execute(
                f"INSERT INTO {tally} (site_id, day, origin, {columns}) "
                f"SELECT site_id, day, %s, {columns} FROM {STAGING}",
                [DataOrigin.SYSTEM],
            )
            _rebuild_totals_of(cursor, f"SELECT DISTINCT day FROM {STAGING}")
            cursor.execute(f"DROP TABLE {STAGING}")
        return count


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _hour_columns() -> list[str]:
    return [name for hour in HOURS for name in (received_in(hour), handled_in(hour))]


def rebuild_totals(days) -> None:
    """The all-sites rows (no site) of ``days``, summed from the sites' rows."""
    days = sorted(days)
    with connection.cursor() as cursor:
        for chunk in _chunks(days, DAYS_PER_STATEMENT):
            marks = ", ".join(["%s"] * len(chunk))
            _rebuild_totals_of(
                cursor,
                marks,
                [connection.ops.adapt_datefield_value(d) for d in chunk],
            )


def _rebuild_totals_of(cursor, days_sql: str, params=()) -> None:
    """The all-sites rows of the days ``days_sql`` lists (a subquery or placeholders), summed
    from the sites' rows; a total that includes reconstructed rows is marked reconstructed."""
    tally = _table(ReceptionTally)
    columns = _hour_columns()
    sums = ", ".join(f"SUM({c})" for c in columns)
    cursor.execute(
        f"DELETE FROM {tally} WHERE site_id IS NULL AND day IN ({days_sql})", list(params)
    )
    cursor.execute(
        f"INSERT INTO {tally} (site_id, day, received, handled, origin, {', '.join(columns)}) "
        "SELECT NULL, day, SUM(received), SUM(handled), "
        "CASE WHEN SUM(CASE WHEN origin = %s THEN 1 ELSE 0 END) > 0 THEN %s ELSE %s END, "
        f"{sums} FROM {tally} WHERE site_id IS NOT NULL AND day IN ({days_sql}) GROUP BY day",
        [DataOrigin.RECONSTRUCTED, DataOrigin.RECONSTRUCTED, DataOrigin.SYSTEM, *params],
    )


@transaction.atomic
def replace_tallies(plan: list[tuple]) -> None:
    """Store hourly tallies ``(site_id, day, {field: value})`` in place of the tallies of their
    (site, day)s, then the all-sites totals of those days (``HourlyTallyImporter``)."""
    by_site: dict[int, list] = {}
    for site_id, day, _values in plan:
        by_site.setdefault(site_id, []).append(day)
    for site_id, days in by_site.items():
        for chunk in _chunks(days, DAYS_PER_STATEMENT):
            ReceptionTally.objects.filter(site_id=site_id, day__in=chunk).delete()
    ReceptionTally.objects.bulk_create(
        (
            ReceptionTally(site_id=site_id, day=day, origin=DataOrigin.SYSTEM, **values)
            for site_id, day, values in plan
        ),
        batch_size=500,
    )
    rebuild_totals({day for _site, day, _values in plan})


def last_reception_id() -> int:
    return Reception.objects.order_by("-id").values_list("id", flat=True).first() or 0


@transaction.atomic
def replace_days(rows: list[tuple]) -> int:
    """Store ``rows`` (see ``insert_receptions``) in place of the receptions of their days."""
    adapt_date, adapt_time = reception_params()
    load = ReceptionLoad()
    inserted = load.insert(
        (site_id, adapt_date(day), adapt_time(time), time.hour, service_id, handled)
        for site_id, day, time, service_id, handled in rows
    )
    load.finish()
    return inserted
