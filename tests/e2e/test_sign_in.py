"""A person signs in with each demo account, switches language and signs out, in a real browser."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import choose_language, sign_in

pytestmark = pytest.mark.browser

ROLES = {
    "admin@example.org": "Administrator",
    "manager@example.org": "Project manager",
    "engineer@example.org": "Engineer",
    "donor@example.org": "Donor",
}


@pytest.mark.parametrize("email", list(ROLES))
def test_each_demo_account_signs_in_and_out(page: Any, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/login")
    choose_language(page, "en")
    sign_in(page, live_server, email)
    assert page.url.endswith("/dashboard")
    assert ROLES[email] in page.inner_text("nav")
    page.click("#user-menu")
    page.click("#logout-button")
    page.wait_for_load_state("networkidle")
    assert "/login" in page.url
    page.goto(f"{live_server}/dashboard")
    assert "/login" in page.url
    assert page.console_errors == []


def test_language_switch_changes_the_interface_and_is_remembered(browser: Any, live_server: str) -> None:
    context = browser.new_context(locale="es-HN")  # a browser set up in Honduras
    page = context.new_page()
    page.goto(f"{live_server}/login")
    assert page.get_attribute("html", "lang") == "es"
    assert "Iniciar sesión" in page.inner_text("main")
    choose_language(page, "en")
    assert page.get_attribute("html", "lang") == "en"
    assert "Sign in" in page.inner_text("main")
    sign_in(page, live_server, "manager@example.org")
    choose_language(page, "es")
    assert page.get_attribute("html", "lang") == "es"
    assert "Proyectos" in page.inner_text("nav")
    # Remembered for the user: a new browser that prefers English still gets the user's Spanish after sign-in.
    context.close()
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.goto(f"{live_server}/login")
    assert page.get_attribute("html", "lang") == "en"
    sign_in(page, live_server, "manager@example.org")
    assert page.get_attribute("html", "lang") == "es"
    choose_language(page, "en")  # leave the demo account as the other tests expect it
    page.wait_for_load_state("networkidle")
    context.close()


def test_a_browser_without_a_language_preference_gets_spanish(browser: Any, live_server: str) -> None:
    context = browser.new_context(extra_http_headers={"Accept-Language": ""})
    page = context.new_page()
    page.goto(f"{live_server}/login")
    assert page.get_attribute("html", "lang") == "es"
    context.close()


def test_wrong_password_shows_a_message_that_does_not_say_whether_the_account_exists(
    page: Any, live_server: str
) -> None:
    page.goto(f"{live_server}/login")
    choose_language(page, "en")
    sign_in(page, live_server, "nobody@example.org", "wrong-password")
    unknown = page.inner_text(".alert")
    sign_in(page, live_server, "admin@example.org", "wrong-password")
    assert page.inner_text(".alert") == unknown
    assert "not correct" in unknown


def test_copied_cookie_stops_working_after_logout(browser: Any, live_server: str) -> None:
    first = browser.new_context()
    page = first.new_page()
    sign_in(page, live_server, "engineer@example.org")
    cookies = first.cookies()
    second = browser.new_context()
    second.add_cookies(cookies)
    thief = second.new_page()
    thief.goto(f"{live_server}/dashboard")
    assert thief.url.endswith("/dashboard")
    page.click("#user-menu")
    page.click("#logout-button")
    page.wait_for_load_state("networkidle")
    thief.goto(f"{live_server}/dashboard")
    assert "/login" in thief.url
    first.close()
    second.close()


def test_phone_layout_has_a_menu_button(browser: Any, live_server: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    sign_in(page, live_server, "manager@example.org")
    toggler = page.locator(".navbar-toggler")
    assert toggler.is_visible()
    toggler.click()
    page.wait_for_selector("#nav.show")
    assert page.locator("#nav").is_visible()
    context.close()
