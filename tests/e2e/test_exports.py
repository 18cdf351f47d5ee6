"""A donor opens Exports from the menu and asks for the IATI XML and the workbook in the browser: each is prepared
in the background (a worker thread of the live server) while its page follows it, then arrives as a download with
its name; the XML validates against the official schema, only the donor's projects are in them, and both are
listed under My downloads."""

from __future__ import annotations

import io
from typing import Any

import pytest
from lxml import etree
from openpyxl import load_workbook

from tests.e2e.conftest import choose_language, sign_in
from tests.exports.helpers import assert_valid

pytestmark = pytest.mark.browser


def _prepared(page: Any, button: str) -> Any:
    """Ask for a file with ``button``, wait on its page until it is ready, and download it."""
    page.click(button)
    page.wait_for_selector(".js-download:not(.d-none)", timeout=60_000)
    assert page.locator(".js-status-label").inner_text() == "Ready"
    with page.expect_download() as download:
        page.click(".js-download")
    return download.value


def test_a_donor_downloads_its_portfolio_from_the_exports_page(page: Any, live_server: str) -> None:
    sign_in(page, live_server, "donor@example.org")
    choose_language(page, "en")
    page.click("nav a:text-is('Exports')")
    assert page.locator("main h1").inner_text() == "Exports"
    assert "USAID" in page.locator("main p").first.inner_text()

    xml_download = _prepared(page, "#export-iati")
    assert xml_download.suggested_filename.startswith("rehabilita-iati-")
    xml = xml_download.path().read_bytes()
    codes = {a.findtext("iati-identifier") for a in etree.fromstring(xml).iter("iati-activity")}
    assert codes == {"XM-DAC-47066-CAMR-SPS-01", "XM-DAC-47066-CANFM-BELEN-01"}  # not Omoa (funded by GAC)
    assert_valid(xml)

    page.goto(f"{live_server}/exports/")
    xlsx_download = _prepared(page, "#export-xlsx")
    book = load_workbook(io.BytesIO(xlsx_download.path().read_bytes()))
    codes = {row[0] for row in book["Projects"].iter_rows(min_row=2, values_only=True)}
    assert codes == {"CAMR-SPS-01", "CANFM-BELEN-01"}
    page.click("#user-menu")
    page.click("#nav-downloads")
    listed = page.locator("main table").inner_text()
    assert "Portfolio in IATI 2.03 XML" in listed and "Portfolio workbook (XLSX)" in listed
    assert not page.console_errors, page.console_errors
