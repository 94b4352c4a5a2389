"""Decisions and instructions (決定事項・指示事項): owners, due dates, states, notes, and the
follow-up — open on the dashboard, and in the next meeting's papers before the new business."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from openpyxl import load_workbook

from core.history import AsOf
from meetings import selectors
from meetings.models import Meeting, MeetingPoint, PointNote, PointState

OWNER = "政策企画部 政策推進課 情報推進室"
FOLLOW_UP = "前回までの指示事項の対応状況"


def panel(client, query=""):
    html = client.get("/" + query).content.decode()
    return html.split('id="panel-commitments"', 1)[1].split("</section>", 1)[0]


@pytest.mark.django_db
def test_the_three_points_of_2022_11_01_are_commitments_as_the_papers_say(source_data):
    points = list(MeetingPoint.objects.filter(meeting_id=1).order_by("order"))
    # 会議内容: the branch offices' terminals (decided: 「行うこととする」), experienced staff at
    # the general counter (the reply: 「配置するように」), a sign on the first floor (「検討す
    # ることが必要」). The papers name one section for the programme: 政策推進課 情報推進室.
    assert [p.get_kind_display() for p in points] == ["決定事項", "指示事項", "指示事項"]
    assert {p.owner for p in points} == {OWNER}
    assert [p.due_on for p in points] == [None, None, None]  # the papers give no due date
    assert {p.state for p in points} == {PointState.NOT_STARTED}
    assert not PointNote.objects.exists()


@pytest.mark.django_db
def test_a_commitment_without_an_owner_is_refused_and_nothing_saved(source_data):
    point = MeetingPoint(meeting_id=1, text="新しい指示", kind="instruction", owner="")
    with pytest.raises(ValidationError) as refused:
        point.full_clean()
    assert "決定事項・指示事項には担当課を入力してください。" in str(refused.value)
    with transaction.atomic(), pytest.raises(IntegrityError):
        point.save()
    bad_state = MeetingPoint(meeting_id=1, text="x", state="later")
    with pytest.raises(ValidationError):
        bad_state.full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        bad_state.save()
    assert MeetingPoint.objects.count() == 3


@pytest.mark.django_db
def test_open_commitments_come_overdue_first_on_the_dashboard(viewer_client, source_data):
    late = MeetingPoint.objects.get(meeting_id=1, order=3)
    late.due_on = dt.date(2023, 3, 31)
    late.state = PointState.IN_PROGRESS
    late.save()
    PointNote.objects.create(point=late, noted_on=dt.date(2023, 2, 1), text="看板の案を作成")
    done = MeetingPoint.objects.get(meeting_id=1, order=1)
    done.state = PointState.DONE
    done.save()

    found, total = selectors.commitments(AsOf(dt.date.today()))
    assert total == 2 and [c.pk for c in found] == [late.pk, 2]
    assert found[0].overdue and not found[1].overdue

    shown = panel(viewer_client)
    assert shown.index("看板") < shown.index("経験年数")  # overdue first
    assert "期限超過" in shown and "令和5年2月1日：看板の案を作成" in shown
    assert "期限なし" in shown and "明浜支所" not in shown  # done is not open


@pytest.mark.django_db
def test_before_the_meeting_its_commitments_are_not_open(viewer_client, source_data):
    assert "未完了の指示事項はありません。" in panel(viewer_client, "?as_of=2022-10-31")


@pytest.mark.django_db
def test_the_commitments_take_a_constant_number_of_queries(
    source_data, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        selectors.commitments(AsOf(dt.date.today()), limit=20)
    for n in range(30):
        MeetingPoint.objects.create(meeting_id=1, text=f"指示{n}", kind="instruction", owner="課")
    with django_assert_max_num_queries(3):
        found, total = selectors.commitments(AsOf(dt.date.today()), limit=20)
    assert len(found) == 20 and total == 33


@pytest.mark.django_db
def test_a_commitment_open_at_one_meeting_appears_in_the_next_meetings_papers(
    viewer_client, source_data
):
    following = Meeting.objects.create(held_on=dt.date(2023, 2, 1), subject="次の会議")
    book = load_workbook(
        io.BytesIO(viewer_client.get(f"/workbook/?as_of=2023-02-01&meeting={following.pk}").content)
    )
    names = book.sheetnames
    # Placed after the meeting's two papers, before the new business (changes, schedule).
    assert names.index(FOLLOW_UP) == 2
    assert names.index(FOLLOW_UP) < names.index("前回の会議からの変更")
    ws = book[FOLLOW_UP]
    assert ws["A1"].value == "前回までの指示事項の対応状況（令和5年2月1日時点）"
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=3, max_col=6)]
    assert [r[0] for r in rows] == [dt.datetime(2022, 11, 1)] * 3  # era date cells
    assert rows[1][2] == (
        "本庁の総合窓口の業務は、多岐にわたるため経験年数のある職員の配置が必要ではないか。\n"
        "→業務を覚えることは必要である。市長部局、教育部局関係なく総合窓口配置するように。"
    )
    assert rows[0][3:6] == [OWNER, "期限なし", "未着手"]

    # The 2022-11-01 meeting's own papers follow up the meetings before it: none had any.
    own = load_workbook(
        io.BytesIO(viewer_client.get("/workbook/?as_of=2022-11-01&meeting=1").content)
    )
    assert own[FOLLOW_UP]["A3"].value == "前回までの会議の決定事項・指示事項はありません。"


@pytest.mark.django_db
def test_a_commitment_closed_since_the_previous_meeting_is_reported_once(
    viewer_client, source_data
):
    """Meetings still to come (the states are read as of the papers' date: today's edits)."""
    first = Meeting.objects.create(held_on=dt.date(2030, 2, 1), subject="2月")
    second = Meeting.objects.create(held_on=dt.date(2030, 5, 1), subject="5月")
    point = MeetingPoint.objects.get(meeting_id=1, order=1)
    point.state = PointState.DONE
    point.save()
    PointNote.objects.create(point=point, noted_on=dt.date(2030, 3, 1), text="端末設定を完了")

    def contents(meeting):
        url = f"/workbook/?as_of={meeting.held_on:%Y-%m-%d}&meeting={meeting.pk}"
        ws = load_workbook(io.BytesIO(viewer_client.get(url).content))[FOLLOW_UP]
        return [row[0].value for row in ws.iter_rows(min_row=3, min_col=3, max_col=3)]

    # In May the note of March says it was done since February: listed once more, then not.
    assert any("明浜支所" in text for text in contents(second))
    third = Meeting.objects.create(held_on=dt.date(2030, 8, 1), subject="8月")
    assert not any("明浜支所" in text for text in contents(third))
    assert "明浜支所" not in "".join(contents(first))  # done, with no note yet by then
