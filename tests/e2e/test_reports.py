"""A manager asks for a donor report from the project page; the page follows the background build (a worker
thread of the live server) through the status endpoint until the download appears — no inline script, no CSP
error. The donor then finds the report and downloads it."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from tests.e2e.conftest import choose_language, sign_in

pytestmark = pytest.mark.browser


def test_a_report_builds_in_the_background_and_the_donor_downloads_it(page: Any, live_server: str) -> None:
    sign_in(page, live_server, "manager@example.org")
    choose_language(page, "en")
    page.goto(f"{live_server}/projects")
    page.click("main a:has-text('CAMR-SPS-01')")
    page.click("main a:text-is('Generate report')")
    assert page.locator("select[name=scope]").input_value() == "project"
    page.select_option(
        "select[name=donor_id]", label=page.locator("select[name=donor_id] option", has_text="USAID").inner_text()
    )
    page.fill("input[name=period_start]", "2025-01-01")
    page.fill("textarea[name=narrative]", "Works <b>on track</b>")
    page.click("main form button[type=submit]")
    try:
        page.wait_for_selector(".js-download:not(.d-none)", timeout=90_000)
    except Exception as error:  # say where the build stands, not only that the button never showed
        status_url = page.get_attribute("#job-status", "data-status-url")
        state = page.request.get(f"{live_server}{status_url}").text()
        raise AssertionError(f"the report never became downloadable; its status: {state}") from error
    assert page.locator("[role=progressbar]").get_attribute("aria-valuenow") == "100"
    assert page.locator(".js-status-label").inner_text() == "Ready"
    report_url = page.url
    with page.expect_download() as download_info:
        page.click(".js-download")
    data = download_info.value.path().read_bytes()
    assert data.startswith(b"%PDF-")
    page.reload()
    assert hashlib.sha256(data).hexdigest() in page.locator("main").inner_text()
    assert not page.console_errors, page.console_errors

    page.context.clear_cookies()
    sign_in(page, live_server, "donor@example.org")
    page.goto(f"{live_server}/reports/")
    assert page.locator(f"main a[href='{report_url.replace(live_server, '')}']").count() >= 1
    response = page.request.get(f"{report_url}/download")
    assert response.ok and response.body() == data
