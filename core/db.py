"""Database housekeeping the app needs after writing many rows at once."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import Model

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
