"""An engineer selects photos in the gallery, one of them of people without recorded consent, and asks for them as
a ZIP: the archive is prepared in the background while its page follows it, says the private photo was left out,
and arrives with the others, free of camera metadata."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from PIL import Image

from tests.e2e.conftest import choose_language, sign_in

pytestmark = pytest.mark.browser


def test_selected_photos_arrive_as_a_zip_prepared_in_the_background(page: Any, live_server: str) -> None:
    sign_in(page, live_server, "engineer@example.org")
    choose_language(page, "en")
    page.goto(f"{live_server}/photos/")
    # Each photo's checkbox, and whether its card is marked private (people without recorded consent).
    cards = page.eval_on_selector_all(
        "input[name=photo_ids]", "boxes => boxes.map(b => [b.value, b.closest('.card').innerText.includes('Private')])"
    )
    private = [value for value, is_private in cards if is_private][:1]
    shareable = [value for value, is_private in cards if not is_private][:2]
    assert len(private) == 1 and len(shareable) == 2, "the demo data has both kinds of photos"
    for value in private + shareable:
        page.check(f"input[name=photo_ids][value='{value}']")
    page.click("#zip-form button[type=submit]")

    assert page.locator("main h1").inner_text() == "Photos (ZIP)"
    page.wait_for_selector(".js-download:not(.d-none)", timeout=60_000)
    page.reload()
    assert "1 photo(s) of people without recorded consent were left out" in page.inner_text("main")
    with page.expect_download() as download:
        page.click(".js-download")
    assert download.value.suggested_filename.startswith("photos-")
    with zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes())) as archive:
        names = archive.namelist()
        assert sorted(name.split("-", 1)[0].lstrip("0") for name in names) == sorted(shareable)
        for name in names:
            assert len(Image.open(io.BytesIO(archive.read(name))).getexif()) == 0
    assert not page.console_errors, page.console_errors
