"""Reports print photos at print size: made once from the display derivative, kept, and removed with the photo."""

from __future__ import annotations

import io

from flask import Flask
from PIL import Image

from app.core.storage import storage
from app.extensions import db
from app.photos.ingest import PRINT_PX
from app.photos.models import Photo
from app.photos.services import PhotoDescription, photo_delete, photo_print_image, photo_upload, print_key
from tests.factories import make_center
from tests.photos.conftest import make_jpeg


def _upload(data: bytes) -> Photo:
    center = make_center()
    photo = photo_upload(
        db.session,
        storage(),
        data,
        "IMG_0001.JPG",
        center_id=center.id,
        project_id=None,
        description=PhotoDescription(),
        max_bytes=50_000_000,
        max_pixels=100_000_000,
    )
    db.session.commit()
    return photo


def test_a_large_photo_is_printed_from_a_smaller_copy_made_once(app_ctx: Flask) -> None:
    photo = _upload(make_jpeg((4000, 3000), exif=Image.Exif()))
    key = print_key(photo.display_key)
    assert not storage().exists(key)
    first = photo_print_image(storage(), photo)
    assert (first.width, first.height) == (PRINT_PX, 750)
    assert storage().exists(key)
    with Image.open(io.BytesIO(first.data)) as printed:
        assert printed.format == "JPEG" and printed.size == (PRINT_PX, 750)
        assert not printed.info.get("exif") and not printed.getexif()
    # The second report copies the kept bytes: the display image is not read again.
    display = photo.display_key
    storage().write(display, b"not read again")
    again = photo_print_image(storage(), photo)
    assert again == first


def test_a_small_photo_is_printed_as_it_is_displayed(app_ctx: Flask) -> None:
    photo = _upload(make_jpeg((640, 480)))
    printed = photo_print_image(storage(), photo)
    assert printed.data == storage().read(photo.display_key)


def test_deleting_a_photo_removes_its_print_copy_too(app_ctx: Flask) -> None:
    photo = _upload(make_jpeg((3000, 2000)))
    photo_print_image(storage(), photo)
    keys = photo_delete(db.session, storage(), photo)
    assert print_key(photo.display_key) in keys
