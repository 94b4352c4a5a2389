"""Django's ``sqlflush``, printing the statements ``flush`` runs: with the append-only guard of
revisions opened first and closed last (``pbx.guard``); Django wraps the output in BEGIN/COMMIT
(``output_transaction``), so run by hand it opens the guard for that transaction only."""

from django.core.management.commands import sqlflush
from django.db import connections

from pbx.guard import guarded_flush_sql


class Command(sqlflush.Command):
    def handle(self, **options):
        output = super().handle(**options)
        if not output:
            return output
        return "\n".join(guarded_flush_sql(connections[options["database"]], output.split("\n")))
