"""Django's ``flush``, with the append-only guard of revisions opened for it (``pbx.guard``).

Django looks a command up in the installed apps before its own, so ``call_command("flush")``
(the teardown of transactional tests included) runs this one. Only the statements the flush
executes change: the guard's opening and closing are put around them, in the same transaction
(``execute_sql_flush`` runs them in one ``atomic`` block).
"""

from django.core.management.commands import flush
from django.db import connections

from pbx.guard import guarded_flush_sql


class Command(flush.Command):
    def handle(self, **options):
        connection = connections[options["database"]]
        ops = connection.ops
        execute = ops.execute_sql_flush  # the backend's own method

        def execute_guarded(sql_list):
            return execute(guarded_flush_sql(connection, sql_list))

        # For this command only: the connection is the thread's own, and the attribute is
        # removed again whatever happens.
        ops.execute_sql_flush = execute_guarded
        try:
            return super().handle(**options)
        finally:
            del ops.execute_sql_flush
