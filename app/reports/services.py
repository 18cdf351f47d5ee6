"""Donor reports: ask for one, see which ones a person may see, and build the file (as a background job).

Functions take a session and values, flush, and never commit — but the job handler, which runs in its own app
context and commits through the job runner.
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import Select, false, select
from sqlalchemy.orm import Session

from app.centers.models import Center
from app.core.enums import PhaseKind, ReportKind, ReportScope, Role
from app.core.errors import DomainError
from app.core.i18n import FORMAT_LOCALES
from app.core.jobs.models import Job
from app.core.jobs.runner import Progress, job_create, job_fail_if_stalled, job_requeue, register
from app.core.permissions import STAFF
from app.core.storage import Storage, storage
from app.organizations.models import Organization
from app.projects.models import Project
from app.reports.gather import ReportRequest, report_data
from app.reports.models import Report
from app.reports.pdf import page_count, report_pdf

JOB_KIND = "donor_report"
LANGUAGES = ("es", "en")


def _check(session: Session, request: ReportRequest) -> None:
    if request.period_end < request.period_start:
        raise DomainError(_("The end of the period must not be before its start."), field="period_end")
    if request.language not in LANGUAGES:
        raise DomainError(_("Choose Spanish or English."), field="language")
    if not request.sections:
        raise DomainError(_("Choose at least one section."), field="sections")
    donor = session.get(Organization, request.donor_id) if request.donor_id else None
    if request.donor_id and donor is None:
        raise DomainError(_("Choose an existing organization."), field="donor_id")
    if request.scope is ReportScope.PROJECT:
        project = session.get(Project, request.project_id or 0)
        if project is None:
            raise DomainError(_("Choose the project the report is about."), field="project_id")
        if donor is not None and donor.id not in project.funder_ids:
            raise DomainError(
                _("%(donor)s does not fund %(code)s.", donor=donor.acronym, code=project.code), field="donor_id"
            )
        if request.kind is ReportKind.HANDOVER and not (
            project.completed or project.current_phase is PhaseKind.HANDOVER
        ):
            raise DomainError(
                _("A handover dossier is for a project in its handover phase or completed."), field="project_id"
            )
    elif request.kind is ReportKind.HANDOVER:
        raise DomainError(_("A handover dossier is about one project."), field="project_id")
    elif request.scope is ReportScope.CENTER:
        if session.get(Center, request.center_id or 0) is None:
            raise DomainError(_("Choose the center the report is about."), field="center_id")
    elif donor is None:
        raise DomainError(_("Choose the donor whose projects the report covers."), field="donor_id")


def report_create(session: Session, request: ReportRequest) -> Report:
    """Record the report asked for, with a queued job to build it. The caller commits, then starts the job."""
    _check(session, request)
    job = job_create(session, JOB_KIND)
    report = Report(
        kind=request.kind,
        scope=request.scope,
        project_id=request.project_id if request.scope is ReportScope.PROJECT else None,
        center_id=request.center_id if request.scope is ReportScope.CENTER else None,
        donor_id=request.donor_id,
        period_start=request.period_start,
        period_end=request.period_end,
        language=request.language,
        sections=",".join(section.value for section in request.sections),
        narrative=request.narrative.strip(),
        next_steps=request.next_steps.strip(),
        job_id=job.id,
    )
    session.add(report)
    session.flush()
    return report


def report_retry(session: Session, report: Report) -> Job:
    """Queue a report whose build failed once more (the caller commits, then starts the job)."""
    if report.job is None:
        raise DomainError(_("This report has nothing to try again."))
    job_fail_if_stalled(session, report.job)
    return job_requeue(session, report.job)


def request_of(report: Report) -> ReportRequest:
    """What was asked for this report, as the form gave it."""
    return ReportRequest(
        kind=report.kind,
        scope=report.scope,
        period_start=report.period_start,
        period_end=report.period_end,
        language=report.language,
        sections=tuple(report.section_list),
        project_id=report.project_id,
        center_id=report.center_id,
        donor_id=report.donor_id,
        narrative=report.narrative,
        next_steps=report.next_steps,
    )


def report_build(session: Session, files: Storage, request: ReportRequest, progress: Progress | None = None) -> bytes:
    """The PDF of ``request`` from the data as it is now, in the report's language."""
    with force_locale(FORMAT_LOCALES.get(request.language, request.language)):
        data = report_data(session, files, request)
        if progress:
            progress(60)
        return report_pdf(data)


@register(JOB_KIND)
def _build_job(session: Session, job: Job, progress: Progress) -> None:
    report = session.scalar(select(Report).where(Report.job_id == job.id))
    if report is None:
        raise DomainError(_("The report of this job no longer exists."))
    progress(10)
    files = storage()
    pdf = report_build(session, files, request_of(report), progress)
    progress(90)
    old_key = report.file_key
    report.file_key = files.put(pdf, ".pdf")
    report.sha256 = hashlib.sha256(pdf).hexdigest()
    report.size_bytes = len(pdf)
    report.pages = page_count(pdf)
    session.flush()
    if old_key:
        files.delete(old_key)


def reports_visible_query(user: Any) -> Select[tuple[Report]]:
    """Reports ``user`` may see: staff all of them; a donor the ones made for its organization."""
    query = select(Report).order_by(Report.created_at.desc(), Report.id.desc())
    role = getattr(user, "role", None)
    if user is None or not user.is_authenticated:
        return query.where(false())
    if role in STAFF:
        return query
    if role is Role.DONOR and user.organization_id is not None:
        return query.where(Report.donor_id == user.organization_id)
    return query.where(false())
