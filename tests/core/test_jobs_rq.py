"""With REDIS_URL set, a job goes on a Redis queue and an RQ worker runs it; the job table records the outcome
as with the thread pool. Needs Redis at 127.0.0.1:6379 (skipped, with the reason, where none answers)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from app.core.enums import JobStatus
from app.core.errors import DomainError
from app.core.jobs.models import Job
from app.core.jobs.queue import queue
from app.core.jobs.runner import Progress, job_create, job_start, register
from app.extensions import db

REDIS_URL = os.environ.get("REHABILITA_TEST_REDIS", "redis://127.0.0.1:6379/15")
DONE_BY: list[int] = []


@register("rq-test-job")
def _work(session: Session, job: Job, progress: Progress) -> None:
    progress(50)
    DONE_BY.append(os.getpid())


@register("rq-test-refusal")
def _refuse(session: Session, job: Job, progress: Progress) -> None:
    raise DomainError("The center has no assessment to print.")


def redis_or_skip() -> None:
    redis = pytest.importorskip("redis", reason="redis is not installed")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.RedisError as error:
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {error.__class__.__name__}")


@pytest.fixture
def on_redis(db_ctx: Flask) -> Iterator[Flask]:
    redis_or_skip()
    db_ctx.config.update(REDIS_URL=REDIS_URL, JOBS_QUEUE=f"test-{uuid.uuid4().hex}")
    yield db_ctx
    queue(db_ctx).delete(delete_jobs=True)


def _work_the_queue(app: Flask) -> None:
    from rq import SimpleWorker

    jobs = queue(app)
    SimpleWorker([jobs], connection=jobs.connection).work(burst=True)


def test_a_job_waits_on_redis_until_a_worker_runs_it(on_redis: Flask) -> None:
    job = job_create(db.session(), "rq-test-job")
    db.session.commit()
    assert job_start(job.id) is None
    assert queue(on_redis).count == 1
    db.session.expire_all()
    assert db.session.get(Job, job.id).status is JobStatus.QUEUED  # type: ignore[union-attr]
    _work_the_queue(on_redis)
    db.session.expire_all()
    done = db.session.get(Job, job.id)
    assert done is not None and (done.status, done.progress, done.attempts) == (JobStatus.DONE, 100, 1)
    assert queue(on_redis).count == 0


def test_a_job_enqueued_twice_runs_once(on_redis: Flask) -> None:
    job = job_create(db.session(), "rq-test-job")
    db.session.commit()
    before = len(DONE_BY)
    job_start(job.id)
    job_start(job.id)
    _work_the_queue(on_redis)
    assert len(DONE_BY) == before + 1


def test_a_refused_job_is_failed_with_its_message(on_redis: Flask) -> None:
    job = job_create(db.session(), "rq-test-refusal")
    db.session.commit()
    job_start(job.id)
    _work_the_queue(on_redis)
    db.session.expire_all()
    failed = db.session.get(Job, job.id)
    assert failed is not None and failed.status is JobStatus.FAILED
    assert failed.error == "The center has no assessment to print."
