from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.enums import JobStatus
from app.core.models import Tracked, enum_column
from app.core.timeutil import UTCDateTime, utcnow
from app.extensions import db

# A running job's process touches its row every STALLED_AFTER / 6 (see runner.Heartbeat); a row left untouched for
# longer belongs to a process that is gone (killed, restarted, crashed). ``JOBS_STALLED_SECONDS`` overrides it.
STALLED_AFTER = timedelta(seconds=90)


class Job(Tracked, db.Model):  # type: ignore[name-defined,misc]
    """One piece of work done in the background: what it is (``kind``), where it stands, and why it failed.

    Not audited: a job is bookkeeping; the record it produces (a report) is what the audit log follows.
    """

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    status: Mapped[JobStatus] = mapped_column(enum_column(JobStatus), nullable=False, default=JobStatus.QUEUED)
    progress: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    error: Mapped[str] = mapped_column(Text, nullable=False, default="")
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    def stalled(self, after: timedelta = STALLED_AFTER, *, queued_too: bool = False) -> bool:
        """Marked running (or, with ``queued_too``, waiting in a process's own thread pool), but that process has
        not touched it for ``after``: it is gone, and the job with it."""
        last_sign = self.updated_at or self.started_at
        waiting = self.status is JobStatus.RUNNING or (queued_too and self.status is JobStatus.QUEUED)
        return waiting and last_sign is not None and utcnow() - last_sign > after

    @property
    def retryable(self) -> bool:
        return self.status is JobStatus.FAILED


class MadeByJob:
    """A record whose file a background job makes (a report, a prepared download): where it stands, and whether
    the file is there. The record maps ``job`` (its Job) and ``file_key``."""

    if TYPE_CHECKING:
        job: Job | None
        file_key: str | None

    @property
    def status(self) -> JobStatus:
        return self.job.status if self.job is not None else JobStatus.QUEUED

    @property
    def ready(self) -> bool:
        return self.file_key is not None and self.status is JobStatus.DONE

    def state(self, file_url: str | None) -> dict[str, object]:
        """What a page's script (static/js/job-status.js) follows: status, progress, error and, when ready, the
        file's address."""
        job = self.job
        return {
            "status": self.status.value,
            "label": self.status.label,
            "progress": job.progress if job else 0,
            "error": job.error if job else "",
            "ready": self.ready,
            "download_url": file_url if self.ready else None,
        }
