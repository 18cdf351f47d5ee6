from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers.response import Response as BaseResponse

from app.centers.models import Center
from app.core.enums import OrganizationKind, PhaseKind, ReportKind, ReportScope, ReportSection
from app.core.errors import DomainError
from app.core.inputs import record_id
from app.core.jobs.runner import job_fail_if_stalled, job_start
from app.core.permissions import can_generate_report, can_list_reports, can_view_report, require
from app.core.storage import storage
from app.core.timeutil import today
from app.extensions import db
from app.organizations.models import Organization
from app.projects.models import Project, ProjectFunding
from app.reports import services
from app.reports.forms import HandoverForm, ReportForm, RetryForm
from app.reports.gather import HANDOVER_SECTIONS, ReportRequest
from app.reports.models import Report

bp = Blueprint("reports", __name__, url_prefix="/reports", template_folder="templates")


def _report_or_404(report_id: int) -> Report:
    report = db.session.get(Report, report_id)
    if report is None or not can_view_report(current_user, report):
        abort(404)
    return report


@bp.get("/")
@login_required
def index() -> str:
    require(can_list_reports(current_user))
    reports = db.session.scalars(services.reports_visible_query(current_user).limit(200)).all()
    return render_template("reports/index.html", reports=reports)


def _donor_choices() -> list[tuple[int, str]]:
    # Donors, and any organization that funds a project (a UN agency can fund one too).
    funders = select(ProjectFunding.organization_id)
    donors = db.session.scalars(
        select(Organization)
        .where((Organization.kind == OrganizationKind.DONOR) | Organization.id.in_(funders))
        .order_by(Organization.acronym)
    ).all()
    return [(0, _("None (an internal report)"))] + [(o.id, f"{o.acronym} — {o.name}") for o in donors]


def _choices(form: ReportForm) -> None:
    projects = db.session.scalars(select(Project).order_by(Project.code)).unique().all()
    centers = db.session.scalars(select(Center).order_by(Center.code)).all()
    form.project_id.choices = [(0, "—")] + [(p.id, f"{p.code} — {p.title}") for p in projects]
    form.center_id.choices = [(0, "—")] + [(c.id, f"{c.code} — {c.name}") for c in centers]
    form.donor_id.choices = _donor_choices()


def _start(form: FlaskForm, report_request: ReportRequest, default_field: str) -> BaseResponse | None:
    """Record the report and start its job; on a domain error, put the message on its field and return None."""
    try:
        report = services.report_create(db.session(), report_request)
    except DomainError as error:
        db.session.rollback()
        getattr(form, error.field or default_field).errors.append(str(error.message))
        return None
    db.session.commit()
    job_start(report.job_id or 0)
    flash(_("The report is being prepared."), "info")
    return redirect(url_for("reports.show", report_id=report.id))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create() -> str | BaseResponse | tuple[str, int]:
    require(can_generate_report(current_user))
    form = ReportForm()
    _choices(form)
    if request.method == "GET":
        project_id = request.args.get("project_id", type=record_id)
        if project_id:
            form.scope.data = ReportScope.PROJECT.value
            form.project_id.data = project_id
        end = today()
        form.period_end.data = end
        form.period_start.data = (end - timedelta(days=90)).replace(day=1)
        form.language.data = "es"
    if form.validate_on_submit():
        report_request = ReportRequest(
            scope=ReportScope(form.scope.data),
            period_start=form.period_start.data,
            period_end=form.period_end.data,
            language=form.language.data or "es",
            sections=tuple(ReportSection(value) for value in form.sections.data or ()),
            project_id=form.project_id.data or None,
            center_id=form.center_id.data or None,
            donor_id=form.donor_id.data or None,
            narrative=form.narrative.data or "",
            next_steps=form.next_steps.data or "",
        )
        started = _start(form, report_request, "scope")
        if started is not None:
            return started
    return render_template("reports/form.html", form=form), 422 if request.method == "POST" else 200


@bp.route("/handover/new", methods=["GET", "POST"])
@login_required
def handover_create() -> str | BaseResponse | tuple[str, int]:
    require(can_generate_report(current_user))
    form = HandoverForm()
    projects = db.session.scalars(
        select(Project)
        .where((Project.current_phase == PhaseKind.HANDOVER) | Project.completed.is_(True))
        .order_by(Project.code)
    ).unique()
    by_id = {p.id: p for p in projects}
    form.project_id.choices = [(p.id, f"{p.code} — {p.title}") for p in by_id.values()]
    form.donor_id.choices = _donor_choices()
    if request.method == "GET":
        form.project_id.data = request.args.get("project_id", type=record_id) or 0
        form.language.data = "es"
    if form.validate_on_submit():
        project = by_id[form.project_id.data]
        handover = project.phase(PhaseKind.HANDOVER)
        report_request = ReportRequest(
            kind=ReportKind.HANDOVER,
            scope=ReportScope.PROJECT,
            project_id=project.id,
            donor_id=form.donor_id.data or None,
            period_start=project.planned_start,
            period_end=max(handover.actual_end or today(), project.planned_start),
            language=form.language.data or "es",
            sections=HANDOVER_SECTIONS,
            narrative=form.narrative.data or "",
        )
        started = _start(form, report_request, "project_id")
        if started is not None:
            return started
    return render_template("reports/handover_form.html", form=form), 422 if request.method == "POST" else 200


@bp.get("/<int:report_id>")
@login_required
def show(report_id: int) -> str:
    report = _report_or_404(report_id)
    if job_fail_if_stalled(db.session(), report.job):
        db.session.commit()
    return render_template("reports/show.html", report=report)


@bp.get("/<int:report_id>/status")
@login_required
def status(report_id: int) -> Response:
    report = _report_or_404(report_id)
    if job_fail_if_stalled(db.session(), report.job):
        db.session.commit()
    return jsonify(report.state(url_for("reports.download", report_id=report.id)))


@bp.get("/<int:report_id>/download")
@login_required
def download(report_id: int) -> Response:
    report = _report_or_404(report_id)
    if not report.ready or report.file_key is None:
        abort(404)
    return pdf_response(report, report.file_key)


def pdf_response(report: Report, file_key: str) -> Response:
    """The built report as a download, with its SHA-256 (the pages here and the API both send it this way)."""
    response = send_file(
        storage().open(file_key),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=report.filename(),
        max_age=0,
    )
    response.headers["X-Content-SHA256"] = report.sha256 or ""
    return response


@bp.post("/<int:report_id>/retry")
@login_required
def retry(report_id: int) -> BaseResponse:
    report = _report_or_404(report_id)
    require(can_generate_report(current_user))
    if not RetryForm().validate_on_submit():
        abort(400)
    try:
        job = services.report_retry(db.session(), report)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "warning")
    else:
        db.session.commit()
        job_start(job.id)
        flash(_("The report is being prepared again."), "info")
    return redirect(url_for("reports.show", report_id=report.id))
