"""A server killed in the middle of a background job: the job does not stay "running" for ever. While its process
lives, a heartbeat keeps the job's row fresh; once the process is gone the job is failed with a message and can be
tried again. Shown with a real process killed with SIGKILL, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from flask import Flask

from app.core.enums import JobStatus
from app.core.jobs.models import Job
from app.core.jobs.runner import job_fail_if_stalled, job_requeue, register, run_job
from app.extensions import db

ROOT = Path(__file__).resolve().parents[2]
STALLED_SECONDS = 1.5

CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from app import create_app
    from app.core.jobs.runner import job_create, register, run_job
    from app.extensions import db
    from tests.conftest import base_config

    @register("slow-test-job")
    def slow(session, job, progress):
        progress(10)
        time.sleep(120)  # killed long before

    app = create_app(base_config(Path(sys.argv[2]), sys.argv[1]) | {"JOBS_STALLED_SECONDS": float(sys.argv[3])})
    with app.app_context():
        job = job_create(db.session, "slow-test-job")
        db.session.commit()
        job_id = job.id
    print(job_id, flush=True)
    run_job(app, job_id)
    """
)


def _status(job_id: int) -> Job:
    db.session.expire_all()
    job = db.session.get(Job, job_id)
    assert job is not None
    return job


def test_a_job_whose_server_was_killed_is_failed_and_can_be_run_again(
    db_ctx: Flask, english: None, tmp_path: Path
) -> None:
    db_ctx.config["JOBS_STALLED_SECONDS"] = STALLED_SECONDS
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, db_ctx.config["SQLALCHEMY_DATABASE_URI"], str(tmp_path), str(STALLED_SECONDS)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
    )
    try:
        assert child.stdout is not None
        job_id = int(child.stdout.readline())
        deadline = time.monotonic() + 30
        while _status(job_id).status is not JobStatus.RUNNING:
            assert time.monotonic() < deadline, "the job never started"
            time.sleep(0.1)
        # Alive and working for longer than the stall limit: the heartbeat keeps it running.
        time.sleep(STALLED_SECONDS * 2)
        assert not job_fail_if_stalled(db.session(), _status(job_id))
        assert _status(job_id).status is JobStatus.RUNNING

        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
    time.sleep(STALLED_SECONDS * 1.5)
    job = _status(job_id)
    assert job.status is JobStatus.RUNNING  # what the killed process left behind
    assert job_fail_if_stalled(db.session(), job)
    db.session.commit()
    job = _status(job_id)
    assert job.status is JobStatus.FAILED and job.retryable
    assert "stopped" in job.error

    @register("slow-test-job")
    def quick(session: object, job: object, progress: object) -> None:
        return None

    job_requeue(db.session(), job)
    db.session.commit()
    run_job(db_ctx, job_id)
    job = _status(job_id)
    assert (job.status, job.progress, job.attempts) == (JobStatus.DONE, 100, 2)


def _queued_job(app: Flask) -> int:
    from app.core.jobs.runner import job_create

    @register("queued-test-job")
    def _nothing(session: object, job: object, progress: object) -> None:
        return None

    job = job_create(db.session(), "queued-test-job")
    db.session.commit()
    return job.id


def test_a_job_lost_from_a_restarted_servers_pool_is_failed_and_can_be_run_again(app_ctx: Flask, english: None) -> None:
    """Committed, then the process died before its pool ran the job: nobody will ever run it. Shown as failed."""
    app_ctx.config["JOBS_STALLED_SECONDS"] = STALLED_SECONDS
    job_id = _queued_job(app_ctx)
    assert not job_fail_if_stalled(db.session(), _status(job_id))  # just asked for: it may be starting
    time.sleep(STALLED_SECONDS * 1.5)
    job = _status(job_id)
    assert job.status is JobStatus.QUEUED
    assert job_fail_if_stalled(db.session(), job)
    db.session.commit()
    job = _status(job_id)
    assert job.status is JobStatus.FAILED and "stopped" in job.error
    job_requeue(db.session(), job)
    db.session.commit()
    run_job(app_ctx, job_id)
    assert _status(job_id).status is JobStatus.DONE


def test_a_job_waiting_its_turn_in_a_live_pool_is_kept(app_ctx: Flask) -> None:
    """Queued behind others in this process's pool: the heartbeat keeps it, however long it waits."""
    from app.core.jobs.runner import _heartbeat

    app_ctx.config["JOBS_STALLED_SECONDS"] = STALLED_SECONDS
    job_id = _queued_job(app_ctx)
    beat = _heartbeat(app_ctx)
    beat.interval = STALLED_SECONDS / 6
    beat.add(job_id)  # what job_start does before handing the job to the pool
    try:
        time.sleep(STALLED_SECONDS * 2)
        assert not job_fail_if_stalled(db.session(), _status(job_id))
        assert _status(job_id).status is JobStatus.QUEUED
    finally:
        beat.discard(job_id)


def test_on_redis_a_queued_job_waits_in_redis_and_is_never_failed_for_it(app_ctx: Flask) -> None:
    app_ctx.config.update(JOBS_STALLED_SECONDS=STALLED_SECONDS, REDIS_URL="redis://127.0.0.1:6379/15")
    job_id = _queued_job(app_ctx)
    time.sleep(STALLED_SECONDS * 1.5)
    assert not job_fail_if_stalled(db.session(), _status(job_id))
    assert _status(job_id).status is JobStatus.QUEUED
