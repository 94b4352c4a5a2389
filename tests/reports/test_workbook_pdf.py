"""LibreOffice (headless) turns the meeting workbook into a PDF without error: it prints."""

import datetime as dt
import os
import re
import shutil
import subprocess

import pytest


@pytest.fixture
def soffice():
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if not path:
        if os.environ.get("REQUIRE_LIBREOFFICE"):
            pytest.fail("LibreOffice is not installed (REQUIRE_LIBREOFFICE is set)")
        pytest.skip("LibreOffice is not installed: apt-get install libreoffice-calc-nogui")
    return path


def test_libreoffice_converts_the_meeting_workbook_to_pdf(
    soffice, viewer_client, source_data, tmp_path
):
    workbook = tmp_path / "会議結果報告書_令和4年11月1日.xlsx"
    workbook.write_bytes(viewer_client.get("/workbook/?as_of=2022-11-01&meeting=1").content)
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(workbook),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    pdf = workbook.with_suffix(".pdf")
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    # One page per sheet at least: the forms fit the page width.
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes())) >= 5


@pytest.fixture
def pdftotext():
    path = shutil.which("pdftotext")
    if not path:
        if os.environ.get("REQUIRE_LIBREOFFICE"):
            pytest.fail("pdftotext is not installed (REQUIRE_LIBREOFFICE is set)")
        pytest.skip("pdftotext is not installed: apt-get install poppler-utils")
    return path


FORMS = ("会議結果報告書", "重要計画付議(報告)書", "全体のスケジュール", "電子決裁")


def test_the_forms_print_era_dates_from_date_cells_and_break_no_word(
    soffice, pdftotext, viewer_client, source_data, tmp_path
):
    """As LibreOffice prints them: the date cells in the era (令和4年11月1日), each category
    and 「オンライン窓口を含む」 on one line, and no footnote the paper does not have."""
    import io

    from openpyxl import load_workbook

    content = viewer_client.get("/workbook/?as_of=2022-11-01&meeting=1").content
    book = load_workbook(io.BytesIO(content))
    held_on = book["会議結果報告書"]["C5"]
    assert held_on.value == dt.datetime(2022, 11, 1)  # a date cell, not text
    for ws in list(book.worksheets):
        if ws.title not in FORMS:
            book.remove(ws)
    forms = tmp_path / "forms.xlsx"
    book.save(forms)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(forms),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    text = subprocess.run(
        [pdftotext, "-layout", str(forms.with_suffix(".pdf")), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "令和4年11月1日" in text  # 会議日時
    assert "令和4年11月24日" in text  # the report's date
    assert "令和4年10月24日" in text  # the agenda paper's date
    assert "令和4年10月1日" in text  # 電子決裁's start dates
    assert "2022" not in text and "44866" not in text  # no Western date, no serial number
    for words in (
        "窓口フロントスタッフ",
        "職員の生産性向上",
        "オンライン窓口を含む",
        "レイアウト変更を含む",
    ):
        assert words in text, words  # on one line: not broken mid-word
    assert "予算額の単位は千円" not in text  # the paper has no footnote under the schedule
