"""A project's documents and site assessments: read-only lists, narrowed as the web pages narrow them (a donor sees
approved or signed documents and approved assessments of the projects it funds)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_login import current_user
from werkzeug.wrappers.response import Response

from app.api.blueprint import bp
from app.api.documents import document_json
from app.api.http import page
from app.api.inputs import query_choice
from app.api.projects import visible_project
from app.api.serializers import decimal_text, iso
from app.assessments.models import Assessment
from app.assessments.services import assessments_visible_query
from app.core.enums import AssessmentStatus, AssessmentType, DocumentKind, DocumentStatus
from app.core.permissions import can_view_staff_only_data
from app.documents.models import Document
from app.documents.services import documents_visible_query


@bp.get("/projects/<int:project_id>/documents")
def documents_list(project_id: int) -> Response:
    project = visible_project(project_id)
    query = documents_visible_query(current_user, None, project.id)
    kind, status = query_choice("kind", tuple(DocumentKind)), query_choice("status", tuple(DocumentStatus))
    if kind:
        query = query.where(Document.kind == DocumentKind(kind))
    if status:
        query = query.where(Document.status == DocumentStatus(status))
    render = lambda rows: [document_json(d) for d in rows]  # noqa: E731
    return page(query, Document.id, render, "api.documents_list", ("kind", "status"), project_id=project.id)


def assessment_json(assessment: Assessment) -> dict[str, Any]:
    staff = can_view_staff_only_data(current_user)
    return {
        "id": assessment.id,
        "center_id": assessment.center_id,
        "project_id": assessment.project_id,
        "assessment_type": assessment.assessment_type.value,
        "assessed_on": iso(assessment.assessed_on),
        "status": assessment.status.value,
        "summary": assessment.summary,
        "figures": {
            "occupancy_peak": assessment.occupancy_peak,
            "covered_area_m2": decimal_text(assessment.covered_area_m2),
            "toilets": assessment.toilets,
            "accessible_toilets": assessment.accessible_toilets,
            "showers": assessment.showers,
            "taps": assessment.taps,
            "water_litres_per_day": decimal_text(assessment.water_litres_per_day),
        },
        "author_id": assessment.author_id if staff else None,
        "review_comment": assessment.review_comment if staff else None,
        "submitted_at": iso(assessment.submitted_at),
        "decided_at": iso(assessment.decided_at),
        "supersedes_id": assessment.supersedes_id,
        "version": assessment.version,
        "links": {"page": url_for("assessments.show", assessment_id=assessment.id)},
    }


@bp.get("/projects/<int:project_id>/assessments")
def assessments_list(project_id: int) -> Response:
    project = visible_project(project_id)
    query = assessments_visible_query(current_user).where(Assessment.project_id == project.id)
    kind = query_choice("assessment_type", tuple(AssessmentType))
    status = query_choice("status", tuple(AssessmentStatus))
    if kind:
        query = query.where(Assessment.assessment_type == AssessmentType(kind))
    if status:
        query = query.where(Assessment.status == AssessmentStatus(status))
    render = lambda rows: [assessment_json(a) for a in rows]  # noqa: E731
    filters = ("assessment_type", "status")
    return page(query, Assessment.id, render, "api.assessments_list", filters, project_id=project.id)
