"""Database housekeeping the app needs after writing many rows at once."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import IntegerField, Model
from django.db.models.lookups import In

from .history import historical_model


def history_model(model: type[Model]) -> type[Model] | None:
    """The django-simple-history model of ``model``, if it keeps a history."""
    if getattr(model._meta, "simple_history_manager_attribute", None) is None:
        return None
    return historical_model(model)


def tables_of(models: Iterable[type[Model]]) -> list[str]:
    """The tables of the models and of their histories, each once, in a stable order."""
    tables = []
    for model in models:
        for m in (model, history_model(model)):
            if m is not None and m._meta.db_table not in tables:
                tables.append(m._meta.db_table)
    return tables


def analyze(models: Iterable[type[Model]]) -> list[str]:
    """Refresh the planner's statistics of the models' tables and historical tables.

    PostgreSQL plans from statistics that autovacuum refreshes only some time after a bulk
    load; until then a query over a freshly filled history table can take seconds instead of
    milliseconds. Call this after loading or importing many rows. On SQLite it runs ``ANALYZE``
    too (cheap, and it lets the planner pick the history index). Returns the tables analysed.
    """
    tables = tables_of(models)
    if connection.vendor not in ("postgresql", "sqlite"):
        return []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    return tables


class IntegerFieldIn(In):
    """``in`` on an integer column skips the values no such column holds.

    Django already answers ``pk=<20 digits>`` with nothing (its exact/gt/lt lookups know the
    column's range), but not ``pk__in``: on SQLite a 20-digit id in an admin action
    (``delete_selected``) or ``?id__in=`` raised OverflowError, a 500. Those values match no row
    on any database, so they are dropped; none left is an empty result."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value() and isinstance(self.rhs, list | tuple | set | frozenset):
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


def register_lookups() -> None:
    IntegerField.register_lookup(IntegerFieldIn)
