"""An engineer uploads several real camera photos at once in the browser: each has its own progress bar, a
broken file is refused with a message and does not stop the others."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SHARED
from tests.e2e.conftest import choose_language, sign_in

pytestmark = pytest.mark.browser

PHOTOS = SHARED / "testdata" / "photos"


@pytest.fixture
def real_photos(tmp_path: Path) -> list[Path]:
    """Two real camera photos, and between them a real photo cut in half as a dropped connection leaves it."""
    first, last = PHOTOS / "gps" / "DSCN0012.jpg", PHOTOS / "mobile" / "jolla.jpg"
    if not (first.exists() and last.exists()):
        pytest.skip(f"the shared test photos are not at {PHOTOS}")
    whole = (PHOTOS / "gps" / "DSCN0021.jpg").read_bytes()
    cut = tmp_path / "cortada a la mitad.jpg"
    cut.write_bytes(whole[: len(whole) // 2])
    return [first, cut, last]


def test_several_photos_upload_with_progress_and_a_broken_one_is_refused_alone(
    page: Any, live_server: str, real_photos: list[Path]
) -> None:
    sign_in(page, live_server, "engineer@example.org")
    choose_language(page, "en")
    page.goto(f"{live_server}/centers")
    page.click("main a:text-is('CAMR-SPS')")
    center_url = page.url
    page.goto(f"{center_url.rstrip('/')}".replace("/centers/", "/photos/upload?center_id="))
    assert page.locator("h1").inner_text().startswith("Upload photos")

    page.set_input_files("input[type=file]", [str(path) for path in real_photos])
    page.fill("textarea[name=caption]", "Dormitorio <b>norte</b> — antes")
    page.click("main button[type=submit]")
    rows = page.locator("#upload-progress > div")
    answered = "[...document.querySelectorAll('#upload-progress > div')].filter(d => d.lastChild.textContent)"
    page.wait_for_function(f"() => {answered}.length === 3")
    assert rows.count() == 3
    statuses = [rows.nth(i).inner_text() for i in range(3)]
    assert "saved" in statuses[0] and "saved" in statuses[2]
    assert "refused" in statuses[1] and "damaged" in statuses[1].lower()
    assert [rows.nth(i).locator("progress").get_attribute("value") for i in range(3)] == ["100", "100", "100"]
    # The form keeps its values for the next batch.
    assert page.input_value("textarea[name=caption]") == "Dormitorio <b>norte</b> — antes"

    page.locator("#upload-progress a").first.click()
    page.wait_for_load_state("networkidle")
    assert page.input_value("textarea[name=caption]") == "Dormitorio <b>norte</b> — antes"  # as typed, not markup
    assert page.locator("main b").count() == 0
    size = (PHOTOS / "gps" / "DSCN0012.jpg").stat().st_size
    assert f"640 \N{MULTIPLICATION SIGN} 480 px · {size // 1000} kB" in page.inner_text("main")
    # The refused photo's 422 answer is logged by the browser; nothing else may be.
    assert [error for error in page.console_errors if "status of 422" not in error] == []
