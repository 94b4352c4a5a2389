"""Query expressions the reads share."""

from __future__ import annotations

import json

from django.db import models
from django.db.models.expressions import Expression


class InIds(Expression):
    """``column`` is one of ``ids``, a list passed as one parameter whatever its length.

    PostgreSQL: ``= ANY(%s)`` with an array literal, which its planner hashes (a sub-plan's
    array is searched linearly for every row). SQLite: ``IN (SELECT value FROM json_each(%s))``,
    a temporary index built once (``IN (?, ?, …)`` stops at 32,766 parameters).
    """

    output_field = models.BooleanField()
    conditional = True

    def __init__(self, column, ids: list[int]):
        super().__init__()
        self.column, self.ids = column, ids

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, expressions):
        (self.column,) = expressions

    def as_sql(self, compiler, connection):
        column, params = compiler.compile(self.column)
        if connection.vendor == "postgresql":
            return f"{column} = ANY(%s)", (*params, self.ids)
        if connection.vendor == "sqlite":
            return f"{column} IN (SELECT value FROM json_each(%s))", (*params, json.dumps(self.ids))
        placeholders = ", ".join(["%s"] * len(self.ids)) or "NULL"
        return f"{column} IN ({placeholders})", (*params, *self.ids)


class CurrentAt(Expression):
    """A history record current at ``when``: ``history_date <= when < history_valid_until``
    (NULL: still current). See ``core.history_validity``.

    SQLite would walk the ``history_date`` index and visit the table for every record made up
    to ``when`` (half the table for a day in the middle, one random read each), four times as
    long as reading the table through: the unary ``+`` keeps it from using that index.
    """

    output_field = models.BooleanField()
    conditional = True

    def __init__(self, when, date: str = "history_date", until: str = "history_valid_until"):
        super().__init__()
        self.when, self.date, self.until = when, date, until

    def as_sql(self, compiler, connection):
        quote = compiler.quote_name_unless_alias
        table = quote(compiler.query.get_initial_alias())
        date, until = f"{table}.{quote(self.date)}", f"{table}.{quote(self.until)}"
        moment = connection.ops.adapt_datetimefield_value(self.when)
        plus = "+" if connection.vendor == "sqlite" else ""
        sql = f"({plus}{date} <= %s AND ({until} > %s OR {until} IS NULL))"
        return sql, (moment, moment)
