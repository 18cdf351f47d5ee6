"""A donor makes a personal access token in the browser, uses it against the API, and revokes it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.browser


def test_a_donor_makes_uses_and_revokes_a_token(page: Any, live_server: str) -> None:
    sign_in(page, live_server, "donor@example.org")
    page.click("#user-menu")
    page.click("#nav-api-tokens")
    page.wait_for_load_state("networkidle")
    page.fill("input[name=name]", "Donor dashboard")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    secret = page.inner_text("#new-token-secret").strip()
    assert secret.startswith("rhb_")

    # The browser's own requests carry its session cookie: the API still wants the token.
    assert page.request.get(f"{live_server}/api/v1/projects").status == 401
    headers = {"Authorization": f"Bearer {secret}"}
    answer = page.request.get(f"{live_server}/api/v1/projects", headers=headers)
    assert answer.status == 200
    funded = {p["code"] for p in answer.json()["items"]}
    exchange = {"email": "manager@example.org", "password": "rehabilita-demo", "name": "e2e"}
    staff_token = page.request.post(f"{live_server}/api/v1/tokens", data=exchange).json()["token"]
    staff_view = page.request.get(f"{live_server}/api/v1/projects", headers={"Authorization": f"Bearer {staff_token}"})
    every = {p["code"] for p in staff_view.json()["items"]}
    assert funded and funded < every  # only what USAID funds

    row = page.locator("tr", has_text="Donor dashboard")
    row.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#new-token-secret").count() == 0
    assert page.request.get(f"{live_server}/api/v1/projects", headers=headers).status == 401
    assert page.console_errors == []
