"""After an import is applied, the tables it wrote to get fresh planner statistics."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.projects import test_schedule_import as round_trip


def test_applying_an_import_analyses_the_tables_it_wrote(viewer_client, source_data, editor):
    response = viewer_client.get("/schedule/?export=xlsx")
    xlsx = round_trip.Workbook(response.getvalue())
    xlsx.set("キャッシュレス", round_trip.BUDGET1, 9000)
    xlsx.set("キャッシュレス", round_trip.TOTAL, 9000)
    client = Client()
    client.force_login(editor)
    preview = round_trip.upload(client, "全体のスケジュール_編集.xlsx", xlsx.bytes())
    with CaptureQueriesContext(connection) as queries:
        assert round_trip.apply(client, preview).status_code == 302
    analysed = [q["sql"] for q in queries if q["sql"].startswith("ANALYZE")]
    assert analysed == ['ANALYZE "projects_budgetline"', 'ANALYZE "projects_historicalbudgetline"']
