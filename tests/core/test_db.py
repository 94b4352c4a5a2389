"""``core.db.analyze``: the planner's statistics after a bulk load."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.db import analyze, tables_of
from dataimport.models import ImportBatch
from projects.models import BudgetLine, ScheduleItem


def test_tables_of_a_model_with_history_include_its_history():
    assert tables_of([ScheduleItem, BudgetLine, ScheduleItem]) == [
        "projects_scheduleitem",
        "projects_historicalscheduleitem",
        "projects_budgetline",
        "projects_historicalbudgetline",
    ]
    assert tables_of([ImportBatch]) == [ImportBatch._meta.db_table]


@pytest.mark.django_db
def test_analyze_runs_one_statement_per_table():
    with CaptureQueriesContext(connection) as queries:
        assert analyze([ScheduleItem]) == [
            "projects_scheduleitem",
            "projects_historicalscheduleitem",
        ]
    assert [q["sql"] for q in queries] == [
        'ANALYZE "projects_scheduleitem"',
        'ANALYZE "projects_historicalscheduleitem"',
    ]


@pytest.mark.django_db
def test_loading_the_source_data_analyses_what_it_loaded():
    from core.seed import load_source_data

    with CaptureQueriesContext(connection) as queries:
        load_source_data()
    analysed = [q["sql"] for q in queries if q["sql"].startswith("ANALYZE")]
    assert 'ANALYZE "projects_historicalscheduleitem"' in analysed
    assert 'ANALYZE "meetings_meeting"' in analysed
    with CaptureQueriesContext(connection) as queries:
        assert load_source_data() == []  # nothing loaded: nothing analysed
    assert not [q for q in queries if q["sql"].startswith("ANALYZE")]
