"""``/api/v1/reports``: ask for a donor progress report (built in the background), follow it, download the PDF."""

from __future__ import annotations

from typing import Any

from flask import jsonify, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers.response import Response

from app.api.blueprint import bp
from app.api.http import created_unversioned, page, visible_or_404
from app.api.inputs import MAX_ID, Field, json_body, parse_fields
from app.api.problems import ApiProblem
from app.api.serializers import iso
from app.core.enums import ReportScope, ReportSection
from app.core.jobs.runner import job_start
from app.core.permissions import can_generate_report, can_list_reports, can_view_report, require
from app.extensions import db
from app.reports import services
from app.reports.gather import ReportRequest
from app.reports.models import Report
from app.reports.views import pdf_response

REPORT_FIELDS = {
    "scope": Field("enum", required=True, enum_type=ReportScope),
    "period_start": Field("date", required=True),
    "period_end": Field("date", required=True),
    "language": Field("enum", choices=services.LANGUAGES),
    "sections": Field("choices", enum_type=ReportSection, description="Defaults to every section."),
    "project_id": Field("integer", nullable=True, minimum=1, maximum=MAX_ID, description="For scope project."),
    "center_id": Field("integer", nullable=True, minimum=1, maximum=MAX_ID, description="For scope center."),
    "donor_id": Field("integer", nullable=True, minimum=1, maximum=MAX_ID, description="The donor it is made for."),
    "narrative": Field("string", max_length=20000),
    "next_steps": Field("string", max_length=20000),
}


def report_json(report: Report) -> dict[str, Any]:
    job = report.job
    links = {"self": url_for("api.report_get", report_id=report.id)}
    if report.ready:
        links["file"] = url_for("api.report_file", report_id=report.id)
    return {
        "id": report.id,
        "kind": report.kind.value,
        "scope": report.scope.value,
        "project_id": report.project_id,
        "center_id": report.center_id,
        "donor_id": report.donor_id,
        "period_start": iso(report.period_start),
        "period_end": iso(report.period_end),
        "language": report.language,
        "sections": [section for section in report.sections.split(",") if section],
        "status": report.status.value,
        "progress": job.progress if job else 0,
        "error": job.error if job else "",
        "ready": report.ready,
        "sha256": report.sha256,
        "size_bytes": report.size_bytes,
        "pages": report.pages,
        "created_at": iso(report.created_at),
        "links": links,
    }


def _visible_report(report_id: int) -> Report:
    return visible_or_404(Report, report_id, lambda report: can_view_report(current_user, report))


@bp.get("/reports")
def reports_list() -> Response:
    require(can_list_reports(current_user))
    render = lambda rows: [report_json(r) for r in rows]  # noqa: E731
    return page(services.reports_visible_query(current_user), Report.id, render, "api.reports_list")


@bp.post("/reports")
def report_create() -> Response:
    require(can_generate_report(current_user))
    values = parse_fields(json_body(), REPORT_FIELDS)
    values["sections"] = tuple(values["sections"]) if "sections" in values else tuple(ReportSection)
    report = services.report_create(db.session(), ReportRequest(**values))
    db.session.commit()
    job_start(report.job_id or 0)
    db.session.refresh(report)
    return created_unversioned(report_json(report), status=202)


@bp.get("/reports/<int:report_id>")
def report_get(report_id: int) -> Response:
    return jsonify(report_json(_visible_report(report_id)))


@bp.get("/reports/<int:report_id>/file")
def report_file(report_id: int) -> Response:
    report = _visible_report(report_id)
    if not report.ready or report.file_key is None:
        raise ApiProblem(404, _("This report's file is not ready yet: follow its status until it is."))
    return pdf_response(report, report.file_key)
