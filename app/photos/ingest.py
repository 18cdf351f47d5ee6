"""From uploaded bytes to a checked photo and its clean derivatives. Pure: no request, no database, no disk.

The image is decoded once. JPEGs are decoded with DCT scaling (``Image.draft``) close to the display size, which
still reads every coded block, so a truncated file is caught while a 48-megapixel photo never becomes a full-size
bitmap in memory.
"""

from __future__ import annotations

import hashlib
import io
import struct
import warnings
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageCms

from app.core.errors import DomainError
from app.core.i18n import file_size
from app.photos.metadata import PhotoMetadata, read_metadata

try:  # HEIC/HEIF from iPhones, when the optional decoder is installed
    from pillow_heif import register_heif_opener

    register_heif_opener()
    HEIF_SUPPORTED = True
except ImportError:  # pragma: no cover - depends on the installation
    HEIF_SUPPORTED = False

DISPLAY_PX = 1600
THUMB_PX = 400
JPEG_QUALITY = 85
# A photo printed 14 cm wide at 180 dpi: sharp on paper, and 40 of them still make a report one can e-mail.
PRINT_PX = 1000
PRINT_QUALITY = 80

HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
# Markup or code hidden inside an image makes it a polyglot that some browser or tool could run.
# Plain substring search over a lower-cased copy: a regular expression over megabytes of binary is 20 times slower.
_ACTIVE_MARKERS = (b"<script", b"<html", b"<body", b"<iframe", b"<svg", b"<object", b"<embed", b"<?php", b"javascript:")
_TAG_MARKERS = tuple(marker for marker in _ACTIVE_MARKERS if marker.startswith(b"<"))
_OTHER_MARKERS = tuple(marker for marker in _ACTIVE_MARKERS if not marker.startswith(b"<"))
_ZIP_END = b"PK\x05\x06"
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_SRGB = ImageCms.createProfile("sRGB")


class PhotoRejected(DomainError):
    """The file is not a photo we can accept; ``message`` says why in words the uploader understands."""

    def __init__(self, message: object) -> None:
        super().__init__(message, field="photos")  # type: ignore[arg-type]


@dataclass(frozen=True)
class Derivative:
    data: bytes
    width: int
    height: int


@dataclass(frozen=True)
class InspectedPhoto:
    """What a photo's header says, after the checks that need no decoding (type, size, pixels, hidden content)."""

    sha256: str
    mime: str
    size_bytes: int
    width: int  # upright, as people see it
    height: int
    metadata: PhotoMetadata


@dataclass(frozen=True)
class IngestedPhoto(InspectedPhoto):
    """A photo checked and decoded, with its clean copies."""

    display: Derivative
    thumb: Derivative


def sniff_image_type(data: bytes) -> str | None:
    """The image type by its first bytes, whatever the file is called."""
    if data[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:8] == b"ftyp" and data[8:12] in HEIF_BRANDS:
        return "image/heic"
    return None


_PILLOW_FORMATS = {"image/jpeg": {"JPEG", "MPO"}, "image/png": {"PNG"}, "image/webp": {"WEBP"}, "image/heic": {"HEIF"}}


def _refuse_polyglots(data: bytes) -> None:
    if _ZIP_END in data[-(65_535 + 22) :]:
        raise PhotoRejected(_l("This file also contains an archive (ZIP) and is refused."))
    lowered = data.lower()
    if _has_active_marker(lowered):
        raise PhotoRejected(_l("This file also contains web page or script content and is refused."))


def _has_active_marker(lowered: bytes) -> bool:
    """Whether any of _ACTIVE_MARKERS occurs. The tags all start with "<": rather than one pass over the bytes per
    tag, visit each "<" once and compare the tags there (twice as fast on camera files, where about one byte in
    256 is a "<")."""
    if any(marker in lowered for marker in _OTHER_MARKERS):
        return True
    find, starts = lowered.find, lowered.startswith
    position = find(b"<")
    while position != -1:
        if starts(_TAG_MARKERS, position):
            return True
        position = find(b"<", position + 1)
    return False


def _to_rgb(image: Image.Image) -> Image.Image:
    """RGB in sRGB, transparency flattened onto white; colour profiles converted, then dropped."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    elif image.mode == "I;16" or image.mode == "I":
        image = image.point(lambda v: v / 256).convert("L")
    icc = image.info.get("icc_profile")
    if image.mode != "RGB":
        image = image.convert("RGB")
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB")
            if converted is not None:
                image = converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # an unreadable profile: keep the pixels as they are
    return image


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    # No exif=, icc_profile= or comment: the derivative carries no metadata at all.
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=False, progressive=False)
    return out.getvalue()


def _unreadable(error: BaseException, max_pixels: int) -> PhotoRejected:
    if isinstance(error, Image.DecompressionBombError | Image.DecompressionBombWarning):
        return PhotoRejected(
            _l(
                "The photo has too many pixels to open safely (the limit is %(limit)d megapixels).",
                limit=max_pixels // 1_000_000,
            )
        )
    return PhotoRejected(_l("The photo is damaged or incomplete and cannot be opened. Try sending it again."))


_UNREADABLE = (
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    struct.error,
    IndexError,
    TypeError,
    KeyError,
)


def _open_checked(
    data: bytes, *, max_bytes: int, max_pixels: int, sha256: str | None = None
) -> tuple[Image.Image, InspectedPhoto]:
    """Check by content and open the header (nothing decoded yet); the caller decodes inside the same guard."""
    if not data:
        raise PhotoRejected(_l("The file is empty."))
    if len(data) > max_bytes:
        raise PhotoRejected(
            _l(
                "The file is too large (%(size)s; the limit is %(limit)s).",
                size=file_size(len(data)),
                limit=file_size(max_bytes),
            )
        )
    mime = sniff_image_type(data)
    if mime is None:
        raise PhotoRejected(_l("This file is not a photo. Send JPEG, PNG, WebP or HEIC (iPhone) pictures."))
    if mime == "image/heic" and not HEIF_SUPPORTED:
        raise PhotoRejected(_l("HEIC photos are not supported on this server. Send the photo as JPEG."))
    _refuse_polyglots(data)
    image = Image.open(io.BytesIO(data))
    if image.format not in _PILLOW_FORMATS[mime]:
        raise PhotoRejected(_l("This file is not a photo. Send JPEG, PNG, WebP or HEIC (iPhone) pictures."))
    width, height = image.size
    if width * height > max_pixels:
        raise PhotoRejected(
            _l(
                "The photo has too many pixels (%(mp)d megapixels; the limit is %(limit)d).",
                mp=width * height // 1_000_000,
                limit=max_pixels // 1_000_000,
            )
        )
    metadata = read_metadata(image)
    if metadata.orientation >= 5:
        width, height = height, width
    inspected = InspectedPhoto(sha256 or hashlib.sha256(data).hexdigest(), mime, len(data), width, height, metadata)
    return image, inspected


def inspect_photo(data: bytes, *, max_bytes: int, max_pixels: int, sha256: str | None = None) -> InspectedPhoto:
    """Check a photo by its content and read its header, without decoding the pixels (fast at any size): a photo
    too large to decode during the upload is accepted on this, and decoded by :func:`ingest_photo` in the
    background, which still refuses it if its pixels turn out damaged."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image, inspected = _open_checked(data, max_bytes=max_bytes, max_pixels=max_pixels, sha256=sha256)
            image.close()
    except PhotoRejected:
        raise
    except _UNREADABLE as error:
        raise _unreadable(error, max_pixels) from error
    return inspected


def ingest_photo(
    data: bytes, *, max_bytes: int, max_pixels: int, inspected: InspectedPhoto | None = None
) -> IngestedPhoto:
    """Check a photo by its content, decode it fully once, and make its upright display and thumbnail JPEGs.

    ``inspected``: what :func:`inspect_photo` found for these very bytes; its checks are not repeated.
    Raises :class:`PhotoRejected` with a readable message for anything that is not a sound photo.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            if inspected is None:
                image, inspected = _open_checked(data, max_bytes=max_bytes, max_pixels=max_pixels)
            else:
                image = Image.open(io.BytesIO(data))
            if image.format == "JPEG":
                # Ask for the display size with the photo's own proportions: DCT scaling then decodes at the
                # smallest scale whose longest side still reaches DISPLAY_PX (1/4 for a 48 MP photo).
                width, height = image.size
                scale = DISPLAY_PX / max(width, height)
                if scale < 1:
                    image.draft("RGB", (max(1, round(width * scale)), max(1, round(height * scale))))
            image.load()
    except PhotoRejected:
        raise
    except _UNREADABLE as error:
        raise _unreadable(error, max_pixels) from error

    if getattr(image, "n_frames", 1) > 1:
        image.seek(0)
    display = _to_rgb(image)
    # Bicubic after the JPEG's own DCT scaling (and reduce() for larger steps): at these ratios it looks the same
    # as Lanczos on a screen, in two thirds of the time (see benchmarks/photos.py).
    display.thumbnail((DISPLAY_PX, DISPLAY_PX), Image.Resampling.BICUBIC, reducing_gap=2.0)
    transpose = _TRANSPOSE.get(inspected.metadata.orientation)
    if transpose is not None:
        display = display.transpose(transpose)
    thumb = display.copy()
    thumb.thumbnail((THUMB_PX, THUMB_PX), Image.Resampling.BICUBIC, reducing_gap=2.0)  # never enlarges
    return IngestedPhoto(
        **vars(inspected),
        display=Derivative(_jpeg(display), display.width, display.height),
        thumb=Derivative(_jpeg(thumb), thumb.width, thumb.height),
    )


def placeholder(width: int, height: int, longest: int) -> Derivative:
    """A plain grey JPEG with the photo's proportions, shown until its real copies are made in the background."""
    scale = min(1.0, longest / max(width, height, 1))
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return Derivative(_jpeg(Image.new("RGB", size, (222, 226, 230))), *size)


def print_derivative(display: bytes) -> Derivative:
    """The size of a display derivative a PDF needs, made from the display JPEG (already upright and without
    metadata): decoded once, scaled down, re-encoded. A display image already small enough is kept as it is."""
    with Image.open(io.BytesIO(display)) as image:
        if max(image.size) <= PRINT_PX:
            return Derivative(display, image.width, image.height)
        image.draft("RGB", (PRINT_PX, PRINT_PX))
        printed = image.convert("RGB")
        printed.thumbnail((PRINT_PX, PRINT_PX), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        printed.save(out, "JPEG", quality=PRINT_QUALITY, optimize=False, progressive=False)
        return Derivative(out.getvalue(), printed.width, printed.height)
