"""An area app plugs in its pages, menu entry, panel, sheet and roles without touching the core."""

import importlib
import io
from datetime import date
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.test import modify_settings
from django.urls import clear_url_caches
from openpyxl import load_workbook

import seiyo_dx.urls
from core.registry import NavItem, Registry, navigation
from core.roles import EDITORS, VIEWERS, sync_roles
from reports.dashboard import panels
from reports.workbook import sheets


def _reload_root_urls():
    importlib.reload(seiyo_dx.urls)
    clear_url_caches()


@pytest.fixture
def registry_app():
    """tests.registry_app installed as an area would be: only INSTALLED_APPS changes."""
    with modify_settings(INSTALLED_APPS={"append": "tests.registry_app"}):
        _reload_root_urls()  # the root URLconf is read once per process, at start-up
        yield
    navigation.unregister("registry_app")
    panels.unregister("registry_app")
    sheets.unregister("registry_app")
    _reload_root_urls()


def test_an_installed_area_gets_its_page_and_its_menu_entry(registry_app, db, client):
    create_permissions(apps.get_app_config("registry_app"), verbosity=0)
    user = get_user_model().objects.create_user("madoguchi")
    user.user_permissions.add(
        Permission.objects.get(
            codename="view_receptiontally", content_type__app_label="registry_app"
        )
    )
    client.force_login(user)
    html = client.get("/registry-app/").content.decode()
    assert "試験の窓口のページ" in html
    assert '<a href="/registry-app/" aria-current="page">試験の窓口</a>' in html


def test_an_installed_area_gets_the_two_roles(registry_app, db):
    create_permissions(apps.get_app_config("registry_app"), verbosity=0)
    sync_roles()
    editors = set(Group.objects.get(name=EDITORS).permissions.values_list("codename", flat=True))
    viewers = set(Group.objects.get(name=VIEWERS).permissions.values_list("codename", flat=True))
    assert {"add_receptiontally", "change_receptiontally", "delete_receptiontally"} <= editors
    assert "view_receptiontally" in viewers and "change_receptiontally" not in viewers


def test_an_installed_area_is_named_by_no_file_of_the_core():
    """The stand-in app is mounted by the loop in seiyo_dx/urls.py; no core file names it."""
    root = Path(__file__).resolve().parents[2]
    for package in ("seiyo_dx", "core", "reports", "dataimport"):
        for path in (root / package).rglob("*.py"):
            assert "registry_app" not in path.read_text(encoding="utf-8"), path


def test_a_registered_panel_appears_on_the_dashboard_in_its_order(
    registry_app, viewer_client, source_data
):
    html = viewer_client.get("/?as_of=2022-11-01").content.decode()
    assert "試験のパネル" in html and "1,234" in html and "令和4年11月1日" in html
    order = [html.index(f'id="panel-{key}"') for key in ("schedule", "registry_app", "meetings")]
    assert order == sorted(order)


def test_a_registered_sheet_appears_in_the_workbook_in_its_order(
    registry_app, viewer_client, source_data
):
    response = viewer_client.get("/workbook/?as_of=2022-11-01")
    workbook = load_workbook(io.BytesIO(response.content))
    names = workbook.sheetnames
    assert names.index("全体のスケジュール(データ)") < names.index("試験のシート")
    assert workbook["試験のシート"]["B1"].value.date() == date(2022, 11, 1)
    # Its panel's figure is listed on the figures sheet with its definition and source.
    figures = workbook["指標(データ)"]
    rows = [[cell.value for cell in row] for row in figures.iter_rows(min_row=2)]
    assert ["試験の受付件数", 1234, "件"] in [row[:3] for row in rows]
    assert any(row[9] == "再構成したデモデータ" for row in rows)


def test_nothing_of_the_test_app_remains_after_it_is_gone(source_data, viewer_client):
    assert "registry_app" not in panels and "registry_app" not in sheets
    assert "registry_app" not in navigation
    html = viewer_client.get("/").content.decode()
    assert "試験のパネル" not in html and "試験の窓口" not in html
    assert viewer_client.get("/registry-app/").status_code == 404


def test_two_different_entries_under_one_key_are_refused():
    registry = Registry("test")
    registry.register(NavItem("a", "A", "home"))
    registry.register(NavItem("a", "A", "home"))  # the same entry again (apps re-populated)
    with pytest.raises(ValueError, match="registered twice"):
        registry.register(NavItem("a", "B", "login"))


def test_a_user_sees_only_the_panels_and_sheets_of_what_they_may_view(client, source_data):
    user = get_user_model().objects.create_user("kaigi")
    user.user_permissions.add(Permission.objects.get(codename="view_meeting"))
    client.force_login(user)
    html = client.get("/?as_of=2022-11-01").content.decode()
    assert 'id="panel-meetings"' in html and 'id="panel-schedule"' not in html
    workbook = load_workbook(
        io.BytesIO(client.get("/workbook/?as_of=2022-11-01&meeting=1").content)
    )
    assert workbook.sheetnames == [
        "会議結果報告書",
        "重要計画付議(報告)書",
        "前回までの指示事項の対応状況",
        "前回の会議からの変更",
        "前回の会議からの変更(データ)",
        "指標(データ)",
    ]
    user.user_permissions.clear()
    client.force_login(get_user_model().objects.get(pk=user.pk))
    assert client.get("/workbook/").status_code == 403
