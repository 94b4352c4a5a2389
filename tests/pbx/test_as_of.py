"""The section 4 table of the 2022-11-01 papers (クラウドPBXについて ○現状, 10/24時点), read
back through the selectors from the fixtures, and the table as it stood before (10/10)."""

import datetime as dt

import pytest

from core.history import AsOf
from pbx import selectors
from pbx.models import Contract, Revision, Site
from pbx.sheets import story_text

pytestmark = pytest.mark.django_db

PAPERS_DAY = dt.date(2022, 10, 24)


def rows_of(day):
    as_of = AsOf(day)
    return {row.name: row for row in selectors.with_steps(selectors.site_rows(as_of), day)}


def story(row):
    return " → ".join(label for label, _superseded in row.story)


def test_contract_refers_to_the_schedule_item_not_a_budget_line(source_data):
    contract = Contract.objects.get()
    assert contract.schedule_item.name == "クラウドPBX"
    assert contract.signed_on == dt.date(2022, 2, 25)  # R04.2.25付けで契約を締結
    assert contract.due_on == dt.date(2022, 12, 31)  # 令和4年12月末までに整備予定
    assert (
        contract.carried_over_from == 2021 and contract.get_carryover_kind_display() == "事故繰越"
    )
    assert "半導体不足" in contract.carryover_reason
    assert contract.original_plan == "令和3年度内に整備予定"
    assert contract.carried_over_label == "令和3年度から事故繰越"


def test_section_4_table_as_of_2022_10_24(source_data):
    rows = rows_of(PAPERS_DAY)
    assert list(rows) == ["本庁", "明浜支所", "野村支所", "城川支所", "三瓶支所", "公民館"]
    # 本庁 当初10/17→10/24へ変更→未定（番ポは申請中）
    assert story(rows["本庁"]) == "10/17 → 10/24 → 未定"
    assert [s for _l, s in rows["本庁"].story] == [True, True, False]
    assert rows["本庁"].state == selectors.State.UNDECIDED
    assert rows["本庁"].porting_label == "申請中"
    assert rows["本庁"].slip_count == 2
    # 明浜支所 当初11/5 予定どおり（前倒しの可能性あり）
    assert story(rows["明浜支所"]) == "11/5"
    assert rows["明浜支所"].state == selectors.State.SCHEDULED
    assert "前倒しの可能性あり" in rows["明浜支所"].note
    assert rows["明浜支所"].slip_count == 0
    # 野村支所 10/24本番運用開始（予定通り）
    assert rows["野村支所"].state == selectors.State.LIVE
    assert rows["野村支所"].went_live_on == dt.date(2022, 10, 24)
    assert rows["野村支所"].slip_days == 0
    assert rows["野村支所"].state_label == "運用中（10/24から）"
    # 城川支所 当初10/29→未定, 三瓶支所 当初11/12→未定, 公民館 当初11/21→未定（番ポ申請中）
    for name, first in (("城川支所", "10/29"), ("三瓶支所", "11/12"), ("公民館", "11/21")):
        assert story(rows[name]) == f"{first} → 未定"
        assert rows[name].state == selectors.State.UNDECIDED
        assert rows[name].porting_label == "申請中"
        assert rows[name].slip_count == 1
    assert rows["本庁"].slip_days == 7  # 10/17 planned, still 未定 on 10/24
    texts = [story_text(row) for row in rows.values()]
    assert texts[0] == "本庁 当初10/17→10/24→未定（番ポ申請中）"
    assert texts[2].startswith("野村支所 当初10/24 10/24運用開始（予定どおり）")
    assert texts[3] == "城川支所 当初10/29→未定（番ポ申請中）"


def test_as_of_2022_10_10_the_later_revisions_are_not_there(source_data):
    rows = rows_of(dt.date(2022, 10, 10))
    assert {name: story(row) for name, row in rows.items()} == {
        "本庁": "10/17",
        "明浜支所": "11/5",
        "野村支所": "10/24",
        "城川支所": "10/29",
        "三瓶支所": "11/12",
        "公民館": "11/21",
    }
    assert all(row.state == selectors.State.SCHEDULED for row in rows.values())
    assert all(row.porting == "" and row.slip_count == 0 for row in rows.values())
    assert rows["野村支所"].went_live_on is None  # live only from 10/24


def test_revisions_without_a_decision_date_say_so(source_data):
    revisions = list(Revision.objects.all())
    assert len(revisions) == 5
    for revision in revisions:
        assert revision.decision_date_known is False
        assert revision.decided_on == PAPERS_DAY
        assert "決定日の記載なし" in revision.note


def test_summary_and_figures(source_data):
    as_of = AsOf(PAPERS_DAY)
    summary = selectors.summary(as_of)
    assert (summary.live, summary.scheduled, summary.overdue, summary.undecided) == (1, 1, 0, 4)
    assert summary.slips == 5
    assert summary.longest_slip.name == "本庁" and summary.longest_slip.slip_days == 7
    assert summary.days_to_deadline == 68  # 10/24 → 12/31
    figures = {figure.key: figure.value for figure in selectors.figures(as_of)}
    assert figures == {
        "pbx.live": 1,
        "pbx.scheduled": 1,
        "pbx.undecided": 4,
        "pbx.slips": 5,
        "pbx.longest_slip": 7,
        "pbx.days_to_deadline": 68,
    }
    before = selectors.summary(AsOf(dt.date(2022, 10, 10)))
    assert (before.live, before.scheduled, before.undecided, before.slips) == (0, 6, 0, 0)
    assert before.longest_slip is None


def test_slips_per_month(source_data):
    periods = selectors.slips_per_month(AsOf(PAPERS_DAY))
    assert [(p.label, p.changes, p.slips) for p in periods] == [("令和4年10月", 5, 5)]
    assert selectors.slips_per_month(AsOf(dt.date(2022, 10, 23))) == []


def test_deadline_warning_for_undecided_sites_near_the_deadline(source_data):
    as_of = AsOf(PAPERS_DAY)
    rows = {row.name: row for row in selectors.site_rows(as_of, warn_days=60)}
    assert not any(row.deadline_warning for row in rows.values())  # 68 days left
    rows = {row.name: row for row in selectors.site_rows(as_of, warn_days=90)}
    warned = [name for name, row in rows.items() if row.deadline_warning]
    assert warned == ["本庁", "城川支所", "三瓶支所", "公民館"]
    assert rows["本庁"].deadline_warning == "未定のまま履行期限まで68日です"


def test_a_plan_past_the_deadline_is_warned(source_data, editor):
    site = Site.objects.get(name="明浜支所")
    Revision.objects.create(
        site=site, decided_on=dt.date(2022, 11, 1), planned_on=dt.date(2023, 1, 10)
    )
    rows = {row.name: row for row in selectors.site_rows(AsOf(dt.date(2022, 11, 1)))}
    assert rows["明浜支所"].deadline_warning == "予定日が履行期限（令和4年12月31日）を過ぎています"
    assert rows["明浜支所"].slip_count == 1 and rows["明浜支所"].slip_days == 66


def test_the_sites_themselves_are_read_as_recorded_on_the_day(source_data):
    """A site renamed or given a new first plan later shows as it was on a past day; a site
    added later is not there (the history, not the live table)."""
    site = Site.objects.get(name="公民館")
    site.name, site.first_planned_on = "中央公民館", dt.date(2022, 11, 28)
    site.save()
    contract = Contract.objects.get()
    Site.objects.create(
        contract=contract, name="新施設", order=9, first_planned_on=dt.date(2023, 1, 5)
    )
    past = rows_of(PAPERS_DAY)
    assert list(past) == ["本庁", "明浜支所", "野村支所", "城川支所", "三瓶支所", "公民館"]
    assert story(past["公民館"]) == "11/21 → 未定"
    today = {row.name: row for row in selectors.site_rows(AsOf.today())}
    assert list(today)[-2:] == ["中央公民館", "新施設"]
    assert story(selectors.with_steps([today["中央公民館"]], dt.date.today())[0]) == "11/28 → 未定"
    assert rows_of(dt.date(2022, 2, 24)) == {}  # before the contract: nothing recorded yet
