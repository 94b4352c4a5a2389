"""An area app plugs in a dashboard panel and a workbook sheet without touching the core."""

import io
from datetime import date

import pytest
from django.test import modify_settings
from openpyxl import load_workbook

from seiyo_dx.dashboard import panels
from seiyo_dx.registry import NavItem, Registry
from seiyo_dx.workbook import sheets


@pytest.fixture
def registry_app():
    with modify_settings(INSTALLED_APPS={"append": "tests.registry_app"}):
        yield
    panels.unregister("registry_app")
    sheets.unregister("registry_app")


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
    assert any(row[8] == "再構成したデモデータ" for row in rows)


def test_nothing_of_the_test_app_remains_after_it_is_gone(source_data, viewer_client):
    assert "registry_app" not in panels and "registry_app" not in sheets
    assert "試験のパネル" not in viewer_client.get("/").content.decode()


def test_two_different_entries_under_one_key_are_refused():
    registry = Registry("test")
    registry.register(NavItem("a", "A", "home"))
    registry.register(NavItem("a", "A", "home"))  # the same entry again (apps re-populated)
    with pytest.raises(ValueError, match="registered twice"):
        registry.register(NavItem("a", "B", "login"))


def test_a_user_sees_only_the_panels_and_sheets_of_what_they_may_view(client, source_data):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user("kaigi")
    user.user_permissions.add(Permission.objects.get(codename="view_meeting"))
    client.force_login(user)
    html = client.get("/?as_of=2022-11-01").content.decode()
    assert 'id="panel-meetings"' in html and 'id="panel-schedule"' not in html
    workbook = load_workbook(io.BytesIO(client.get("/workbook/?as_of=2022-11-01").content))
    assert workbook.sheetnames == ["会議結果報告書", "重要計画付議(報告)書", "指標(データ)"]
    user.user_permissions.clear()
    client.force_login(get_user_model().objects.get(pk=user.pk))
    assert client.get("/workbook/").status_code == 403
