"""What a photo's EXIF says about when and where it was taken. Broken EXIF never fails an upload."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from PIL import Image

EXIF_IFD = 0x8769
GPS_IFD = 0x8825
ORIENTATION = 0x0112
DATETIME = 0x0132
DATETIME_ORIGINAL = 0x9003


@dataclass(frozen=True)
class PhotoMetadata:
    orientation: int = 1
    taken_at: datetime | None = None  # the camera's local time, as the camera wrote it
    latitude: Decimal | None = None
    longitude: Decimal | None = None


def _rational(value: Any) -> float:
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        raise ValueError("not a finite number")
    return number


def _degrees(parts: Any, ref: Any, limit: float) -> Decimal | None:
    try:
        if isinstance(parts, tuple | list) and len(parts) == 3:
            value = _rational(parts[0]) + _rational(parts[1]) / 60 + _rational(parts[2]) / 3600
        else:
            value = _rational(parts)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    ref_text = ref.decode("ascii", "ignore") if isinstance(ref, bytes) else str(ref or "")
    if ref_text.strip().upper() in ("S", "W"):
        value = -value
    if not -limit <= value <= limit:
        return None
    return Decimal(f"{value:.6f}")


def _taken_at(raw: Any) -> datetime | None:
    if isinstance(raw, bytes):
        raw = raw.decode("ascii", "ignore")
    if not isinstance(raw, str):
        return None
    try:
        return datetime.strptime(raw.strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None


def read_metadata(image: Image.Image) -> PhotoMetadata:
    """Orientation, date taken and GPS position; any part that cannot be read is simply absent."""
    try:
        exif = image.getexif()
    except Exception:  # a broken EXIF block must not fail a good image
        return PhotoMetadata()
    orientation = 1
    taken_at = latitude = longitude = None
    try:
        raw_orientation = int(exif.get(ORIENTATION, 1))
        orientation = raw_orientation if 1 <= raw_orientation <= 8 else 1
    except (TypeError, ValueError):
        orientation = 1
    try:
        taken_at = _taken_at(exif.get_ifd(EXIF_IFD).get(DATETIME_ORIGINAL)) or _taken_at(exif.get(DATETIME))
    except Exception:
        taken_at = None
    try:
        gps = exif.get_ifd(GPS_IFD)
        if gps:
            latitude = _degrees(gps.get(2), gps.get(1), 90)
            longitude = _degrees(gps.get(4), gps.get(3), 180)
            if latitude is None or longitude is None:
                latitude = longitude = None
    except Exception:
        latitude = longitude = None
    return PhotoMetadata(orientation=orientation, taken_at=taken_at, latitude=latitude, longitude=longitude)
