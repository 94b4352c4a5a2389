"""Hostile text in every text field of every programme model (a new area's too): saved through
the models' validation, then every page, the dashboard's chart JSON, the admin and every export
(CSV, .xlsx, the meeting workbook) render without a 500, escaped in HTML and JSON, neutralised
in spreadsheets (no formula cell, no CSV cell that a spreadsheet would run).

Pages and downloads are found, not listed: the navigation, every object's own page, the links
those pages carry (downloads are the links with ``export=`` or to the workbook), and the admin
of every programme model.
"""

import csv
import io
import json
import re
from html import unescape

import openpyxl
import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.urls import reverse

from core.registry import navigation
from core.spreadsheets import FORMULA_TRIGGERS

MARKUP = '</script><script>alert("x")</script><img src=x onerror=alert(1)>'
FORMULAS = (
    '=HYPERLINK("http://example.com","開く")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
)
QUOTES = "\"'`\\ &amp; {{ x }} %s 「」『』 </p></td>"
LONG_JAPANESE = "西予市の明浜支所と野村支所で窓口端末を試行する。" * 400  # 10,000+ characters
EMOJI = "👨‍👩‍👧‍👦🎌😀 テスト 🇯🇵 𠮷野家"
ROUNDS = {
    "markup": lambda n: MARKUP,
    "formula": lambda n: FORMULAS[n % len(FORMULAS)],
    "quotes": lambda n: QUOTES,
    "long_japanese": lambda n: LONG_JAPANESE,
    "emoji": lambda n: EMOJI,
}
JSON_SCRIPT = re.compile(r'<script[^>]*type="application/json"[^>]*>(.*?)</script>', re.S)
HREF = re.compile(r'href="([^"#]+)"')
NUMBER = re.compile(r"^[-+]?[\d,]*\.?\d+%?$")


def text_fields():
    """(model, field) for every text field of every programme model, choices excepted."""
    return [
        (model, field)
        for config in apps.get_app_configs()
        if getattr(config, "programme_data", False)
        for model in config.get_models()
        if not hasattr(model, "instance_type")  # the history tables are written by the saves
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not isinstance(field, models.SlugField)  # a code, not text: its validator refuses
        and field.editable
        and not field.choices
    ]


def fill(round_name: str) -> int:
    """Write the round's text into every text field of every row; returns the values written."""
    make = ROUNDS[round_name]
    written = 0
    by_model: dict = {}
    for model, field in text_fields():
        by_model.setdefault(model, []).append(field)
    for model, fields in by_model.items():
        for instance in list(model.objects.all()):
            if getattr(model, "append_only", False):
                # Stored rows are never changed: the hostile text comes in a new row (a
                # correction recorded after the others).
                instance.pk = instance.id = None
                instance._state.adding = True
            for field in fields:
                suffix = f" {written}"  # unique fields stay unique; the start stays as it is
                limit = field.max_length or 10_000
                setattr(instance, field.attname, make(written)[: limit - len(suffix)] + suffix)
                written += 1
            instance.full_clean()  # hostile-looking text is text: the validation accepts it
            instance.save()
    return written


def links(html: str) -> list[str]:
    return [unescape(href) for href in HREF.findall(html)]


def check_html(url: str, html: str) -> None:
    lowered = html.lower()
    assert "<script>alert(" not in lowered, url
    assert "<img src=x onerror" not in lowered, url
    for block in JSON_SCRIPT.findall(html):
        data = json.loads(block)  # a raw </script> would have cut the block short
        for text in strings_in(data):
            low = text.lower()
            assert "<script" not in low and "<img" not in low, (url, text[:80])


def strings_in(data):
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from strings_in(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings_in(value)


def check_download(url: str, response) -> int:
    """No formula cell, no CSV cell a spreadsheet would run; returns the text cells read."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response["Content-Type"]
    cells = 0
    if "csv" in kind:
        charset = kind.split("charset=")[-1].strip() if "charset=" in kind else "utf-8-sig"
        charset = "utf-8-sig" if charset.lower() == "utf-8" else charset
        for row in csv.reader(io.StringIO(content.decode(charset), newline="")):
            for cell in row:
                cells += 1
                if cell.startswith(FORMULA_TRIGGERS):
                    assert NUMBER.match(cell), (url, cell[:60])
    else:
        assert "spreadsheetml" in kind, (url, kind)
        book = openpyxl.load_workbook(io.BytesIO(content))
        for ws in book.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (url, ws.title, cell.coordinate, cell.value)
                    cells += isinstance(cell.value, str)
    return cells


@pytest.fixture
def root(client, source_data):
    client.force_login(get_user_model().objects.create_superuser("root", password="x"))
    return client


def start_pages() -> list[str]:
    pages = ["/", "/?as_of=2022-11-01"]
    pages += [reverse(item.url_name) for item in navigation]
    for config in apps.get_app_configs():
        if getattr(config, "programme_data", False):
            for model in config.get_models():
                if hasattr(model, "get_absolute_url"):
                    pages += [obj.get_absolute_url() for obj in model.objects.all()]
    return list(dict.fromkeys(pages))


def admin_pages(search: str) -> list[str]:
    pages = []
    for model in admin.site._registry:
        config = apps.get_app_config(model._meta.app_label)
        if not getattr(config, "programme_data", False):
            continue
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        pages += [base, base + "?" + f"q={search}"]
        first = model.objects.order_by("pk").first()
        if first is not None:
            pages += [f"{base}{first.pk}/change/", f"{base}{first.pk}/history/"]
    return pages


@pytest.mark.parametrize("round_name", list(ROUNDS))
def test_hostile_text_in_every_text_field_breaks_no_page_chart_or_export(root, round_name):
    fields = text_fields()
    assert len(fields) >= 20
    assert fill(round_name) >= 100

    pages, downloads = start_pages(), set()
    seen = set()
    queue = list(pages)
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = root.get(url)
        assert response.status_code == 200, url
        if not response["Content-Type"].startswith("text/html"):  # a download linked plainly
            check_download(url, response)
            continue
        html = response.content.decode()
        check_html(url, html)
        for href in links(html):
            if "export=" in href or href.startswith(reverse("workbook")):
                downloads.add(href if href.startswith("/") else url.split("?")[0] + href)
            elif href.startswith("/") and "?" not in href and href not in seen:
                if not href.startswith(("/admin/", "/static/", "/accounts/")) and url in pages:
                    queue.append(href)
    assert len(seen) >= 20

    search = "%3Cscript%3E" if round_name == "markup" else "%E8%A5%BF%E4%BA%88"
    for url in [*admin_pages(search), f"/schedule/?q={search}"]:
        response = root.get(url)
        assert response.status_code == 200, url
        check_html(url, response.content.decode())

    kinds = set()
    for url in sorted(downloads):
        response = root.get(url)
        assert response.status_code == 200, url
        assert check_download(url, response) > 0, url
        kinds.add("csv" if "csv" in response["Content-Type"] else "xlsx")
    assert kinds == {"csv", "xlsx"} and any("workbook" in url for url in downloads)
