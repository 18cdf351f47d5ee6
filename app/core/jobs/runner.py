"""Run jobs in the background, each inside an app context, and record how they went in the ``jobs`` table.

A feature registers a handler for its kind of job with :func:`register`; a view creates the job with
:func:`job_create`, commits, then calls :func:`job_start`. The handler gets a session, the job and a
``progress(percent)`` callback. When it raises, the job is marked failed with a message a person can read
(a :class:`~app.core.errors.DomainError` keeps its own message) and can be started again.

``JOBS_RUN_INLINE`` runs the job in the calling thread (handy in tests and scripts); with ``REDIS_URL`` set, RQ
workers (``flask jobs-worker``) run it (:mod:`app.core.jobs.queue`); otherwise a
:class:`~concurrent.futures.ThreadPoolExecutor` of ``JOBS_WORKERS`` threads, created with the app, runs it.

While a process runs jobs (or holds them in its thread pool's queue), a heartbeat thread touches their rows every
``JOBS_STALLED_SECONDS / 6``. A job still marked running (or queued in a pool) whose row nobody touched for
``JOBS_STALLED_SECONDS`` lost its process (killed, restarted): :func:`job_fail_if_stalled` marks it failed, with a
message, and it can be tried again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import timedelta

from flask import Flask, current_app
from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.orm import Session

from app.core.enums import JobStatus
from app.core.errors import DomainError
from app.core.jobs.models import STALLED_AFTER, Job
from app.core.timeutil import utcnow
from app.extensions import db

log = logging.getLogger(__name__)

Progress = Callable[[int], None]
Handler = Callable[[Session, Job, Progress], None]

HANDLERS: dict[str, Handler] = {}


def register(kind: str) -> Callable[[Handler], Handler]:
    """Declare the function that does the work of jobs of ``kind``."""

    def decorate(handler: Handler) -> Handler:
        HANDLERS[kind] = handler
        return handler

    return decorate


def job_create(session: Session, kind: str) -> Job:
    if kind not in HANDLERS:
        raise ValueError(f"no handler registered for jobs of kind {kind!r}")
    job = Job(kind=kind, status=JobStatus.QUEUED, progress=0, error="")
    session.add(job)
    session.flush()
    return job


def job_requeue(session: Session, job: Job) -> Job:
    """Put a failed job (or one stalled by a restart) back in the queue; the caller commits, then starts it."""
    if not job.retryable:
        raise DomainError(_("Only a failed job can be tried again."))
    job.status = JobStatus.QUEUED
    job.progress = 0
    job.error = ""
    job.started_at = job.finished_at = None
    session.flush()
    return job


def _executor(app: Flask) -> ThreadPoolExecutor:
    executor: ThreadPoolExecutor | None = app.extensions.get("job_executor")
    if executor is None:
        executor = ThreadPoolExecutor(max_workers=int(app.config.get("JOBS_WORKERS", 2)), thread_name_prefix="job")
        app.extensions["job_executor"] = executor
    return executor


def job_start(job_id: int) -> Future[None] | None:
    """Run the (committed) job: at once when ``JOBS_RUN_INLINE`` is set; on the Redis queue for ``flask
    jobs-worker`` when ``REDIS_URL`` is set; else on the app's thread pool."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config.get("JOBS_RUN_INLINE"):
        run_job(app, job_id)
        return None
    if app.config.get("REDIS_URL"):
        from app.core.jobs.queue import enqueue

        enqueue(app, job_id)
        return None
    # Waiting in this process's pool, the job is this process's to keep alive: a restart loses the pool's queue,
    # and the heartbeat's silence then tells (see job_fail_if_stalled).
    _heartbeat(app).add(job_id)
    return _executor(app).submit(run_job, app, job_id)


def stalled_after(app: Flask) -> timedelta:
    seconds = app.config.get("JOBS_STALLED_SECONDS")
    return timedelta(seconds=float(seconds)) if seconds else STALLED_AFTER


class Heartbeat:
    """Touches the rows of the jobs this process is running, so others can tell them from jobs whose process died."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.running: set[int] = set()
        self.lock = threading.Lock()
        self.interval = stalled_after(app).total_seconds() / 6
        self.thread: threading.Thread | None = None

    def add(self, job_id: int) -> None:
        with self.lock:
            self.running.add(job_id)
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._beat, name="job-heartbeat", daemon=True)
                self.thread.start()

    def discard(self, job_id: int) -> None:
        with self.lock:
            self.running.discard(job_id)

    def _beat(self) -> None:
        while True:
            threading.Event().wait(self.interval)
            with self.lock:
                ids = sorted(self.running)
            if not ids:
                continue
            try:
                with self.app.app_context():
                    db.session.execute(
                        update(Job)
                        .where(Job.id.in_(ids), Job.status.in_((JobStatus.RUNNING, JobStatus.QUEUED)))
                        .values(updated_at=utcnow())
                        .execution_options(synchronize_session=False)
                    )
                    db.session.commit()
                    db.session.remove()
            except Exception:  # a missed beat is not fatal: the next one comes in a few seconds
                log.warning("job heartbeat failed", exc_info=True)


def _heartbeat(app: Flask) -> Heartbeat:
    beat: Heartbeat | None = app.extensions.get("job_heartbeat")
    if beat is None:
        beat = app.extensions["job_heartbeat"] = Heartbeat(app)
    return beat


def run_job(app: Flask, job_id: int) -> None:
    """Do the job ``job_id`` in a fresh app context and leave its outcome in the ``jobs`` table."""
    beat = _heartbeat(app)
    beat.add(job_id)
    with app.app_context():
        session = db.session()
        try:
            _run(session, job_id)
        finally:
            beat.discard(job_id)
            db.session.remove()


def job_fail_if_stalled(session: Session, job: Job | None) -> bool:
    """Mark failed a job whose process is gone (see :class:`Heartbeat`); the caller commits. True when it was.

    With the thread pool, a queued job waits in one process's memory, which a restart empties: it counts as
    stalled too once nobody has touched it for the stall limit. On Redis a queued job waits in Redis, not in a
    process, and only a running one can be lost.
    """
    config = current_app.config
    queued_too = not (config.get("REDIS_URL") or config.get("JOBS_RUN_INLINE"))
    if job is None or not job.stalled(stalled_after(current_app), queued_too=queued_too):
        return False
    job.status = JobStatus.FAILED
    job.error = _("The server stopped while this was being prepared. Try again.")
    job.finished_at = utcnow()
    session.flush()
    return True


def _run(session: Session, job_id: int) -> None:
    found = session.get(Job, job_id)
    if found is None or found.status is not JobStatus.QUEUED:
        return
    job: Job = found
    job.status = JobStatus.RUNNING
    job.started_at = utcnow()
    job.attempts += 1
    session.commit()

    def progress(percent: int) -> None:
        job.progress = max(0, min(100, int(percent)))
        session.commit()

    try:
        HANDLERS[job.kind](session, job, progress)
    except Exception as error:  # a job must end in a state a person can read, whatever went wrong
        session.rollback()
        log.exception("job %s (%s) failed", job_id, job.kind)
        job = session.get(Job, job_id) or job
        job.status = JobStatus.FAILED
        job.error = str(error.message) if isinstance(error, DomainError) else failure_message(error)
        job.finished_at = utcnow()
        session.commit()
        return
    job.status = JobStatus.DONE
    job.progress = 100
    job.finished_at = utcnow()
    session.commit()


def failure_message(error: BaseException) -> str:
    detail = str(error).strip().splitlines()[0][:300] if str(error).strip() else error.__class__.__name__
    return _("The job stopped with an error: %(detail)s", detail=detail)
