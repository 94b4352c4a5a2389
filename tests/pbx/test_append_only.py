"""Revisions are append-only: the model, the admin and the database refuse an edit (and a
deletion); a correction is a new revision."""

import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from core.roles import EDITORS
from core.seed import load_source_data
from pbx.guard import FLUSHING_TABLE
from pbx.models import Revision, Site

pytestmark = pytest.mark.django_db


def test_nobody_is_given_change_or_delete_rights_on_revisions(source_data, roles):
    codenames = set(
        Permission.objects.filter(
            content_type__app_label="pbx", content_type__model="revision"
        ).values_list("codename", flat=True)
    )
    assert codenames == {"add_revision", "view_revision"}
    editors = Group.objects.get(name=EDITORS)
    granted = set(
        editors.permissions.filter(content_type__app_label="pbx").values_list("codename", flat=True)
    )
    assert {"add_revision", "view_revision", "change_site"} <= granted
    assert not {"change_revision", "delete_revision"} & granted


def test_the_model_refuses_to_save_or_delete_a_stored_revision(source_data):
    revision = Revision.objects.get(pk=1)
    revision.reason = "訂正"
    with pytest.raises(ValidationError, match="修正・削除できません"):
        revision.save()
    with pytest.raises(ValidationError, match="修正・削除できません"):
        revision.full_clean()
    with pytest.raises(ValidationError):
        revision.delete()
    with pytest.raises(ValidationError):
        Revision.objects.filter(pk=1).update(reason="訂正")
    with pytest.raises(ValidationError):
        Revision.objects.filter(pk=1).delete()
    assert Revision.objects.get(pk=1).reason == ""


def raw(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_database_refuses_an_update(source_data):
    with pytest.raises(IntegrityError, match="append-only"):
        raw("UPDATE pbx_revision SET reason = 'x' WHERE id = 1")
    with pytest.raises(IntegrityError, match="append-only"):
        raw("UPDATE pbx_revision SET planned_on = NULL, undecided = %s", [True])
    assert Revision.objects.get(pk=1).planned_on == dt.date(2022, 10, 24)


def test_the_database_refuses_a_deletion(source_data):
    """SQLite and PostgreSQL alike (migration 0003): a raw DELETE of a revision fails."""
    with pytest.raises(IntegrityError, match="append-only"):
        raw("DELETE FROM pbx_revision WHERE id = 1")
    with pytest.raises(IntegrityError, match="append-only"):
        raw("DELETE FROM pbx_revision")
    assert Revision.objects.count() == 5


def test_the_guard_opens_only_within_the_transaction_that_opens_it(source_data):
    """How the flush gets past the guard: a row in pbx_revision_flushing, inserted and removed
    in the flush's own transaction. Afterwards the guard holds again."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {FLUSHING_TABLE} (flushing) VALUES (1)")
        cursor.execute("DELETE FROM pbx_revision WHERE site_id = 1")
        cursor.execute(f"DELETE FROM {FLUSHING_TABLE}")
    assert not Revision.objects.filter(site_id=1).exists()
    with pytest.raises(IntegrityError, match="append-only"):
        raw("DELETE FROM pbx_revision")
    with pytest.raises(IntegrityError, match="append-only"):  # an update never passes
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FLUSHING_TABLE} (flushing) VALUES (1)")
            cursor.execute("UPDATE pbx_revision SET reason = 'x'")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {FLUSHING_TABLE}")
        assert cursor.fetchone()[0] == 0  # the failed transaction took its opening back


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_revisions_and_the_guard_holds_again(source_data):
    """Django's flush (the teardown of every transactional test) gets past the guard, and only
    for its own statements."""
    assert Revision.objects.count() == 5
    call_command("flush", interactive=False, verbosity=0)
    assert not Revision.objects.exists() and not Site.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {FLUSHING_TABLE}")
        assert cursor.fetchone()[0] == 0
    load_source_data()
    with pytest.raises(IntegrityError, match="append-only"):
        raw("DELETE FROM pbx_revision")
    assert Revision.objects.count() == 5


def test_sqlflush_prints_the_guard_around_the_flush():
    out = io.StringIO()
    call_command("sqlflush", stdout=out, no_color=True)
    lines = out.getvalue().strip().splitlines()
    table = connection.ops.quote_name(FLUSHING_TABLE)
    assert lines[:2] == ["BEGIN;", f"INSERT INTO {table} (flushing) VALUES (1);"]
    assert lines[-2:] == [f"DELETE FROM {table};", "COMMIT;"]
    assert any("pbx_revision" in line for line in lines[2:-2])


def test_the_database_refuses_a_revision_decided_before_the_last_one(source_data):
    with pytest.raises(IntegrityError, match="decided before"):
        raw(
            "INSERT INTO pbx_revision (site_id, decided_on, decision_date_known, planned_on,"
            " undecided, porting, reason, note, slipped)"
            " VALUES (1, '2022-10-20', %s, '2022-11-01', %s, '', '', '', %s)",
            [True, False, False],
        )
    assert Revision.objects.filter(site_id=1).count() == 2


def test_a_correction_is_a_new_revision(source_data):
    site = Site.objects.get(name="本庁")
    revision = Revision(
        site=site, decided_on=dt.date(2022, 11, 1), planned_on=dt.date(2022, 11, 28)
    )
    revision.full_clean()
    revision.save()
    assert revision.slipped is False  # from 未定 to a date: not a slip
    later = Revision(site=site, decided_on=dt.date(2022, 11, 2), planned_on=dt.date(2022, 12, 5))
    later.full_clean()
    later.save()
    assert later.slipped is True
    earlier = Revision(site=site, decided_on=dt.date(2022, 11, 3), planned_on=dt.date(2022, 11, 30))
    earlier.save()
    assert earlier.slipped is False  # earlier than the plan before it


def test_the_admin_shows_a_stored_revision_read_only_and_refuses_changes(
    source_data, editor_client
):
    url = "/admin/pbx/revision/1/change/"
    page = editor_client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    response = editor_client.post(
        url,
        {"site": 1, "decided_on": "2022-10-24", "planned_on": "2022-10-30", "note": "x"},
    )
    assert response.status_code == 403
    assert editor_client.post("/admin/pbx/revision/1/delete/", {"post": "yes"}).status_code == 403
    listing = editor_client.get("/admin/pbx/revision/")
    assert "delete_selected" not in listing.content.decode()
    assert Revision.objects.get(pk=1).planned_on == dt.date(2022, 10, 24)


def test_even_a_superuser_cannot_edit_or_delete_a_revision_in_the_admin(source_data, admin_client):
    """Superusers pass every permission check, so the admin itself refuses them (as documented
    on ``AppendOnlyMixin``); the database would refuse the statement anyway."""
    page = admin_client.get("/admin/pbx/revision/1/change/").content.decode()
    assert 'name="_save"' not in page and "/admin/pbx/revision/1/delete/" not in page
    response = admin_client.post(
        "/admin/pbx/revision/1/change/",
        {"site": 1, "decided_on": "2022-10-24", "planned_on": "2022-10-30", "note": "x"},
    )
    assert response.status_code == 403
    assert admin_client.get("/admin/pbx/revision/1/delete/").status_code == 403
    assert admin_client.post("/admin/pbx/revision/1/delete/", {"post": "yes"}).status_code == 403
    listing = admin_client.get("/admin/pbx/revision/").content.decode()
    assert "delete_selected" not in listing
    response = admin_client.post(
        "/admin/pbx/revision/",
        {"action": "delete_selected", "_selected_action": [1, 2], "post": "yes"},
    )
    assert Revision.objects.count() == 5
    assert Revision.objects.get(pk=1).planned_on == dt.date(2022, 10, 24)


def test_the_editor_adds_a_revision_in_the_admin(source_data, editor_client):
    response = editor_client.post(
        "/admin/pbx/revision/add/",
        {
            "site": 2,
            "decided_on": "2022-10-28",
            "decision_date_known": "on",
            "planned_on": "2022-11-02",
            "porting": "",
            "reason": "前倒し",
            "note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    revision = Revision.objects.get(site_id=2)
    assert revision.planned_on == dt.date(2022, 11, 2) and revision.slipped is False
    assert revision.history.get().history_user.username == "tanaka"


def test_a_site_page_lists_its_revisions_read_only_and_adds_a_new_one(source_data, editor_client):
    page = editor_client.get("/admin/pbx/site/1/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "revisions-0-decided_on" not in html  # the stored ones cannot be edited
    assert "revisions-2-decided_on" in html or "revisions-__prefix__-decided_on" in html
    data = {
        "contract": 1,
        "name": "本庁",
        "order": 1,
        "first_planned_on": "2022-10-17",
        "state": "planned",
        "went_live_on": "",
        "note": "",
        "revisions-TOTAL_FORMS": 3,
        "revisions-INITIAL_FORMS": 2,
        "revisions-MIN_NUM_FORMS": 0,
        "revisions-MAX_NUM_FORMS": 1000,
        "revisions-0-id": 1,
        "revisions-0-site": 1,
        "revisions-1-id": 2,
        "revisions-1-site": 1,
        "revisions-2-site": 1,
        "revisions-2-decided_on": "2022-11-02",
        "revisions-2-decision_date_known": "on",
        "revisions-2-planned_on": "2022-11-28",
        "revisions-2-porting": "done",
        "revisions-2-reason": "番ポ完了",
        "revisions-2-note": "",
    }
    response = editor_client.post("/admin/pbx/site/1/change/", data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    added = Revision.objects.filter(site_id=1).order_by("-id").first()
    assert (added.planned_on, added.porting, added.slipped) == (
        dt.date(2022, 11, 28),
        "done",
        False,
    )
    assert Revision.objects.get(pk=1).planned_on == dt.date(2022, 10, 24)
