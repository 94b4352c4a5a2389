"""The migration to periods keeps every milestone and says what its date meant."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = ("projects", "0002_history_as_of_index")
AFTER = ("projects", "0004_milestone_periods_as_printed")


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
def test_invented_first_days_become_months_and_a_period_leaves_the_title():
    old = _migrate(BEFORE)
    initiative = old.get_model("projects", "Initiative").objects.create(
        name="DX人材", theme="DX人材"
    )
    milestone = old.get_model("projects", "Milestone")
    for due_on, title in [
        ("2021-11-01", "連携協定"),  # R03.11, stored as its first day
        ("2022-12-01", "課題の洗い出し・すり合わせ・ロードマップ作成（R04.01〜R04.12）"),
        ("2022-12-01", "予算要求（R04.01～R04.12）"),  # the other wave dash
        ("2022-11-24", "説明会"),  # a real day stays a day
    ]:
        milestone.objects.create(initiative=initiative, due_on=due_on, title=title)
    history = old.get_model("projects", "HistoricalMilestone")
    history.objects.create(
        id=1,
        initiative_id=initiative.pk,
        due_on="2022-12-01",
        title="課題の洗い出し（R04.01〜R04.12）",
        done=False,
        history_date="2022-10-24T09:00:00+09:00",
        history_type="+",
    )

    new = _migrate(AFTER)
    rows = new.get_model("projects", "Milestone").objects.order_by("pk")
    assert [(m.title, m.starts_on, m.precision, m.ends_on) for m in rows] == [
        ("連携協定", dt.date(2021, 11, 1), "month", None),
        (
            "課題の洗い出し・すり合わせ・ロードマップ作成",
            dt.date(2022, 1, 1),
            "span",
            dt.date(2022, 12, 31),
        ),
        ("予算要求", dt.date(2022, 1, 1), "span", dt.date(2022, 12, 31)),
        ("説明会", dt.date(2022, 11, 24), "day", None),
    ]
    (record,) = new.get_model("projects", "HistoricalMilestone").objects.all()
    assert (record.title, record.precision, record.ends_on) == (
        "課題の洗い出し",
        "span",
        dt.date(2022, 12, 31),
    )
    _migrate_to_leaves()


def _migrate_to_leaves():
    """Back to the newest migration of every app: going back to projects 0002 also unapplied
    the apps whose migrations depend on it (pbx, meetings …)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
