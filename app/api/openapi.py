"""The OpenAPI 3.1 description of ``/api/v1``, written as data next to the views it describes.

Request bodies are built from the same :class:`~app.api.inputs.Field` tables the views parse with; responses
describe what :mod:`app.api.serializers` and :mod:`app.api.problems` produce. A test runs Schemathesis against the
app with this document and fails on any 5xx or any response that breaks it.
"""

from __future__ import annotations

from typing import Any

from app.api.http import DEFAULT_LIMIT, MAX_LIMIT
from app.api.inputs import MAX_ID
from app.api.openapi_requests import REQUEST_SCHEMAS
from app.api.openapi_schemas import JSON, PROBLEM, SCHEMAS, enum_values, ref
from app.centers.geography import DEPARTMENTS
from app.core.enums import (
    AgreementKind,
    AgreementStatus,
    AssessmentStatus,
    AssessmentType,
    BudgetCategory,
    DocumentKind,
    DocumentStatus,
    MilestoneStatus,
    OrganizationKind,
    PhaseKind,
    PhotoStage,
    Population,
    ProjectState,
    SpendKind,
)
from app.core.spreadsheets import XLSX_MIMETYPE, XML_MIMETYPE, ZIP_MIMETYPE
from app.exports.tables import TABLES

BINARY = {"type": "string"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROBLEM_RESPONSE = {"description": "A problem (RFC 9457).", "content": {PROBLEM: {"schema": ref("Problem")}}}
ETAG_HEADER = {"ETag": {"description": "The record's version.", "schema": {"type": "string"}}}


def _id_parameter(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    }


def _query(name: str, schema: dict[str, Any], description: str = "") -> dict[str, Any]:
    parameter = {"name": name, "in": "query", "required": False, "schema": schema}
    if description:
        parameter["description"] = description
    return parameter


PAGE_PARAMETERS = [
    _query("limit", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}),
    _query("cursor", {"type": "string"}, "Opaque: copy it from the previous page's next link."),
]
IF_NONE_MATCH = {"name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"}}
IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": "The ETag of the version being changed; without it the answer is 428.",
    "schema": {"type": "string"},
}


def _body(schema: str) -> dict[str, Any]:
    return {"required": True, "content": {JSON: {"schema": ref(schema)}}}


def _multipart_body(schema: str) -> dict[str, Any]:
    return {"required": True, "content": {"multipart/form-data": {"schema": ref(schema)}}}


def _ok(schema: str, status: str = "200", description: str = "OK", etag: bool = False) -> dict[str, Any]:
    response: dict[str, Any] = {"description": description, "content": {JSON: {"schema": ref(schema)}}}
    if etag:
        response["headers"] = ETAG_HEADER
    return {status: response}


# What a prepared download can be: a ZIP (photos, CSV tables), IATI XML or an XLSX workbook.
FILES = (ZIP_MIMETYPE, XML_MIMETYPE, XLSX_MIMETYPE)


def _operation(summary: str, responses: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"summary": summary, "responses": {**responses, "default": PROBLEM_RESPONSE}, **extra}


def _list(summary: str, schema: str, filters: list[dict[str, Any]], path: list[dict[str, Any]] | None = None) -> Any:
    return _operation(summary, _ok(f"{schema}Page"), parameters=[*(path or []), *filters, *PAGE_PARAMETERS])


def _create(summary: str, schema: str, path: list[dict[str, Any]] | None = None) -> Any:
    return _operation(
        summary,
        _ok(schema, "201", "Created", etag=True),
        parameters=path or [],
        requestBody=_body(f"{schema}Create"),
    )


def _read(summary: str, schema: str, parameter: str) -> Any:
    return _operation(
        summary,
        {**_ok(schema, etag=True), "304": {"description": "Not modified (If-None-Match)", "headers": ETAG_HEADER}},
        parameters=[_id_parameter(parameter), IF_NONE_MATCH],
    )


def _patch(summary: str, schema: str, parameter: str) -> Any:
    return _operation(
        summary,
        _ok(schema, etag=True),
        parameters=[_id_parameter(parameter), IF_MATCH],
        requestBody=_body(f"{schema}Patch"),
    )


def _change(summary: str, parameters: list[dict[str, Any]], body: str | None = None) -> Any:
    """A change to a part of an agreement: made on the agreement's version (If-Match with its ETag), it answers
    the whole agreement with its new ETag."""
    extra: dict[str, Any] = {"parameters": [*parameters, IF_MATCH]}
    if body:
        extra["requestBody"] = _body(body)
    return _operation(summary, _ok("Agreement", etag=True), **extra)


def _paths() -> dict[str, Any]:
    project = [_id_parameter("project_id")]
    document = _id_parameter("document_id")
    agreement = _id_parameter("agreement_id")
    return {
        "/api/v1/tokens": {
            "post": _operation(
                "Exchange an e-mail and password for a personal access token",
                _ok("NewToken", "201", "Created"),
                requestBody=_body("TokenRequest"),
                security=[],
            )
        },
        "/api/v1/openapi.json": {
            "get": _operation(
                "This document",
                {"200": {"description": "OpenAPI 3.1", "content": {JSON: {"schema": {"type": "object"}}}}},
                security=[],
            )
        },
        "/api/v1/centers": {
            "get": _list(
                "Centers this user may see",
                "Center",
                [
                    _query("population", {"type": "string", "enum": enum_values(Population)}),
                    _query("department", {"type": "string", "enum": list(DEPARTMENTS)}),
                    _query("include_archived", {"type": "string", "enum": ["true", "false"]}),
                ],
            ),
            "post": _create("Add a center (administrators and project managers)", "Center"),
        },
        "/api/v1/centers/{center_id}": {
            "get": _read("A center", "Center", "center_id"),
            "patch": _patch("Change a center (send only the fields that change)", "Center", "center_id"),
        },
        "/api/v1/projects": {
            "get": _list(
                "Projects this user may see (a donor: those it funds)",
                "Project",
                [
                    _query("center_id", {"type": "integer", "minimum": 1, "maximum": MAX_ID}),
                    _query("phase", {"type": "string", "enum": enum_values(PhaseKind)}),
                    _query("status", {"type": "string", "enum": enum_values(ProjectState)}),
                ],
            ),
            "post": _create("Start a project with its five phases", "Project"),
        },
        "/api/v1/projects/{project_id}": {
            "get": _read("A project", "Project", "project_id"),
            "patch": _patch("Change a project (send only the fields that change)", "Project", "project_id"),
        },
        "/api/v1/projects/{project_id}/phases": {
            "get": _list("The project's five phases, in order", "Phase", [], project),
        },
        "/api/v1/projects/{project_id}/milestones": {
            "get": _list(
                "The project's milestones",
                "Milestone",
                [_query("status", {"type": "string", "enum": enum_values(MilestoneStatus)})],
                project,
            ),
            "post": _create("Log a milestone", "Milestone", project),
        },
        "/api/v1/projects/{project_id}/photos": {
            "get": _list(
                "The project's photos (a donor: only those of projects it funds that may leave the app)",
                "Photo",
                [
                    _query("phase", {"type": "string", "enum": enum_values(PhaseKind)}),
                    _query("stage", {"type": "string", "enum": enum_values(PhotoStage)}),
                ],
                project,
            ),
            "post": _operation(
                "Upload one photo of the project (the web form's checks: type, size, pixels, duplicates)",
                {"201": {"description": "Created", "content": {JSON: {"schema": ref("Photo")}}}},
                parameters=project,
                requestBody={"required": True, "content": {"multipart/form-data": {"schema": ref("PhotoUpload")}}},
            ),
        },
        "/api/v1/exports/iati.xml": {
            "get": _operation(
                "Every project this user may export, as IATI 2.03 activities (a donor: what it funds)",
                {"200": {"description": "IATI XML", "content": {"application/xml": {"schema": BINARY}}}},
            ),
        },
        "/api/v1/exports/portfolio.xlsx": {
            "get": _operation(
                "The portfolio as a workbook: one sheet per table",
                {"200": {"description": "XLSX", "content": {XLSX: {"schema": BINARY}}}},
            ),
        },
        "/api/v1/exports/portfolio-csv.zip": {
            "get": _operation(
                "Every table of the portfolio as CSV with HXL hashtags, in one ZIP",
                {"200": {"description": "ZIP", "content": {"application/zip": {"schema": BINARY}}}},
            ),
        },
        "/api/v1/exports/{table}.csv": {
            "get": _operation(
                "One table of the portfolio as CSV with HXL hashtags",
                {"200": {"description": "CSV", "content": {"text/csv": {"schema": BINARY}}}},
                parameters=[
                    {
                        "name": "table",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "enum": list(TABLES)},
                    }
                ],
            ),
        },
        "/api/v1/photos/{photo_id}": {
            "get": _operation("A photo's description", _ok("Photo"), parameters=[_id_parameter("photo_id")]),
        },
        "/api/v1/photos/{photo_id}/image.jpg": {
            "get": _operation(
                "The photo as shown in the app: JPEG, camera metadata removed, redactions applied (409 while a large "
                "photo's copy is still being made, or when its pixels could not be read)",
                {"200": {"description": "JPEG", "content": {"image/jpeg": {"schema": {"type": "string"}}}}},
                parameters=[_id_parameter("photo_id")],
            ),
        },
        "/api/v1/projects/{project_id}/iati.xml": {
            "get": _operation(
                "The project as an IATI 2.03 activity (a donor: only the budget lines it funds)",
                {"200": {"description": "IATI XML", "content": {"application/xml": {"schema": {"type": "string"}}}}},
                parameters=project,
            ),
        },
        "/api/v1/projects/{project_id}/budget-lines": {
            "get": _list(
                "The project's budget lines (a donor: only those it funds)",
                "BudgetLine",
                [
                    _query("phase", {"type": "string", "enum": enum_values(PhaseKind)}),
                    _query("category", {"type": "string", "enum": enum_values(BudgetCategory)}),
                ],
                project,
            ),
            "post": _create("Add a line to the project's budget", "BudgetLine", project),
        },
        "/api/v1/budget-lines/{line_id}": {
            "get": _read("A budget line", "BudgetLine", "line_id"),
            "patch": _patch("Change a budget line (its currency only while it has none)", "BudgetLine", "line_id"),
            "delete": _operation(
                "Remove a budget line that has no commitments or expenditures",
                {"204": {"description": "Removed"}},
                parameters=[_id_parameter("line_id"), IF_MATCH],
            ),
        },
        "/api/v1/projects/{project_id}/documents": {
            "get": _list(
                "The project's documents (a donor: approved and signed ones)",
                "Document",
                [
                    _query("kind", {"type": "string", "enum": enum_values(DocumentKind)}),
                    _query("status", {"type": "string", "enum": enum_values(DocumentStatus)}),
                ],
                project,
            ),
            "post": _operation(
                "Upload a document of the project (a draft; its content decides its type, not its name)",
                _ok("Document", "201", "Created"),
                parameters=project,
                requestBody=_multipart_body("DocumentUpload"),
            ),
        },
        "/api/v1/documents/{document_id}": {
            "get": _operation("A document and its latest version", _ok("Document"), parameters=[document]),
        },
        "/api/v1/documents/{document_id}/file": {
            "get": _operation(
                "The latest version's file, as an attachment",
                {"200": {"description": "The file", "content": {"application/octet-stream": {"schema": BINARY}}}},
                parameters=[document],
            ),
        },
        "/api/v1/documents/{document_id}/versions": {
            "post": _operation(
                "Add a version (the document goes back to draft)",
                _ok("Document", "201", "Created"),
                parameters=[document],
                requestBody=_multipart_body("DocumentVersionUpload"),
            ),
        },
        "/api/v1/documents/{document_id}/status": {
            "post": _operation(
                "Set a document's status: draft, approved, signed (project managers and administrators)",
                _ok("Document"),
                parameters=[document],
                requestBody=_body("DocumentStatusChange"),
            ),
        },
        "/api/v1/projects/{project_id}/assessments": {
            "get": _list(
                "The project's site assessments (a donor: approved ones)",
                "Assessment",
                [
                    _query("assessment_type", {"type": "string", "enum": enum_values(AssessmentType)}),
                    _query("status", {"type": "string", "enum": enum_values(AssessmentStatus)}),
                ],
                project,
            ),
            "post": _operation(
                "Start a draft assessment of the project's center (summary, figures and answers may come with it)",
                _ok("AssessmentDetail", "201", "Created", etag=True),
                parameters=project,
                requestBody=_body("AssessmentCreate"),
            ),
        },
        "/api/v1/checklists": {
            "get": _operation("The active checklists and their questions (staff)", _ok("ChecklistPage")),
        },
        "/api/v1/assessments/{assessment_id}": {
            "get": _read("An assessment with its checklist answers", "AssessmentDetail", "assessment_id"),
            "patch": _patch(
                "Fill in a draft: date, summary, figures, answers (its author or an administrator)",
                "AssessmentDetail",
                "assessment_id",
            )
            | {"requestBody": _body("AssessmentPatch")},
        },
        "/api/v1/assessments/{assessment_id}/submission": {
            "post": _operation(
                "Send a draft or returned assessment for review",
                _ok("AssessmentDetail", etag=True),
                parameters=[_id_parameter("assessment_id")],
            ),
        },
        "/api/v1/assessments/{assessment_id}/review": {
            "post": _operation(
                "Approve a submitted assessment or return it with comments (not its author)",
                _ok("AssessmentDetail", etag=True),
                parameters=[_id_parameter("assessment_id")],
                requestBody=_body("AssessmentReview"),
            ),
        },
        "/api/v1/projects/{project_id}/expenditures": {
            "get": _list(
                "The project's commitments and expenditures (a donor: those on lines it funds)",
                "Expenditure",
                [_query("kind", {"type": "string", "enum": enum_values(SpendKind)})],
                project,
            ),
            "post": _operation(
                "Record a commitment or an expenditure against one of the project's lines",
                _ok("Expenditure", "201", "Created"),
                parameters=project,
                requestBody=_body("ExpenditureCreate"),
            ),
        },
        "/api/v1/expenditures/{entry_id}": {
            "get": _operation("An entry", _ok("Expenditure"), parameters=[_id_parameter("entry_id")]),
        },
        "/api/v1/expenditures/{entry_id}/reversal": {
            "post": _operation(
                "Reverse an entry (entries are never edited): the same amounts negated, with the reason",
                _ok("Expenditure", "201", "Created"),
                parameters=[_id_parameter("entry_id")],
                requestBody=_body("Reversal"),
            ),
        },
        "/api/v1/organizations": {
            "get": _list(
                "Organizations: funders, parties, administrators of centers",
                "Organization",
                [_query("kind", {"type": "string", "enum": enum_values(OrganizationKind)})],
            ),
        },
        "/api/v1/agreements": {
            "get": _list(
                "Partnership agreements (a donor: the signed agreements of projects it funds)",
                "Agreement",
                [
                    _query("center_id", {"type": "integer", "minimum": 1, "maximum": MAX_ID}),
                    _query("status", {"type": "string", "enum": enum_values(AgreementStatus)}),
                    _query("kind", {"type": "string", "enum": enum_values(AgreementKind)}),
                    _query("organization_id", {"type": "integer", "minimum": 1, "maximum": MAX_ID}),
                ],
            ),
            "post": _create("Record a new agreement (a draft without parties)", "Agreement"),
        },
        "/api/v1/agreements/{agreement_id}": {
            "get": _read("An agreement with its parties and commitments", "Agreement", "agreement_id"),
            "patch": _patch("Change or sign an agreement (only the fields that change)", "Agreement", "agreement_id"),
        },
        "/api/v1/agreements/{agreement_id}/parties": {
            "post": _change("Add a party to the agreement", [agreement], "PartyCreate"),
        },
        "/api/v1/agreements/{agreement_id}/parties/{organization_id}": {
            "delete": _change(
                "Remove a party without commitments (a signed agreement keeps two)",
                [agreement, _id_parameter("organization_id")],
            ),
        },
        "/api/v1/agreements/{agreement_id}/commitments": {
            "post": _change("Record what a party commits to, and by when", [agreement], "CommitmentCreate"),
        },
        "/api/v1/commitments/{commitment_id}/done": {
            "post": _change("Mark a commitment fulfilled", [_id_parameter("commitment_id")], "CommitmentDone"),
        },
        "/api/v1/commitments/{commitment_id}/reopen": {
            "post": _change("Reopen a commitment marked done by mistake", [_id_parameter("commitment_id")]),
        },
        "/api/v1/commitments/{commitment_id}": {
            "delete": _change("Remove a commitment", [_id_parameter("commitment_id")]),
        },
        "/api/v1/reports": {
            "get": _list("Donor reports (a donor: those made for it)", "Report", []),
            "post": _operation(
                "Ask for a donor progress report; it is built in the background",
                {"202": {"description": "Accepted: follow links.self", "content": {JSON: {"schema": ref("Report")}}}},
                requestBody=_body("ReportCreate"),
            ),
        },
        "/api/v1/reports/{report_id}": {
            "get": _operation(
                "Where a report stands (status, progress, error) and, once ready, its file",
                _ok("Report"),
                parameters=[_id_parameter("report_id")],
            ),
        },
        "/api/v1/reports/{report_id}/file": {
            "get": _operation(
                "The report's PDF (404 until it is ready)",
                {"200": {"description": "PDF", "content": {"application/pdf": {"schema": {"type": "string"}}}}},
                parameters=[_id_parameter("report_id")],
            ),
        },
        "/api/v1/downloads": {
            "get": _list("Your prepared files not yet removed (only yours)", "Download", []),
            "post": _operation(
                "Ask for a file prepared in the background: a ZIP of photos (photo_ids) or the whole portfolio as "
                "IATI XML, XLSX or CSV tables, built with your permissions (429 with three already in preparation)",
                {"202": {"description": "Accepted: follow links.self", "content": {JSON: {"schema": ref("Download")}}}},
                requestBody=_body("DownloadCreate"),
            ),
        },
        "/api/v1/downloads/{download_id}": {
            "get": _operation(
                "Where a prepared file stands (status, progress, error) and, once ready, its link",
                _ok("Download"),
                parameters=[_id_parameter("download_id")],
            ),
        },
        "/api/v1/downloads/{download_id}/file": {
            "get": _operation(
                "The prepared file, as an attachment (404 until it is ready)",
                {
                    "200": {
                        "description": "The file",
                        "content": {mime: {"schema": {"type": "string"}} for mime in FILES},
                    }
                },
                parameters=[_id_parameter("download_id")],
            ),
        },
        "/api/v1/phases/{phase_id}": {
            "get": _read("A phase", "Phase", "phase_id"),
            "patch": _patch(
                "Steer a phase: status, dates, gate evidence (closing it needs its gate, or an administrator's reason)",
                "Phase",
                "phase_id",
            ),
        },
        "/api/v1/milestones/{milestone_id}": {
            "get": _read("A milestone", "Milestone", "milestone_id"),
            "patch": _patch("Change or close a milestone", "Milestone", "milestone_id"),
        },
    }


def openapi_document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Rehabilita API",
            "version": "1",
            "description": (
                "The rehabilitation of migrant reception centers in Honduras: centers, projects, phases and "
                "milestones, with the same permissions as the web pages. Authenticate with a personal access token "
                "(Authorization: Bearer <token>), made on the account page or with POST /api/v1/tokens. Errors are "
                "application/problem+json. Single records carry an ETag; a PATCH needs If-Match."
            ),
        },
        "paths": _paths(),
        "components": {
            "schemas": SCHEMAS | REQUEST_SCHEMAS,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
    }
