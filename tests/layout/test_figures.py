"""The floor-seat plan of the 2022-11-01 papers (source-notes §6), reproduced through the code.

Every figure comes from the fixtures (fixtures/layout.json, the printed table) and is computed by
the database: 過不足 per row, floor and building totals, and the two printed 過不足 that
disagree with 確保席数 − 必要数.
"""

import datetime as dt

import pytest

from core.history import AsOf
from layout import selectors
from layout.models import SeatPlan

MEETING_DAY = dt.date(2022, 11, 1)

# The printed table: 階数, フロア, 確保席数, 必要数, 過不足 as printed.
PRINTED = [
    ("1階", "市民、人権啓発、税務、会計 (管理者込み)", 52, 59, -7),
    ("1階", "長寿介護、福祉", 48, 47, 1),
    ("2階", "子育て支援、健康づくり推進", 38, 37, 1),
    ("2階", "上下水道、環境衛生、経済振興、医療対策", 58, 55, 3),
    ("3階", "農業委員会、林業、農業水産", 42, 41, 1),
    ("3階", "建設、監理用地", 40, 32, 8),
    ("4階", "総務、財政、まち、政策", 53, 59, -7),
    ("5階", "情報推進", 12, 7, 5),
    ("教保 3階", "教育総務、学校教育", 20, 19, 2),
    ("教保 3階", "スポーツ文化、生涯学習", 20, 10, 10),
]


@pytest.fixture
def as_of(source_data):
    return AsOf.today()


@pytest.fixture
def scope(as_of):
    return selectors.default_scope(as_of)


def test_the_plan_is_for_reiwa_5(scope):
    assert scope.fiscal_year == 2023


def test_every_row_and_its_computed_balance(as_of, scope):
    rows = selectors.rows(as_of, scope)
    assert [
        (r.floor, r.section, r.seats_secured, r.seats_needed, r.printed_balance) for r in rows
    ] == PRINTED
    assert [r.balance for r in rows] == [-7, 1, 1, 3, 1, 8, -6, 5, 1, 10]


def test_headcounts_as_printed_and_needed_seats_differ_from_them(as_of, scope):
    rows = {r.section: r for r in selectors.rows(as_of, scope)}
    first = rows["市民、人権啓発、税務、会計 (管理者込み)"]
    assert (
        first.staff_current,
        first.parttime_current,
        first.staff_planned,
        first.parttime_planned,
    ) == (44, 7, 52, 6)
    # 必要数 is not simply R5職員数 + R5会計年度: −1 to +4 per row in the papers.
    differences = [r.needed_over_headcount for r in rows.values()]
    assert min(differences) == -1 and max(differences) == 4


def test_exactly_two_rows_are_flagged(as_of, scope):
    flagged = selectors.flagged_rows(as_of, scope)
    assert [(r.floor, r.section, r.printed_balance, r.balance) for r in flagged] == [
        ("4階", "総務、財政、まち、政策", -7, -6),
        ("教保 3階", "教育総務、学校教育", 2, 1),
    ]
    assert selectors.grand_total(as_of, scope).flagged == 2


def test_floor_totals(as_of, scope):
    floors = selectors.floor_totals(as_of, scope)
    assert [(f.label, f.seats_secured, f.seats_needed, f.balance) for f in floors] == [
        ("1階", 100, 106, -6),
        ("2階", 96, 92, 4),
        ("3階", 82, 73, 9),
        ("4階", 53, 59, -6),
        ("5階", 12, 7, 5),
        ("教保 3階", 40, 29, 11),
    ]
    assert [f.label for f in floors if f.short] == ["1階", "4階"]  # as the papers say


def test_building_and_grand_totals(as_of, scope):
    buildings = selectors.building_totals(as_of, scope)
    assert [(b.label, b.seats_secured, b.seats_needed, b.balance) for b in buildings] == [
        ("本庁", 343, 337, 6),
        ("教保", 40, 29, 11),
    ]
    grand = selectors.grand_total(as_of, scope)
    assert (grand.seats_secured, grand.seats_needed, grand.balance) == (383, 366, 17)
    assert (grand.staff_current, grand.parttime_current) == (272, 43)
    assert (grand.staff_planned, grand.parttime_planned) == (313, 35)


def test_figures(as_of, scope):
    balance, short, flagged = selectors.figures(as_of, scope)
    assert (balance.value, balance.display) == (17, "17席")
    assert (short.value, flagged.value) == (2, 2)


def test_as_of_the_meeting_day_reads_the_history(source_data):
    as_of = AsOf(MEETING_DAY)
    scope = selectors.default_scope(as_of)
    assert scope.fiscal_year == 2023
    plan = SeatPlan.objects.get(section__name="情報推進")
    plan.seats_needed = 13
    plan.save()
    # The meeting day still shows the printed table; today shows the change.
    assert selectors.floor_totals(AsOf(MEETING_DAY), scope)[4].balance == 5
    assert selectors.floor_totals(AsOf.today(), scope)[4].balance == -1
    assert selectors.floor_totals(AsOf(dt.date(2022, 10, 31)), scope) == []


def test_row_filters_keep_the_floor_totals(as_of):
    scope = selectors.Scope(fiscal_year=2023, short_only=True)
    table = selectors.layout_table(as_of, scope)
    assert [r.section for f in table.floors for r in f.rows] == [
        "市民、人権啓発、税務、会計 (管理者込み)", "総務、財政、まち、政策",
    ]  # fmt: skip
    assert [(f.total.label, f.total.balance) for f in table.floors] == [("1階", -6), ("4階", -6)]
    flagged = selectors.layout_table(as_of, selectors.Scope(fiscal_year=2023, flagged_only=True))
    assert [r.section for f in flagged.floors for r in f.rows] == [
        "総務、財政、まち、政策", "教育総務、学校教育",
    ]  # fmt: skip
    kyoho = selectors.layout_table(as_of, selectors.Scope(fiscal_year=2023, building=2))
    assert [(b.total.label, b.total.balance) for b in kyoho.buildings] == [("教保", 11)]
    assert kyoho.grand.balance == 11
