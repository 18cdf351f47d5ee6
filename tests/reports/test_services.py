"""Gathering a report from the database and building it as a background job."""

from __future__ import annotations

import hashlib
import io

import pytest
from flask import Flask
from flask_babel import force_locale
from pypdf import PdfReader
from sqlalchemy import select

from app.core.enums import JobStatus, ReportScope, ReportSection
from app.core.errors import DomainError
from app.core.jobs.models import Job
from app.core.jobs.runner import job_start
from app.core.storage import storage
from app.extensions import db
from app.reports import services
from app.reports.gather import report_data
from app.reports.models import Report
from tests.reports.helpers import HOSTILE_TITLE, PERIOD, donor_request, pdf_text, portfolio


def _built(report: Report) -> bytes:
    db.session.expire_all()
    report = db.session.get(Report, report.id)
    assert report is not None and report.file_key
    return storage().read(report.file_key)


def test_a_donor_report_covers_only_what_that_donor_funds(db_ctx: Flask) -> None:
    world = portfolio()
    pdf = services.report_build(db.session(), storage(), donor_request(world.donor_a))
    text = pdf_text(pdf)
    assert "PRJ-ALPHA" in text
    assert "PRJ-BETA" not in text and "SECRET-BETA" not in text
    assert "$1,000.00" in text  # donor A's line only; donor B's $5,000.00 line stays out
    assert "$5,000.00" not in text and "$6,000.00" not in text
    assert "<b>Roof</b>" in text


def test_no_photo_of_people_without_consent_and_only_display_images(db_ctx: Flask) -> None:
    world = portfolio()
    with force_locale("en"):
        data = report_data(db.session(), storage(), donor_request(world.donor_a))
    captions = [p.caption for pair in data.photo_pairs for p in pair] + [p.caption for p in data.photos]
    assert "UNCONSENTED faces" not in captions
    assert "CONSENTED group" in captions
    assert [(b.caption, a.caption) for b, a in data.photo_pairs] == [("PAIR-BEFORE dormitory", "PAIR-AFTER dormitory")]
    assert data.photos_left_out == 1
    after = data.photo_pairs[0][1]
    assert after.image == storage().read(world.after.display_key)
    assert after.image != storage().read(world.after.original_key)
    text = pdf_text(services.report_build(db.session(), storage(), donor_request(world.donor_a)))
    assert "UNCONSENTED" not in text and "PAIR-AFTER dormitory" in text


def test_generating_twice_from_the_same_data_gives_the_same_bytes(db_ctx: Flask) -> None:
    db_ctx.config["JOBS_RUN_INLINE"] = True
    world = portfolio()
    reports = []
    for _ in range(2):
        report = services.report_create(db.session(), donor_request(world.donor_a))
        db.session.commit()
        job_start(report.job_id or 0)
        reports.append(report)
    first, second = (_built(r) for r in reports)
    assert first == second
    stored = [db.session.get(Report, r.id) for r in reports]
    assert stored[0] is not None and stored[1] is not None
    assert stored[0].sha256 == stored[1].sha256 == hashlib.sha256(first).hexdigest()
    assert stored[0].size_bytes == len(first) and (stored[0].pages or 0) >= 3
    assert stored[0].status is JobStatus.DONE and stored[0].job and stored[0].job.progress == 100


def test_the_job_runs_on_a_worker_thread(db_ctx: Flask) -> None:
    world = portfolio()
    report = services.report_create(db.session(), donor_request(world.donor_a, sections=(ReportSection.SUMMARY,)))
    db.session.commit()
    future = job_start(report.job_id or 0)
    assert future is not None
    future.result(timeout=120)
    pdf = _built(report)
    assert "All went to plan <script>alert(1)</script>" in pdf_text(pdf)
    db.session.expire_all()
    stored = db.session.get(Report, report.id)
    assert stored is not None and stored.sha256 == hashlib.sha256(pdf).hexdigest()


def test_with_redis_the_report_is_built_by_an_rq_worker(db_ctx: Flask) -> None:
    from tests.core.test_jobs_rq import REDIS_URL, redis_or_skip

    redis_or_skip()
    import uuid

    from rq import SimpleWorker

    from app.core.jobs.queue import queue

    db_ctx.config.update(REDIS_URL=REDIS_URL, JOBS_QUEUE=f"test-reports-{uuid.uuid4().hex}")
    try:
        world = portfolio()
        report = services.report_create(db.session(), donor_request(world.donor_a, sections=(ReportSection.SUMMARY,)))
        db.session.commit()
        assert job_start(report.job_id or 0) is None  # queued on Redis, not run here
        jobs = queue(db_ctx)
        SimpleWorker([jobs], connection=jobs.connection).work(burst=True)
        pdf = _built(report)
        db.session.expire_all()
        stored = db.session.get(Report, report.id)
        assert stored is not None and stored.sha256 == hashlib.sha256(pdf).hexdigest()
    finally:
        queue(db_ctx).delete(delete_jobs=True)


def test_a_crashing_build_is_marked_failed_and_can_be_retried(db_ctx: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    db_ctx.config["JOBS_RUN_INLINE"] = True
    world = portfolio()

    def boom(data: object) -> bytes:
        raise ValueError("the printer caught fire")

    monkeypatch.setattr(services, "report_pdf", boom)
    report = services.report_create(db.session(), donor_request(world.donor_a))
    db.session.commit()
    job_start(report.job_id or 0)
    db.session.expire_all()
    job = db.session.get(Job, report.job_id)
    assert job is not None and job.status is JobStatus.FAILED
    assert "the printer caught fire" in job.error
    assert db.session.get(Report, report.id).file_key is None  # type: ignore[union-attr]

    monkeypatch.undo()
    again = services.report_retry(db.session(), db.session.get(Report, report.id))  # type: ignore[arg-type]
    db.session.commit()
    job_start(again.id)
    db.session.expire_all()
    job = db.session.get(Job, report.job_id)
    assert job is not None and job.status is JobStatus.DONE and job.error == "" and job.attempts == 2
    assert pdf_text(_built(report))


def test_only_a_failed_job_can_be_retried(db_ctx: Flask) -> None:
    db_ctx.config["JOBS_RUN_INLINE"] = True
    world = portfolio()
    report = services.report_create(db.session(), donor_request(world.donor_a))
    db.session.commit()
    job_start(report.job_id or 0)
    with pytest.raises(DomainError):
        services.report_retry(db.session(), db.session.get(Report, report.id))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"period_start": PERIOD[1], "period_end": PERIOD[0]}, "period_end"),
        ({"sections": ()}, "sections"),
        ({"scope": ReportScope.PROJECT}, "project_id"),
        ({"scope": ReportScope.CENTER}, "center_id"),
    ],
)
def test_a_request_that_makes_no_sense_is_refused(db_ctx: Flask, values: dict[str, object], field: str) -> None:
    world = portfolio()
    with pytest.raises(DomainError) as error:
        services.report_create(db.session(), donor_request(world.donor_a, **values))
    assert error.value.field == field


def test_a_project_report_for_a_donor_that_does_not_fund_it_is_refused(db_ctx: Flask) -> None:
    world = portfolio()
    request = donor_request(world.donor_a, scope=ReportScope.PROJECT, project_id=world.project_b.id)
    with pytest.raises(DomainError) as error:
        services.report_create(db.session(), request)
    assert error.value.field == "donor_id"


def test_the_report_keeps_the_narrative_and_parameters(db_ctx: Flask) -> None:
    world = portfolio()
    report = services.report_create(db.session(), donor_request(world.donor_a, language="es"))
    db.session.commit()
    assert report.narrative == "All went to plan <script>alert(1)</script>"
    assert report.language == "es" and report.donor_id == world.donor_a.id
    assert report.section_list == list(ReportSection)
    assert services.request_of(report).period_end == PERIOD[1]
    assert HOSTILE_TITLE  # the hostile milestone is part of the data the report reads


def test_photos_go_into_the_pdf_as_their_display_jpeg_unchanged(db_ctx: Flask) -> None:
    world = portfolio()
    pdf = services.report_build(db.session(), storage(), donor_request(world.donor_a))
    embedded = {image.data for page in PdfReader(io.BytesIO(pdf)).pages for image in page.images}
    assert b"/DCTDecode" in pdf
    # Embedded byte for byte: not decoded, re-encoded or given metadata; never the original.
    assert storage().read(world.after.display_key) in embedded
    assert storage().read(world.after.original_key) not in embedded
    assert storage().read(world.unconsented.display_key) not in embedded


def test_a_job_whose_process_died_is_failed_with_a_message_and_can_be_retried(db_ctx: Flask) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from app.core.jobs.models import Job
    from app.core.timeutil import utcnow

    world = portfolio()
    report = services.report_create(db.session(), donor_request(world.donor_a))
    job = report.job
    assert job is not None
    job.status, job.started_at = JobStatus.RUNNING, utcnow() - timedelta(hours=2)
    db.session.commit()
    # Its process signed a moment ago: still running, not to be started twice however long it has run.
    with pytest.raises(DomainError):
        services.report_retry(db.session(), report)
    db.session.rollback()
    # No sign for longer than JOBS_STALLED_SECONDS: the process is gone.
    db.session.execute(update(Job).where(Job.id == job.id).values(updated_at=utcnow() - timedelta(minutes=5)))
    db.session.commit()
    db.session.refresh(job)
    assert services.report_retry(db.session(), report).status is JobStatus.QUEUED


def test_the_budget_counts_only_spending_dated_within_the_period(db_ctx: Flask) -> None:
    from datetime import date

    from app.budgets.models import BudgetLine
    from tests.budgets.helpers import spend

    world = portfolio()
    line = db.session.scalar(select(BudgetLine).where(BudgetLine.project_id == world.project_a.id))
    assert line is not None
    spend(world.project_a, line, "123.45", spent_on=date(2025, 3, 1))
    spend(world.project_a, line, "400.00", spent_on=date(2025, 9, 1))
    request = donor_request(world.donor_a, period_end=date(2025, 6, 30), sections=(ReportSection.BUDGET,))
    text = pdf_text(services.report_build(db.session(), storage(), request))
    assert "$123.45" in text
    assert "$523.45" not in text
    assert "Only the budget lines funded by Donor Alpha (DONA)." in text
