# The data step of 0003, in its own migration: on PostgreSQL, rows updated in a transaction
# cannot be followed by ALTER TABLE in that same transaction (pending trigger events).

import datetime as dt
import re

from django.db import migrations


# "R04.01〜R04.12" (or with ～ / ~) at the end of a title: the papers' span, written into the text.
SPAN_IN_TITLE = re.compile(r"\s*[（(]R(\d{2})\.(\d{2})\s*[〜～~]\s*R(\d{2})\.(\d{2})[）)]\s*$")
REIWA_YEAR_ONE = 2019


def _month_end(year, month):
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def periods_as_printed(apps, schema_editor):
    """Keep every milestone; say what its date meant.

    Until now a month-level step was stored as the first of the month (the field's help text
    said so): those become month precision (令和3年11月, not 令和3年11月1日). A span the papers
    give (R04.01〜R04.12) had been put into the title: it becomes the milestone's period and
    leaves the title. Other days stay days. The history rows are converted the same way, so the
    change log shows no change that nobody made.
    """
    for name in ("Milestone", "HistoricalMilestone"):
        model = apps.get_model("projects", name)
        model.objects.filter(starts_on__day=1).update(precision="month")
        for row in model.objects.filter(title__regex=r"R[0-9]{2}\.[0-9]{2}"):
            match = SPAN_IN_TITLE.search(row.title)
            if not match:
                continue
            y1, m1, y2, m2 = (int(part) for part in match.groups())
            start = dt.date(REIWA_YEAR_ONE + y1 - 1, m1, 1)
            end = _month_end(REIWA_YEAR_ONE + y2 - 1, m2)
            if end < start:
                continue
            row.title = SPAN_IN_TITLE.sub("", row.title)
            row.starts_on, row.ends_on, row.precision = start, end, "span"
            row.save(update_fields=["title", "starts_on", "ends_on", "precision"])


class Migration(migrations.Migration):
    dependencies = [("projects", "0003_milestone_precision_specialists")]

    operations = [migrations.RunPython(periods_as_printed, migrations.RunPython.noop)]
