"""``change_log(newest=n)`` reads only the newest records, and gives the full log's newest n."""

import datetime as dt
import zoneinfo

import pytest

from core.history import change_log
from projects import selectors
from projects.models import BudgetLine, Concern, ScheduleItem

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


def as_rows(changes):
    return [
        (
            c.when,
            c.action,
            c.subject,
            c.object_label,
            [(f.label, f.before, f.after) for f in c.fields],
        )
        for c in changes
    ]


@pytest.fixture
def busy_item(source_data):
    """An item, its budget lines and concerns edited over months, some at the same moment."""
    item = ScheduleItem.objects.get(name="テレワーク環境")
    lines = list(item.budget_lines.order_by("id"))
    for month in range(1, 13):
        moment = dt.datetime(2023, month, 1, 9, tzinfo=TOKYO)
        item.name = f"テレワーク環境（{month}月）"
        item._history_date = moment
        item.save()
        line = lines[month % len(lines)]
        line.amount += month
        line._history_date = moment  # the same moment as the item's edit
        line.save()
        if month % 4 == 0:
            concern = Concern(item=item, text=f"課題{month}", order=month)
            concern._history_date = moment + dt.timedelta(hours=1)
            concern.save()
        if month == 7:
            extra = BudgetLine(item=item, amount=5, order=9)
            extra._history_date = moment
            extra.save()
            extra._history_date = moment + dt.timedelta(days=3)
            extra.delete()
    return item


@pytest.mark.parametrize("newest", [1, 2, 3, 5, 8, 13, 30, 200])
def test_the_newest_changes_are_those_of_the_whole_log(busy_item, newest):
    histories = selectors.item_histories(busy_item.pk)
    whole = change_log(histories)
    short = change_log(histories, newest=newest)
    assert as_rows(short) == as_rows(whole[:newest])
    assert short.more == (len(whole) > newest)


def test_the_oldest_change_shown_keeps_its_before(busy_item):
    short = change_log(selectors.item_histories(busy_item.pk), newest=3)
    renamed = [c for c in short if c.subject == "スケジュール項目" or "名" in str(c.fields)]
    assert renamed, short
    assert all(f.before for c in short for f in c.fields if c.action == "変更")
