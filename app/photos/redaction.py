"""Blur or crop what people see of a photo (a face, a name on a wall). The original stays untouched and private."""

from __future__ import annotations

import io
from dataclasses import dataclass
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageFilter

from app.photos.ingest import THUMB_PX, Derivative, PhotoRejected, _jpeg


class RedactionMode(StrEnum):
    BLUR = "blur"
    CROP = "crop"


@dataclass(frozen=True)
class Box:
    """A rectangle in percent of the displayed (upright) photo: left, top, width, height, each 0 to 100."""

    left: float
    top: float
    width: float
    height: float

    def validate(self) -> None:
        values = (self.left, self.top, self.width, self.height)
        if any(v < 0 or v > 100 for v in values) or self.width < 1 or self.height < 1:
            raise PhotoRejected(_l("The area must lie inside the photo (percentages between 0 and 100)."))
        if self.left + self.width > 100.01 or self.top + self.height > 100.01:
            raise PhotoRejected(_l("The area must lie inside the photo (percentages between 0 and 100)."))

    def pixels(self, width: int, height: int) -> tuple[int, int, int, int]:
        left = round(self.left / 100 * width)
        top = round(self.top / 100 * height)
        right = min(width, max(left + 1, round((self.left + self.width) / 100 * width)))
        bottom = min(height, max(top + 1, round((self.top + self.height) / 100 * height)))
        return left, top, right, bottom


def redact(display_jpeg: bytes, box: Box, mode: RedactionMode) -> tuple[Derivative, Derivative]:
    """New display and thumbnail derivatives with the area blurred beyond recognition, or cropped to it."""
    box.validate()
    image = Image.open(io.BytesIO(display_jpeg)).convert("RGB")
    area = box.pixels(image.width, image.height)
    if mode is RedactionMode.CROP:
        image = image.crop(area)
    else:
        region = image.crop(area)
        # Pixelate then blur: a plain blur of a small face can sometimes be reversed; this cannot.
        small = region.resize((max(1, region.width // 16), max(1, region.height // 16)), Image.Resampling.BILINEAR)
        region = small.resize(region.size, Image.Resampling.NEAREST).filter(ImageFilter.GaussianBlur(8))
        image.paste(region, area[:2])
    thumb = image.copy()
    thumb.thumbnail((THUMB_PX, THUMB_PX), Image.Resampling.LANCZOS)
    return Derivative(_jpeg(image), image.width, image.height), Derivative(_jpeg(thumb), thumb.width, thumb.height)
