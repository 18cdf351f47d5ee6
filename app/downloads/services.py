"""Prepare a file for one person in the background, and keep it for a while.

A feature declares how to make its kind of file with :func:`builder`; a view calls :func:`download_create`,
commits, and starts the job. The job runs the builder as the person who asked — their permissions as they stand
when it runs, in the language and with the address they used — writing into a temporary file, which is then
stored whole (never held in memory, so a ZIP of hundreds of photos costs disk, not RAM).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, BinaryIO

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import Select, delete, select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.core.enums import DownloadKind, JobStatus
from app.core.errors import DomainError
from app.core.i18n import FORMAT_LOCALES
from app.core.jobs.models import Job
from app.core.jobs.runner import Progress, job_create, job_fail_if_stalled, job_requeue, job_start, register
from app.core.storage import storage
from app.core.timeutil import utcnow
from app.downloads.models import Download

JOB_KIND = "prepared_download"
# A person may have this many files being prepared at once; more waits until one is done.
MAX_PENDING = 3
DEFAULT_KEEP = timedelta(days=7)


class TooManyPending(DomainError):
    """The person already has MAX_PENDING files in preparation."""


@dataclass(frozen=True)
class Prepared:
    """What a builder made: the name the file is downloaded under, its type, and how many items went in or out."""

    filename: str
    mime: str
    items: int
    left_out: int = 0


Builder = Callable[[Session, User, dict[str, Any], BinaryIO, Progress], Prepared]
BUILDERS: dict[DownloadKind, Builder] = {}


def builder(kind: DownloadKind) -> Callable[[Builder], Builder]:
    """Declare the function that writes files of ``kind``: it gets the session, the person, the request's
    parameters, the file to write into and a progress callback, and returns what it made."""

    def decorate(function: Builder) -> Builder:
        BUILDERS[kind] = function
        return function

    return decorate


def keep_for() -> timedelta:
    days = current_app.config.get("DOWNLOADS_KEEP_DAYS")
    return timedelta(days=float(days)) if days else DEFAULT_KEEP


def download_create(
    session: Session, user: User, kind: DownloadKind, params: Mapping[str, Any], *, language: str, base_url: str
) -> Download:
    """Record the file asked for, with a queued job to make it. The caller commits, then starts the job."""
    if kind not in BUILDERS:
        raise ValueError(f"no builder registered for downloads of kind {kind!r}")
    pending = list(
        session.scalars(
            select(Job)
            .join(Download, Download.job_id == Job.id)
            .where(Download.user_id == user.id, Job.status.in_((JobStatus.QUEUED, JobStatus.RUNNING)))
        )
    )
    # Files whose preparation a restarted server lost do not hold the person back.
    if len([job for job in pending if not job_fail_if_stalled(session, job)]) >= MAX_PENDING:
        raise TooManyPending(
            _("You already have %(n)d files being prepared. Wait until one is ready, then ask again.", n=MAX_PENDING)
        )
    job = job_create(session, JOB_KIND)
    download = Download(
        kind=kind,
        user_id=user.id,
        params=json.dumps(dict(params), sort_keys=True),
        language=language,
        base_url=base_url[:300],
        expires_at=utcnow() + keep_for(),
        job_id=job.id,
    )
    session.add(download)
    session.flush()
    return download


def download_ask(
    session: Session, user: User, kind: DownloadKind, params: Mapping[str, Any], *, language: str, base_url: str
) -> tuple[Download, list[str]]:
    """What the pages and the API do when a person asks for a file: remove what expired, record the new one.
    Returns it with the storage keys to delete once the caller has committed (then it starts the job)."""
    stale = downloads_prune(session)
    return download_create(session, user, kind, params, language=language, base_url=base_url), stale


def download_start(download: Download, stale: list[str]) -> None:
    """Once the caller has committed what :func:`download_ask` recorded: remove the expired files and start the
    job."""
    for key in stale:
        storage().delete(key)
    job_start(download.job_id or 0)


def download_retry(session: Session, download: Download) -> Job:
    """Queue once more a download whose preparation failed (the caller commits, then starts the job)."""
    if download.job is None:
        raise DomainError(_("This download has nothing to try again."))
    job_fail_if_stalled(session, download.job)
    return job_requeue(session, download.job)


def downloads_query(user: User, *, now: datetime | None = None) -> Select[tuple[Download]]:
    """The person's downloads not yet expired, newest first."""
    return (
        select(Download)
        .where(Download.user_id == user.id, Download.expires_at > (now or utcnow()))
        .order_by(Download.created_at.desc(), Download.id.desc())
    )


def downloads_of(session: Session, user: User, *, now: datetime | None = None) -> list[Download]:
    return list(session.scalars(downloads_query(user, now=now).limit(100)))


def downloads_prune(session: Session, *, now: datetime | None = None) -> list[str]:
    """Remove the downloads whose time is up, with their jobs; returns the storage keys to delete once the caller
    has committed (a file goes only when no record points to it any more)."""
    expired = list(session.scalars(select(Download).where(Download.expires_at <= (now or utcnow()))))
    keys = [download.file_key for download in expired if download.file_key]
    job_ids = [download.job_id for download in expired if download.job_id]
    for download in expired:
        session.delete(download)
    session.flush()
    if job_ids:
        session.execute(delete(Job).where(Job.id.in_(job_ids)))
    return keys


@register(JOB_KIND)
def _prepare_job(session: Session, job: Job, progress: Progress) -> None:
    download = session.scalar(select(Download).where(Download.job_id == job.id))
    if download is None:
        raise DomainError(_("This download no longer exists."))
    user = session.get(User, download.user_id)
    if user is None or not user.is_active:
        raise DomainError(_("The account that asked for this file is disabled."))
    build = BUILDERS[download.kind]
    params = json.loads(download.params or "{}")
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    locale = FORMAT_LOCALES.get(download.language, download.language)
    # Links in the file (documents, reports) point at the address the person used; dates and labels are in their
    # language. The request context is a stand-in: nobody is signed in to it, the builder gets ``user``.
    with tempfile.TemporaryFile() as out, app.test_request_context("/", base_url=download.base_url):
        with force_locale(locale):
            prepared = build(session, user, params, out, progress)
        progress(95)
        out.seek(0)
        digest = hashlib.file_digest(out, "sha256")  # type: ignore[arg-type]
        size = out.tell()
        out.seek(0)
        old_key = download.file_key
        suffix = "." + prepared.filename.rsplit(".", 1)[-1] if "." in prepared.filename else ".bin"
        download.file_key = storage().put_file(out, suffix)
    download.filename = prepared.filename
    download.mime = prepared.mime
    download.items = prepared.items
    download.left_out = prepared.left_out
    download.sha256 = digest.hexdigest()
    download.size_bytes = size
    session.flush()
    if old_key:
        storage().delete(old_key)
