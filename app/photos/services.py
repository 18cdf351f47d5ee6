"""Photos: upload, describe, pair, select. Functions take a session and values, flush, and never commit."""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from PIL import Image
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.centers.models import Center
from app.core.enums import PhaseKind, PhotoCopies, PhotoStage, Role
from app.core.errors import DomainError
from app.core.jobs.runner import job_create
from app.core.storage import Storage
from app.photos.copies import COPIES_JOB
from app.photos.ingest import (
    DISPLAY_PX,
    THUMB_PX,
    Derivative,
    ingest_photo,
    inspect_photo,
    placeholder,
    print_derivative,
)
from app.photos.models import Photo
from app.photos.redaction import Box, RedactionMode, redact
from app.projects.models import Project, ProjectFunding

SUFFIX = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "image/heic": ".heic"}


class DuplicatePhoto(DomainError):
    def __init__(self, existing: Photo) -> None:
        super().__init__(
            _(
                "This photo was already uploaded (photo %(id)d, %(name)s).",
                id=existing.id,
                name=existing.original_filename or "—",
            ),
            field="photos",
        )
        self.existing_id = existing.id


@dataclass(frozen=True)
class PhotoDescription:
    caption: str = ""
    tags: str = ""
    location: str = ""
    phase: PhaseKind | None = None
    stage: PhotoStage | None = None
    identifiable_people: bool = False
    consent_recorded: bool = False


def _clean_label(filename: str) -> str:
    """The uploader's file name, kept only as a label: no path, no control characters, any language."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable())
    return name.strip()[:255]


def _clean_tags(tags: str) -> str:
    seen: list[str] = []
    for tag in re.split(r"[,;]", tags):
        tag = " ".join(tag.split())[:40]
        if tag and tag.lower() not in (t.lower() for t in seen):
            seen.append(tag)
    return ", ".join(seen)[:300]


def _check_place(session: Session, center_id: int, project_id: int | None) -> None:
    center = session.get(Center, center_id)
    if center is None:
        raise DomainError(_("Choose an existing center."), field="center_id")
    if project_id is not None:
        project = session.get(Project, project_id)
        if project is None or project.center_id != center_id:
            raise DomainError(_("That project is not a project of this center."), field="project_id")


def photo_upload(
    session: Session,
    storage: Storage,
    data: bytes,
    filename: str,
    *,
    center_id: int,
    project_id: int | None,
    description: PhotoDescription,
    max_bytes: int,
    max_pixels: int,
    background_pixels: int = 0,
) -> Photo:
    """Check, store and record one photo. A refused or failed photo leaves nothing behind.

    A photo of more than ``background_pixels`` (0: none) is checked by its header only and recorded with
    placeholder copies and a queued job (:mod:`app.photos.copies`) that decodes it and makes the real ones; the
    caller starts the job once it has committed.
    """
    _check_place(session, center_id, project_id)
    digest = hashlib.sha256(data).hexdigest()
    existing = session.scalar(select(Photo).where(Photo.sha256 == digest))
    if existing is not None:
        raise DuplicatePhoto(existing)
    facts = inspect_photo(data, max_bytes=max_bytes, max_pixels=max_pixels, sha256=digest)
    later = 0 < background_pixels < facts.width * facts.height
    if later:
        display, thumb = (
            placeholder(facts.width, facts.height, DISPLAY_PX),
            placeholder(facts.width, facts.height, THUMB_PX),
        )
    else:
        ingested = ingest_photo(data, max_bytes=max_bytes, max_pixels=max_pixels, inspected=facts)
        display, thumb = ingested.display, ingested.thumb
    keys: list[str] = []
    try:
        keys.append(storage.put(data, SUFFIX[facts.mime]))
        keys.append(storage.put(display.data, ".jpg"))
        keys.append(storage.put(thumb.data, ".jpg"))
        photo = Photo(
            center_id=center_id,
            project_id=project_id,
            original_key=keys[0],
            display_key=keys[1],
            thumb_key=keys[2],
            sha256=facts.sha256,
            mime=facts.mime,
            size_bytes=facts.size_bytes,
            width=facts.width,
            height=facts.height,
            display_width=display.width,
            display_height=display.height,
            original_filename=_clean_label(filename),
            taken_at=facts.metadata.taken_at,
            gps_latitude=facts.metadata.latitude,
            gps_longitude=facts.metadata.longitude,
            copies=PhotoCopies.PENDING if later else PhotoCopies.READY,
            job_id=job_create(session, COPIES_JOB).id if later else None,
        )
        _describe(photo, description)
        session.add(photo)
        session.flush()
    except BaseException:
        for key in keys:
            storage.delete(key)
        raise
    return photo


def _describe(photo: Photo, description: PhotoDescription) -> None:
    photo.caption = description.caption.strip()[:2000]
    photo.tags = _clean_tags(description.tags)
    photo.location = description.location.strip()[:200]
    photo.phase = description.phase
    photo.stage = description.stage
    photo.identifiable_people = description.identifiable_people
    photo.consent_recorded = description.consent_recorded


def photo_describe(session: Session, photo: Photo, description: PhotoDescription, pair_of_id: int | None) -> Photo:
    """Change what is said about a photo, and pair an "after" photo with its "before"."""
    if description.consent_recorded and not description.identifiable_people:
        description = PhotoDescription(**{**description.__dict__, "consent_recorded": False})
    _describe(photo, description)
    if pair_of_id is not None:
        before = session.get(Photo, pair_of_id)
        if before is None or before.id == photo.id or before.center_id != photo.center_id:
            raise DomainError(_("Pair this photo with a photo of the same center."), field="pair_of_id")
        if before.stage is not PhotoStage.BEFORE or photo.stage is not PhotoStage.AFTER:
            raise DomainError(
                _('Only an "after" photo can be paired, and only with a "before" photo.'), field="pair_of_id"
            )
    photo.pair_of_id = pair_of_id
    session.flush()
    return photo


def print_key(display_key: str) -> str:
    """Where the print-size copy of a display derivative is kept: next to it, named after it."""
    stem, _dot, _suffix = display_key.rpartition(".")
    return f"{stem or display_key}.print.jpg"


def photo_print_image(storage: Storage, photo: Photo) -> Derivative:
    """The photo at print size for PDFs, made from the display derivative the first time a report needs it and
    kept, so the next report copies its bytes without decoding anything."""
    key = print_key(photo.display_key)
    if storage.exists(key):
        data = storage.read(key)
        with Image.open(io.BytesIO(data)) as image:  # reads the header only
            return Derivative(data, image.width, image.height)
    printed = print_derivative(storage.read(photo.display_key))
    storage.write(key, printed.data)
    return printed


def photo_redact(session: Session, storage: Storage, photo: Photo, box: Box, mode: RedactionMode) -> list[str]:
    """Replace the display and thumbnail with a blurred or cropped version; returns the old keys to remove once
    the change is committed. The original is not touched."""
    if not photo.ready:
        raise DomainError(_("This photo is still being prepared; it can be changed once it is ready."))
    display, thumb = redact(storage.read(photo.display_key), box, mode)
    old = [photo.display_key, print_key(photo.display_key), photo.thumb_key]
    new_keys = [storage.put(display.data, ".jpg"), storage.put(thumb.data, ".jpg")]
    try:
        photo.display_key, photo.thumb_key = new_keys
        photo.display_width, photo.display_height = display.width, display.height
        photo.redacted = True
        session.flush()
    except BaseException:
        for key in new_keys:
            storage.delete(key)
        raise
    return old


def photo_delete(session: Session, storage: Storage, photo: Photo) -> list[str]:
    """Delete the record; returns the storage keys to remove once the deletion is committed."""
    keys = [photo.original_key, photo.display_key, print_key(photo.display_key), photo.thumb_key]
    for after in session.scalars(select(Photo).where(Photo.pair_of_id == photo.id)):
        after.pair_of_id = None
    session.delete(photo)
    session.flush()
    return keys


@dataclass(frozen=True)
class PhotoFilter:
    center_id: int | None = None
    project_id: int | None = None
    phase: PhaseKind | None = None
    stage: PhotoStage | None = None
    only_shareable: bool = False
    only_ready: bool = False


def photos_visible_query(user: Any, filters: PhotoFilter) -> Select[tuple[Photo]]:
    """Photos this user may see. Donors: only photos of projects their organization funds, and never a photo of
    identifiable people without recorded consent."""
    query = select(Photo).order_by(Photo.created_at.desc(), Photo.id.desc())
    if filters.center_id:
        query = query.where(Photo.center_id == filters.center_id)
    if filters.project_id:
        query = query.where(Photo.project_id == filters.project_id)
    if filters.phase:
        query = query.where(Photo.phase == filters.phase)
    if filters.stage:
        query = query.where(Photo.stage == filters.stage)
    if filters.only_ready:
        query = query.where(Photo.copies == PhotoCopies.READY)
    donor = getattr(user, "role", None) is Role.DONOR
    if filters.only_shareable or donor:
        query = query.where((Photo.identifiable_people.is_(False)) | (Photo.consent_recorded.is_(True)))
    if donor:
        funded = select(ProjectFunding.project_id).where(ProjectFunding.organization_id == user.organization_id)
        query = query.where(Photo.project_id.in_(funded))
    return query


def photo_pairs(session: Session, center_id: int, project_id: int | None = None) -> list[tuple[Photo, Photo]]:
    """(before, after) pairs of a center, newest first."""
    query = select(Photo).where(Photo.center_id == center_id, Photo.pair_of_id.is_not(None))
    if project_id:
        query = query.where(Photo.project_id == project_id)
    afters = list(session.scalars(query.order_by(Photo.created_at.desc())))
    befores = {p.id: p for p in session.scalars(select(Photo).where(Photo.id.in_([a.pair_of_id for a in afters])))}
    return [(befores[a.pair_of_id], a) for a in afters if a.pair_of_id in befores]
