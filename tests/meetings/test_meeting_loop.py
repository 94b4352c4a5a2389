"""From one meeting to the next: the 2022-03-14 strategy meeting, and the schedule's title
saying from data what the 2022-11-01 papers wrote by hand."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from meetings.models import Meeting
from tests.reports.test_changes import changes_section, edited  # noqa: F401

SCHEDULE = "全体のスケジュール"


def book(client, query):
    return load_workbook(io.BytesIO(client.get(f"/workbook/{query}").content))


@pytest.mark.django_db
def schedule_rows(sheet) -> str:
    """The changes sheet's text, all cells (an area's title heads its rows)."""
    return " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)


def test_the_2022_03_14_strategy_meeting_is_there_as_the_papers_say(source_data):
    """The papers: 「全体のスケジュール（2022.3.14の行政経営戦略会議資料より変更なし）」."""
    meeting = Meeting.objects.get(held_on=dt.date(2022, 3, 14))
    assert meeting.name == "行政経営戦略会議"
    assert meeting.subject == "全体のスケジュール"
    # Nothing else is known of it: no place, attendees, result or points.
    assert (meeting.place, meeting.attendees, meeting.result) == ("", "", "")
    assert not meeting.points.exists()


@pytest.mark.django_db
def test_2022_03_14_to_2022_11_01_is_unchanged_from_the_fixtures(viewer_client, source_data):
    papers = book(viewer_client, "?as_of=2022-11-01&meeting=1")
    assert papers[SCHEDULE]["A1"].value == (
        "全体のスケジュール（令和4年3月14日の会議資料より変更なし）"
    )
    changes = papers["前回の会議からの変更"]
    assert changes["A1"].value == "前回の会議（令和4年3月14日）からの変更（令和4年11月1日時点）"
    # Nothing of the schedule changed (what the areas first recorded for the 11-01 papers did).
    assert SCHEDULE not in schedule_rows(changes)
    section = changes_section(viewer_client, "?as_of=2022-11-01")
    assert "前回の会議（令和4年3月14日）からの変更" in section and SCHEDULE not in section


@pytest.mark.django_db
def test_after_an_edit_the_title_counts_the_changes_and_the_earlier_papers_do_not(
    viewer_client,
    edited,  # noqa: F811
):
    """A budget, a plan and a concern of キャッシュレス edited today: three changes."""
    today = book(viewer_client, "")
    assert today[SCHEDULE]["A1"].value == (
        "全体のスケジュール（令和4年11月1日の会議資料から変更あり：3件）"
    )
    rows = [[c.value for c in row] for row in today["前回の会議からの変更"].iter_rows(min_row=3)]
    cashless = {row[5]: (row[6], row[7]) for row in rows if row[1] == "キャッシュレス"}
    assert cashless["予算額（千円）"] == ("8,800", "9,000")
    assert cashless["計画"] == ("施設使用料等へも拡大できないか検討", "全庁導入")
    assert cashless["懸案"] == ("税について国が統一QRコードを検討している", "手数料の負担")

    earlier = book(viewer_client, "?as_of=2022-11-01&meeting=1")
    assert earlier[SCHEDULE]["A1"].value.endswith("（令和4年3月14日の会議資料より変更なし）")
    assert SCHEDULE not in schedule_rows(earlier["前回の会議からの変更"])
