"""The display and thumbnail copies of a photo too large to decode during its upload, made by a background job.

The upload checks such a photo by its header and content (type, size, pixels, hidden archives or scripts),
stores it with grey placeholders and queues this job, so the person in the field gets their answer at once. The
job decodes the original once, as the upload does for smaller photos; a photo whose pixels turn out damaged is
marked as unreadable, with the reason, and never shown or sent anywhere.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.enums import PhotoCopies
from app.core.errors import DomainError
from app.core.jobs.models import Job
from app.core.jobs.runner import Progress, register
from app.core.storage import storage
from app.photos.ingest import PhotoRejected, ingest_photo
from app.photos.models import Photo

COPIES_JOB = "photo_copies"


@register(COPIES_JOB)
def _make_copies(session: Session, job: Job, progress: Progress) -> None:
    photo = session.scalar(select(Photo).where(Photo.job_id == job.id))
    if photo is None:
        raise DomainError(_("The photo of this job no longer exists."))
    if photo.ready:
        return
    files = storage()
    try:
        ingested = ingest_photo(
            files.read(photo.original_key),
            max_bytes=max(int(current_app.config["PHOTO_MAX_BYTES"]), photo.size_bytes),
            max_pixels=max(int(current_app.config["PHOTO_MAX_PIXELS"]), photo.width * photo.height),
        )
    except PhotoRejected:
        photo.copies = PhotoCopies.FAILED
        session.commit()  # kept when the runner marks the job failed with the reason
        raise
    progress(80)
    placeholders = [photo.display_key, photo.thumb_key]
    new_keys = [files.put(ingested.display.data, ".jpg"), files.put(ingested.thumb.data, ".jpg")]
    try:
        photo.display_key, photo.thumb_key = new_keys
        photo.display_width, photo.display_height = ingested.display.width, ingested.display.height
        photo.copies = PhotoCopies.READY
        session.commit()
    except BaseException:
        session.rollback()
        for key in new_keys:
            files.delete(key)
        raise
    for key in placeholders:  # only once no record points to them
        files.delete(key)
