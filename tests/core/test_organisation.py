"""Another city adopts the app by its settings: nothing in templates or code names 西予市."""

import re
import subprocess

import pytest
from django.conf import settings
from django.urls import reverse

from core.organisation import organisation
from meetings.models import AgendaPaper

OTHER_CITY = {
    "city": "東予市",
    "brand": "",
    "office": "総務部 デジタル推進課",
    "department": "総務部 デジタル推進課",
    "agenda_form_number": "様式第5号(第7条関係)",
}


def test_the_demo_values_are_seiyo_citys():
    org = organisation()
    assert (org.city, org.brand) == ("西予市", "西予市DX推進")
    assert org.agenda_form_number == "様式第2号(第4条関係)"
    assert org.office == "政策企画部 政策推進課 情報推進室"


@pytest.fixture
def other_city(settings):
    settings.SEIYO_ORGANISATION = OTHER_CITY


def test_the_header_and_footer_print_the_installations_organisation(other_city, viewer_client):
    html = viewer_client.get(reverse("home")).content.decode()
    assert "東予市DX推進" in html
    assert "総務部 デジタル推進課" in html
    assert "西予" not in html


def test_the_admin_prints_the_installations_brand(other_city, editor_client):
    admin_html = editor_client.get(reverse("admin:index")).content.decode()
    assert "東予市DX推進 管理" in admin_html
    assert "西予" not in admin_html


def test_the_agenda_paper_prints_the_installations_form_number(
    other_city, viewer_client, source_data
):
    meeting = AgendaPaper.objects.get().meeting_id
    html = viewer_client.get(reverse("meetings:detail", args=[meeting])).content.decode()
    assert "様式第5号(第7条関係)" in html
    assert "様式第2号" not in html


def test_no_template_or_module_writes_the_city_name():
    """西予市 is the demo's value of the settings, nowhere else (docstrings aside)."""
    tracked = subprocess.run(
        ["git", "ls-files", "*.html", "*.py"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    written = []
    for name in tracked:
        if name.startswith(("tests/", "seiyo_dx/settings")) or "/migrations/" in name:
            continue
        source = (settings.BASE_DIR / name).read_text(encoding="utf-8")
        code = re.sub(r'"""[\s\S]*?"""|#.*', "", source) if name.endswith(".py") else source
        if "西予" in code or "様式第2号" in code:
            written.append(name)
    assert written == []
