from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import SHARED

PHOTOS = SHARED / "testdata" / "photos"


@pytest.fixture(scope="session")
def photos_dir() -> Path:
    if not PHOTOS.is_dir():
        pytest.skip(f"real test photos not found at {PHOTOS}")
    return PHOTOS


def make_jpeg(
    size: tuple[int, int] = (800, 600), color: tuple[int, int, int] = (40, 120, 200), **save: object
) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG", quality=80, **save)
    return out.getvalue()
