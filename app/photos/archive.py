"""Selected photos as one ZIP, prepared in the background for the person who asked (see app.downloads).

Only the display copies go in (upright, no metadata: no GPS, no camera serial), and never a photo of identifiable
people without recorded consent, whoever asks.
"""

from __future__ import annotations

import re
import zipfile
from typing import Any, BinaryIO

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.core.enums import DownloadKind
from app.core.errors import DomainError
from app.core.jobs.runner import Progress
from app.core.permissions import can_view_photo
from app.core.storage import storage
from app.core.timeutil import today
from app.downloads.services import Prepared, builder
from app.photos.models import Photo

# One request asks for at most this many photos (a gallery page selects far fewer).
MAX_PHOTOS = 500


def photo_ids(values: list[Any]) -> list[int]:
    """The photo ids of a form or a download's parameters: whole numbers only, each once, at most MAX_PHOTOS."""
    ids: list[int] = []
    for value in values:
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue
        if number > 0 and number not in ids:
            ids.append(number)
    return ids[:MAX_PHOTOS]


def photos_for_zip(session: Session, user: Any, ids: list[int]) -> list[int]:
    """The photos of ``ids`` that ``user`` may see and that are ready, to put in a ZIP; raises a DomainError
    (field ``photo_ids``) that says why when none is left. Photos of people without recorded consent stay in the
    list: the archive leaves them out and says how many."""
    photos = session.scalars(select(Photo).where(Photo.id.in_(ids)).order_by(Photo.id))
    visible = [photo for photo in photos if can_view_photo(user, photo)]
    if not visible:
        raise DomainError(_("Select at least one photo to download."), field="photo_ids")
    ready = [photo for photo in visible if photo.ready]
    if not ready:
        raise DomainError(_("The selected photos are still being prepared. Ask again in a moment."), field="photo_ids")
    if not any(photo.may_leave_app for photo in ready):
        raise DomainError(
            _("Photos of people without recorded consent never leave the app: nothing to download."),
            field="photo_ids",
        )
    return [photo.id for photo in ready]


def zip_name(photo: Photo) -> str:
    """A readable name inside the archive, unique by the photo's id: the id, then the caption (or the original
    name) made safe."""
    label = photo.caption or photo.original_filename.rsplit(".", 1)[0] or "photo"
    base = re.sub(r"[^\w\-]+", "-", label, flags=re.UNICODE).strip("-")[:60] or "photo"
    return f"{photo.id:05d}-{base}.jpg"


@builder(DownloadKind.PHOTOS_ZIP)
def photos_zip(session: Session, user: User, params: dict[str, Any], out: BinaryIO, progress: Progress) -> Prepared:
    """Write the ZIP of the photos ``params["photo_ids"]`` that ``user`` may see and that may leave the app."""
    ids = photo_ids(list(params.get("photo_ids") or []))
    photos = session.scalars(select(Photo).where(Photo.id.in_(ids)).order_by(Photo.id))
    # What the person may no longer see (or was deleted) since asking is simply not there.
    visible = [photo for photo in photos if photo.ready and can_view_photo(user, photo)]
    shareable = [photo for photo in visible if photo.may_leave_app]
    if not shareable:
        raise DomainError(_("None of the photos asked for may be downloaded any more."))
    files = storage()
    # Stored, not deflated: JPEGs do not compress, and the archive streams out as fast as the disk reads.
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        for done, photo in enumerate(shareable, start=1):
            with files.open(photo.display_key) as source, archive.open(zip_name(photo), "w") as target:
                while chunk := source.read(1024 * 1024):
                    target.write(chunk)
            if done % 20 == 0:
                progress(5 + 90 * done // len(shareable))
    return Prepared(
        filename=f"photos-{today().isoformat()}.zip",
        mime="application/zip",
        items=len(shareable),
        left_out=len(visible) - len(shareable),
    )
