"""12 writers × 10 saves at once on a SQLite file, as 12 editors saving in the admin do.

Run as a script with ``DATABASE_URL=sqlite:///<file>`` and the production settings module, so
the settings' own SQLite options are what is measured. Each save is what the admin's change
view does: inside one transaction, read the item, change it, save it (and its history row).
Prints ``saves=<n> locked=<n> other=<n>``.
"""

import os
import sys
import threading

WRITERS = 12
SAVES = 10


def main() -> None:
    sys.path.insert(0, os.getcwd())
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import OperationalError, connection, transaction

    from projects.models import Category, ScheduleItem, Status

    call_command("migrate", verbosity=0)
    category = Category.objects.create(name="区分", order=1)
    status = Status.objects.create(name="継続")
    items = [
        ScheduleItem.objects.create(name=f"項目{n}", category=category, status=status)
        for n in range(WRITERS)
    ]
    connection.close()
    counts = {"saves": 0, "locked": 0, "other": 0}
    lock = threading.Lock()
    start = threading.Barrier(WRITERS)

    def writer(pk: int) -> None:
        start.wait()
        for n in range(SAVES):
            try:
                with transaction.atomic():
                    item = ScheduleItem.objects.get(pk=pk)
                    item.order = n
                    item.save()
                outcome = "saves"
            except OperationalError as error:
                outcome = "locked" if "locked" in str(error) else "other"
            except Exception:
                outcome = "other"
            with lock:
                counts[outcome] += 1
        connection.close()

    threads = [threading.Thread(target=writer, args=(item.pk,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(" ".join(f"{k}={v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
