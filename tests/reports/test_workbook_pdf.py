"""LibreOffice (headless) turns the meeting workbook into a PDF without error: it prints."""

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
    workbook.write_bytes(viewer_client.get("/workbook/?as_of=2022-11-01").content)
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
