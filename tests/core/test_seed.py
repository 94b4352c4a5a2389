"""Loading the source papers and the demo accounts is idempotent."""

import datetime as dt
import io
import zoneinfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from core.roles import EDITORS, VIEWERS
from core.seed import load_source_data
from meetings.models import Meeting
from projects.models import Category, ScheduleItem

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


def _counts():
    return ScheduleItem.objects.count(), Category.objects.count(), Meeting.objects.count()


def test_loading_source_data_twice_changes_nothing(db):
    assert load_source_data() != []
    assert _counts() == (13, 4, 2)
    assert load_source_data() == []
    assert _counts() == (13, 4, 2)


def test_schedule_history_starts_on_the_2022_3_14_meeting(source_data):
    for item in ScheduleItem.objects.all():
        first = item.history.earliest("history_date")
        assert first.history_date.astimezone(TOKYO).date() == dt.date(2022, 3, 14)
        assert "2022.3.14" in first.history_change_reason


def _seed_demo():
    call_command("seed_demo", stdout=io.StringIO())


@pytest.fixture
def debug_on(settings):
    settings.DEBUG = True


def test_seed_demo_creates_editor_and_viewer_in_their_roles(db, debug_on):
    _seed_demo()
    users = get_user_model().objects
    editor, viewer = users.get(username="editor"), users.get(username="viewer")
    assert editor.is_staff
    assert list(editor.groups.values_list("name", flat=True)) == [EDITORS]
    assert not viewer.is_staff
    assert list(viewer.groups.values_list("name", flat=True)) == [VIEWERS]
    assert viewer.check_password("seiyo-viewer-2022")


def test_seed_demo_twice_neither_duplicates_nor_resets_a_changed_password(db, debug_on):
    _seed_demo()
    viewer = get_user_model().objects.get(username="viewer")
    viewer.set_password("changed-by-staff-1")
    viewer.save()
    _seed_demo()
    assert get_user_model().objects.filter(username__in=["editor", "viewer"]).count() == 2
    assert get_user_model().objects.get(username="viewer").check_password("changed-by-staff-1")
    assert _counts() == (13, 4, 2)


def test_seed_demo_refuses_accounts_when_debug_is_off(db, settings):
    assert settings.DEBUG is False
    with pytest.raises(CommandError):
        _seed_demo()
    assert not get_user_model().objects.filter(username__in=["editor", "viewer"]).exists()


def test_the_two_demo_accounts_have_distinct_names(db):
    from django.contrib.auth import get_user_model

    from core.japanese import person_name
    from core.seed import ensure_demo_accounts

    ensure_demo_accounts()
    names = {u.username: person_name(u) for u in get_user_model().objects.all()}
    assert names == {"editor": "デモ 編集者", "viewer": "デモ 閲覧者"}


def test_demo_accounts_made_before_the_names_were_distinct_get_them(db):
    """Accounts an earlier seed_demo made were both 「デモ」: history could not tell them apart."""
    from django.contrib.auth import get_user_model

    from core.japanese import person_name
    from core.seed import ensure_demo_accounts

    users = get_user_model().objects
    users.create_user("editor", password="kept-1", last_name="デモ", is_staff=True)
    users.create_user("viewer", password="kept-2", last_name="デモ")
    ensure_demo_accounts()
    names = {u.username: person_name(u) for u in users.all()}
    assert names == {"editor": "デモ 編集者", "viewer": "デモ 閲覧者"}
    assert users.get(username="viewer").check_password("kept-2")


def _forget(model, pks):
    """As if the rows had never been loaded: the rows and every record of them gone."""
    model.objects.filter(pk__in=pks).delete()
    model.history.filter(id__in=pks).delete()


def test_rows_a_newer_fixture_adds_reach_an_existing_installation(source_data):
    """An installation loaded before the DX talent table had its 西予市 row gets it (and its
    steps) on the next set-up; what staff edited or deleted stays as they left it."""
    from projects.models import Initiative, Milestone

    _forget(Milestone, [13, 14, 15])
    _forget(Initiative, [6])
    edited = Initiative.objects.get(pk=1)
    edited.summary = "職員が書き直した概要"
    edited.save()
    Milestone.objects.get(pk=11).delete()  # deleted by staff: recorded in its history

    assert load_source_data() == ["initiatives.json"]

    assert Initiative.objects.get(pk=6).short_name == "西予市"
    assert sorted(Milestone.objects.filter(initiative_id=6).values_list("pk", flat=True)) == [
        13,
        14,
        15,
    ]
    assert Initiative.objects.get(pk=1).summary == "職員が書き直した概要"
    assert not Milestone.objects.filter(pk=11).exists()
    (record,) = Initiative.history.filter(id=6)
    assert record.history_date.astimezone(TOKYO).date() == dt.date(2022, 10, 24)
    assert load_source_data() == []
