"""Stored files no record points to: what a killed upload or report build leaves behind (the file was written, the
transaction that would have recorded it never committed), and budget import previews nobody confirmed.

Only files older than a grace period are touched: a file written a minute ago may belong to an upload whose record
is being committed right now. Without ``delete`` nothing is removed; the result says what would be.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.storage import LocalStorage, Storage, StoredFile
from app.core.timeutil import utcnow
from app.documents.models import DocumentVersion
from app.downloads.models import Download
from app.photos.models import Photo
from app.photos.services import print_key
from app.reports.models import Report

DEFAULT_GRACE = timedelta(hours=24)


@dataclass
class SweepResult:
    orphans: list[StoredFile] = field(default_factory=list)  # unreferenced and older than the grace period
    recent_orphans: int = 0  # unreferenced but young: maybe an upload being recorded now; left alone
    referenced: int = 0
    removed: int = 0
    incomplete_removed: int = 0  # temporary files of writes that never finished (local storage)

    @property
    def orphan_bytes(self) -> int:
        return sum(f.size for f in self.orphans)


def referenced_keys(session: Session) -> set[str]:
    """Every storage key a record points to, with the derivatives made from them on demand."""
    keys: set[str] = set()
    for original, display, thumb in session.execute(select(Photo.original_key, Photo.display_key, Photo.thumb_key)):
        keys.update((original, display, thumb, print_key(display)))
    keys.update(session.scalars(select(DocumentVersion.storage_key)))
    keys.update(key for key in session.scalars(select(Report.file_key)) if key)
    keys.update(key for key in session.scalars(select(Download.file_key)) if key)
    return keys


def storage_sweep(
    session: Session,
    store: Storage,
    *,
    grace: timedelta = DEFAULT_GRACE,
    delete: bool = False,
    now: datetime | None = None,
) -> SweepResult:
    """Find (and with ``delete``, remove) stored files no record points to, older than ``grace``."""
    cutoff = (now or utcnow()) - grace
    # The files are listed before the records are read: a file recorded in between is then seen as referenced.
    files = list(store.list_files())
    keys = referenced_keys(session)
    result = SweepResult()
    for stored in files:
        if stored.key in keys:
            result.referenced += 1
        elif stored.modified_at >= cutoff:
            result.recent_orphans += 1
        else:
            result.orphans.append(stored)
    if delete:
        for stored in result.orphans:
            store.delete(stored.key)
            result.removed += 1
        if isinstance(store, LocalStorage):
            result.incomplete_removed = store.remove_incomplete(cutoff)
    return result
