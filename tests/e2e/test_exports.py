"""A donor opens Exports from the menu and downloads the IATI XML and the workbook in the browser: files arrive
as downloads with their names, the XML validates against the official schema, and only the donor's projects are
in them."""

from __future__ import annotations

import io
from typing import Any

import pytest
from lxml import etree
from openpyxl import load_workbook

from tests.e2e.conftest import choose_language, sign_in
from tests.exports.helpers import assert_valid

pytestmark = pytest.mark.browser


def test_a_donor_downloads_its_portfolio_from_the_exports_page(page: Any, live_server: str) -> None:
    sign_in(page, live_server, "donor@example.org")
    choose_language(page, "en")
    page.click("nav a:text-is('Exports')")
    assert page.locator("main h1").inner_text() == "Exports"
    assert "USAID" in page.locator("main p").first.inner_text()

    with page.expect_download() as xml_download:
        page.click("#export-iati")
    assert xml_download.value.suggested_filename.startswith("rehabilita-iati-")
    xml = xml_download.value.path().read_bytes()
    codes = {a.findtext("iati-identifier") for a in etree.fromstring(xml).iter("iati-activity")}
    assert codes == {"XM-DAC-47066-CAMR-SPS-01", "XM-DAC-47066-CANFM-BELEN-01"}  # not Omoa (funded by GAC)
    assert_valid(xml)

    with page.expect_download() as xlsx_download:
        page.click("#export-xlsx")
    book = load_workbook(io.BytesIO(xlsx_download.value.path().read_bytes()))
    codes = {row[0] for row in book["Projects"].iter_rows(min_row=2, values_only=True)}
    assert codes == {"CAMR-SPS-01", "CANFM-BELEN-01"}
    assert not page.console_errors, page.console_errors
