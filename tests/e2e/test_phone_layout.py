"""On a phone (390 px wide) no page scrolls sideways: wide tables and drawings scroll inside their own box."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import choose_language, sign_in

pytestmark = pytest.mark.browser

PAGES = [
    "/dashboard",
    "/notifications",
    "/projects/",
    "/projects/1",
    "/projects/timeline",
    "/centers/",
    "/centers/1",
    "/centers/map",
    "/budgets/project/1",
    "/agreements/",
    "/agreements/1",
    "/assessments/",
    "/assessments/1",
    "/photos/?center_id=1",
    "/documents/?center_id=1",
    "/account/tokens/",
]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_no_page_scrolls_sideways_on_a_phone(browser: Any, live_server: str, lang: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    sign_in(page, live_server, "manager@example.org")
    page.click(".navbar-toggler")  # on a phone the language switcher is in the menu
    choose_language(page, lang)
    wide = {}
    for path in PAGES:
        response = page.goto(f"{live_server}{path}")
        assert response is not None and response.status == 200, path
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > 390:
            wide[path] = width
    page.click(".navbar-toggler")
    choose_language(page, "en")  # leave the demo account as the other browser tests expect it
    context.close()
    assert wide == {}
