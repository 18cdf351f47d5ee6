"""The ingest pipeline on real camera files and on hostile ones."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from flask import Flask
from PIL import Image

from app.photos.ingest import PhotoRejected, ingest_photo, sniff_image_type
from tests.photos.conftest import make_jpeg

LIMITS = {"max_bytes": 40_000_000, "max_pixels": 64_000_000}


def _ingest(data: bytes) -> object:
    return ingest_photo(data, **LIMITS)


def _rejected(data: bytes, **limits: int) -> str:
    with pytest.raises(PhotoRejected) as error:
        ingest_photo(data, **(LIMITS | limits))
    return str(error.value.message)


@pytest.mark.parametrize("kind", ["landscape", "portrait"])
@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_orientation_comes_out_upright(app_ctx: Flask, photos_dir: Path, kind: str, orientation: int) -> None:
    result = ingest_photo((photos_dir / "orientation" / f"{kind}_{orientation}.jpg").read_bytes(), **LIMITS)
    for derivative in (result.display, result.thumb):
        image = Image.open(io.BytesIO(derivative.data))
        if kind == "landscape":
            assert image.width > image.height
        else:
            assert image.height > image.width
    assert (result.width > result.height) == (kind == "landscape")


def test_upright_pixels_match_the_reference_orientation(app_ctx: Flask, photos_dir: Path) -> None:
    """Not only the shape: the picture itself is turned the right way (compared with the tag-1 file)."""
    reference = Image.open(
        io.BytesIO(ingest_photo((photos_dir / "orientation/landscape_1.jpg").read_bytes(), **LIMITS).thumb.data)
    )
    for n in range(2, 9):
        thumb = Image.open(
            io.BytesIO(ingest_photo((photos_dir / f"orientation/landscape_{n}.jpg").read_bytes(), **LIMITS).thumb.data)
        )
        diff = sum(
            abs(a - b) for a, b in zip(reference.convert("L").tobytes(), thumb.convert("L").tobytes(), strict=True)
        )
        assert diff / (thumb.width * thumb.height) < 20, f"orientation {n} is not upright"


def test_gps_position_is_read_with_hemisphere_signs(app_ctx: Flask, photos_dir: Path) -> None:
    result = ingest_photo((photos_dir / "gps/DSCN0010.jpg").read_bytes(), **LIMITS)
    assert result.metadata.latitude is not None and result.metadata.longitude is not None
    assert 43.4 < float(result.metadata.latitude) < 43.5
    assert 11.8 < float(result.metadata.longitude) < 11.9
    assert result.metadata.taken_at is not None and result.metadata.taken_at.year == 2008


def test_every_valid_real_photo_is_accepted_without_metadata_in_its_derivatives(
    app_ctx: Flask, photos_dir: Path
) -> None:
    files = [p for p in photos_dir.rglob("*") if p.suffix.lower() in (".jpg", ".jpeg", ".heic")]
    assert len(files) > 30
    for path in files:
        result = ingest_photo(path.read_bytes(), **LIMITS)
        for derivative in (result.display, result.thumb):
            image = Image.open(io.BytesIO(derivative.data))
            assert image.format == "JPEG"
            assert len(image.getexif()) == 0, path.name
            assert "exif" not in image.info and "icc_profile" not in image.info and "xmp" not in image.info
            assert b"Exif\x00\x00" not in derivative.data
            assert max(image.size) <= 1600
        assert max(Image.open(io.BytesIO(result.thumb.data)).size) <= 400


def test_mobile_phone_photo_is_resized_and_keeps_its_gps(app_ctx: Flask, photos_dir: Path) -> None:
    result = ingest_photo((photos_dir / "mobile/HMD_Nokia_8.3_5G.jpg").read_bytes(), **LIMITS)
    assert (result.width, result.height) == (4608, 1976)
    assert result.display.width == 1600
    assert result.metadata.latitude is not None


def test_iphone_heic_is_accepted(app_ctx: Flask, photos_dir: Path) -> None:
    result = ingest_photo((photos_dir / "heic/iphone_13_pro_max.HEIC").read_bytes(), **LIMITS)
    assert result.mime == "image/heic"
    assert result.display.height == 1600 and result.display.width == 1200


def test_photo_without_exif_is_processed_as_is(app_ctx: Flask, photos_dir: Path) -> None:
    result = ingest_photo((photos_dir / "xmp/no_exif.jpg").read_bytes(), **LIMITS)
    assert result.metadata.latitude is None and result.metadata.orientation == 1
    assert (result.width, result.height) == (322, 466)


def test_small_photo_is_never_enlarged(app_ctx: Flask) -> None:
    result = ingest_photo(make_jpeg((88, 64)), **LIMITS)
    assert (result.display.width, result.thumb.width) == (88, 88)


def test_broken_streams_never_hang_or_crash(app_ctx: Flask, photos_dir: Path) -> None:
    for path in sorted((photos_dir / "invalid").glob("*.jpg")) + [photos_dir / "corrupted.jpg"]:
        try:
            ingest_photo(path.read_bytes(), **LIMITS)
        except PhotoRejected as error:
            assert str(error.message)


def test_truncated_photo_is_refused(app_ctx: Flask, english: None, photos_dir: Path) -> None:
    data = (photos_dir / "corrupted.jpg").read_bytes()
    assert "damaged or incomplete" in _rejected(data[: len(data) // 2])


@pytest.mark.parametrize(
    "data",
    [b"", b"<html><script>alert(1)</script></html>", b"%PDF-1.7\n", b"GIF89a" + b"\x00" * 100, b"PK\x03\x04zip"],
)
def test_non_photos_are_refused_by_content(app_ctx: Flask, data: bytes) -> None:
    assert _rejected(data)


def test_a_photo_that_is_also_a_zip_is_refused(app_ctx: Flask) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("evil.html", "<b>hi</b>")
    assert "ZIP" in _rejected(make_jpeg() + archive.getvalue())


def test_a_photo_with_hidden_script_is_refused(app_ctx: Flask) -> None:
    jpeg = make_jpeg()
    comment = b"<script>fetch('/admin')</script>"
    polyglot = jpeg[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + jpeg[2:]
    Image.open(io.BytesIO(polyglot)).load()  # still a valid JPEG
    assert "script" in _rejected(polyglot)


@pytest.mark.parametrize(
    "payload",
    [b"<SCRIPT src=x>", b"<svg onload=x>", b"<?php system('id'); ?>", b"JavaScript:alert(1)", b"<IFrame src=x>"],
)
@pytest.mark.parametrize("where", ["comment", "end"])
def test_markup_anywhere_in_any_case_is_refused(app_ctx: Flask, payload: bytes, where: str) -> None:
    """Every tag is found, in upper or mixed case, in a comment segment or appended after the picture, among the
    many "<" bytes of a real-sized photo (the scan visits each of them)."""
    jpeg = make_jpeg(size=(1200, 900), color=(60, 60, 60))
    if where == "comment":
        data = jpeg[:2] + b"\xff\xfe" + (len(payload) + 2).to_bytes(2, "big") + payload + jpeg[2:]
    else:
        data = jpeg + payload
    assert "script" in _rejected(data)


def test_decompression_bomb_is_refused_before_decoding(app_ctx: Flask, english: None) -> None:
    out = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(out, "PNG")
    assert len(out.getvalue()) < 1_000_000
    assert "too many pixels" in _rejected(out.getvalue(), max_pixels=50_000_000)


def test_byte_limit_is_a_setting(app_ctx: Flask, english: None) -> None:
    assert "too large" in _rejected(make_jpeg(), max_bytes=1000)


def test_png_with_transparency_and_webp_and_cmyk_are_accepted(app_ctx: Flask) -> None:
    for mode, fmt in (("RGBA", "PNG"), ("RGB", "WEBP"), ("CMYK", "JPEG"), ("P", "PNG"), ("L", "JPEG")):
        out = io.BytesIO()
        Image.new(mode, (300, 200)).save(out, fmt)
        result = ingest_photo(out.getvalue(), **LIMITS)
        assert Image.open(io.BytesIO(result.display.data)).mode == "RGB"


def test_sniffing_ignores_the_name_and_reads_the_bytes() -> None:
    assert sniff_image_type(make_jpeg()) == "image/jpeg"
    assert sniff_image_type(b"<svg xmlns='http://www.w3.org/2000/svg'/>") is None
