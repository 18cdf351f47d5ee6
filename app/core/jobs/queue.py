"""Background jobs on RQ with Redis, for an office that runs more than one machine: with ``REDIS_URL`` set, the web
processes put each job on a Redis queue and ``flask jobs-worker`` processes (on any machine reaching the same
database, storage and Redis) run them. The job table stays the record of what happened; RQ only carries job ids.
"""

from __future__ import annotations

import click
from flask import Flask, current_app, has_app_context
from redis import Redis
from rq import Queue, SimpleWorker

DEFAULT_QUEUE = "rehabilita"


def queue(app: Flask) -> Queue:
    connection = Redis.from_url(app.config["REDIS_URL"])
    return Queue(app.config.get("JOBS_QUEUE") or DEFAULT_QUEUE, connection=connection)


def enqueue(app: Flask, job_id: int) -> None:
    # The job table, not RQ, decides whether a job still has to run: a job enqueued twice runs once.
    queue(app).enqueue(perform, job_id, job_timeout=int(app.config.get("JOBS_TIMEOUT_SECONDS", 1800)))


def perform(job_id: int) -> None:
    """What an RQ worker runs: the job ``job_id`` with the worker's app (see :func:`worker_command`)."""
    from app.core.jobs.runner import run_job

    if has_app_context():
        app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    else:  # a worker started with ``rq worker`` rather than ``flask jobs-worker``
        from app import create_app

        app = create_app()
    run_job(app, job_id)


@click.command("jobs-worker")
@click.option("--burst", is_flag=True, help="Run the jobs waiting now, then stop.")
def worker_command(burst: bool) -> None:
    """Run background jobs from the Redis queue (needs REDIS_URL). Start one or more, on any machine."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config.get("REDIS_URL"):
        raise click.ClickException("REDIS_URL is not set: jobs run in the web processes' own thread pool.")
    jobs = queue(app)
    # SimpleWorker runs each job in this process (no fork): the database pool and the heartbeat thread stay valid.
    worker = SimpleWorker([jobs], connection=jobs.connection)
    worker.work(burst=burst)
