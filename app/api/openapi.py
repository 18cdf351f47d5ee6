"""The OpenAPI 3.1 description of ``/api/v1``, written as data next to the views it describes.

Request bodies are built from the same :class:`~app.api.inputs.Field` tables the views parse with; responses
describe what :mod:`app.api.serializers` and :mod:`app.api.problems` produce. A test runs Schemathesis against the
app with this document and fails on any 5xx or any response that breaks it.
"""

from __future__ import annotations

from typing import Any

from app.api.inputs import MAX_ID
from app.api.openapi_parts import (
    BINARY,
    FILES,
    IF_MATCH,
    XLSX,
    agreement_change,
    creation,
    id_parameter,
    json_body,
    listing,
    multipart_body,
    ok,
    operation,
    patching,
    query_parameter,
    reading,
)
from app.api.openapi_requests import REQUEST_SCHEMAS
from app.api.openapi_schemas import JSON, SCHEMAS, enum_values, ref
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
from app.exports.tables import TABLES


def _paths() -> dict[str, Any]:
    project = [id_parameter("project_id")]
    document = id_parameter("document_id")
    agreement = id_parameter("agreement_id")
    return {
        "/api/v1/tokens": {
            "post": operation(
                "Exchange an e-mail and password for a personal access token",
                ok("NewToken", "201", "Created"),
                requestBody=json_body("TokenRequest"),
                security=[],
            )
        },
        "/api/v1/openapi.json": {
            "get": operation(
                "This document",
                {"200": {"description": "OpenAPI 3.1", "content": {JSON: {"schema": {"type": "object"}}}}},
                security=[],
            )
        },
        "/api/v1/centers": {
            "get": listing(
                "Centers this user may see",
                "Center",
                [
                    query_parameter("population", {"type": "string", "enum": enum_values(Population)}),
                    query_parameter("department", {"type": "string", "enum": list(DEPARTMENTS)}),
                    query_parameter("include_archived", {"type": "string", "enum": ["true", "false"]}),
                ],
            ),
            "post": creation("Add a center (administrators and project managers)", "Center"),
        },
        "/api/v1/centers/{center_id}": {
            "get": reading("A center", "Center", "center_id"),
            "patch": patching("Change a center (send only the fields that change)", "Center", "center_id"),
        },
        "/api/v1/projects": {
            "get": listing(
                "Projects this user may see (a donor: those it funds)",
                "Project",
                [
                    query_parameter("center_id", {"type": "integer", "minimum": 1, "maximum": MAX_ID}),
                    query_parameter("phase", {"type": "string", "enum": enum_values(PhaseKind)}),
                    query_parameter("status", {"type": "string", "enum": enum_values(ProjectState)}),
                ],
            ),
            "post": creation("Start a project with its five phases", "Project"),
        },
        "/api/v1/projects/{project_id}": {
            "get": reading("A project", "Project", "project_id"),
            "patch": patching("Change a project (send only the fields that change)", "Project", "project_id"),
        },
        "/api/v1/projects/{project_id}/phases": {
            "get": listing("The project's five phases, in order", "Phase", [], project),
        },
        "/api/v1/projects/{project_id}/milestones": {
            "get": listing(
                "The project's milestones",
                "Milestone",
                [query_parameter("status", {"type": "string", "enum": enum_values(MilestoneStatus)})],
                project,
            ),
            "post": creation("Log a milestone", "Milestone", project),
        },
        "/api/v1/projects/{project_id}/photos": {
            "get": listing(
                "The project's photos (a donor: only those of projects it funds that may leave the app)",
                "Photo",
                [
                    query_parameter("phase", {"type": "string", "enum": enum_values(PhaseKind)}),
                    query_parameter("stage", {"type": "string", "enum": enum_values(PhotoStage)}),
                ],
                project,
            ),
            "post": operation(
                "Upload one photo of the project (the web form's checks: type, size, pixels, duplicates)",
                {"201": {"description": "Created", "content": {JSON: {"schema": ref("Photo")}}}},
                parameters=project,
                requestBody={"required": True, "content": {"multipart/form-data": {"schema": ref("PhotoUpload")}}},
            ),
        },
        "/api/v1/exports/iati.xml": {
            "get": operation(
                "Every project this user may export, as IATI 2.03 activities (a donor: what it funds)",
                {"200": {"description": "IATI XML", "content": {"application/xml": {"schema": BINARY}}}},
            ),
        },
        "/api/v1/exports/portfolio.xlsx": {
            "get": operation(
                "The portfolio as a workbook: one sheet per table",
                {"200": {"description": "XLSX", "content": {XLSX: {"schema": BINARY}}}},
            ),
        },
        "/api/v1/exports/portfolio-csv.zip": {
            "get": operation(
                "Every table of the portfolio as CSV with HXL hashtags, in one ZIP",
                {"200": {"description": "ZIP", "content": {"application/zip": {"schema": BINARY}}}},
            ),
        },
        "/api/v1/exports/{table}.csv": {
            "get": operation(
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
            "get": operation("A photo's description", ok("Photo"), parameters=[id_parameter("photo_id")]),
        },
        "/api/v1/photos/{photo_id}/image.jpg": {
            "get": operation(
                "The photo as shown in the app: JPEG, camera metadata removed, redactions applied (409 while a large "
                "photo's copy is still being made, or when its pixels could not be read)",
                {"200": {"description": "JPEG", "content": {"image/jpeg": {"schema": {"type": "string"}}}}},
                parameters=[id_parameter("photo_id")],
            ),
        },
        "/api/v1/projects/{project_id}/iati.xml": {
            "get": operation(
                "The project as an IATI 2.03 activity (a donor: only the budget lines it funds)",
                {"200": {"description": "IATI XML", "content": {"application/xml": {"schema": {"type": "string"}}}}},
                parameters=project,
            ),
        },
        "/api/v1/projects/{project_id}/budget-lines": {
            "get": listing(
                "The project's budget lines (a donor: only those it funds)",
                "BudgetLine",
                [
                    query_parameter("phase", {"type": "string", "enum": enum_values(PhaseKind)}),
                    query_parameter("category", {"type": "string", "enum": enum_values(BudgetCategory)}),
                ],
                project,
            ),
            "post": creation("Add a line to the project's budget", "BudgetLine", project),
        },
        "/api/v1/budget-lines/{line_id}": {
            "get": reading("A budget line", "BudgetLine", "line_id"),
            "patch": patching("Change a budget line (its currency only while it has none)", "BudgetLine", "line_id"),
            "delete": operation(
                "Remove a budget line that has no commitments or expenditures",
                {"204": {"description": "Removed"}},
                parameters=[id_parameter("line_id"), IF_MATCH],
            ),
        },
        "/api/v1/projects/{project_id}/documents": {
            "get": listing(
                "The project's documents (a donor: approved and signed ones)",
                "Document",
                [
                    query_parameter("kind", {"type": "string", "enum": enum_values(DocumentKind)}),
                    query_parameter("status", {"type": "string", "enum": enum_values(DocumentStatus)}),
                ],
                project,
            ),
            "post": operation(
                "Upload a document of the project (a draft; its content decides its type, not its name)",
                ok("Document", "201", "Created"),
                parameters=project,
                requestBody=multipart_body("DocumentUpload"),
            ),
        },
        "/api/v1/documents/{document_id}": {
            "get": operation("A document and its latest version", ok("Document"), parameters=[document]),
        },
        "/api/v1/documents/{document_id}/file": {
            "get": operation(
                "The latest version's file, as an attachment",
                {"200": {"description": "The file", "content": {"application/octet-stream": {"schema": BINARY}}}},
                parameters=[document],
            ),
        },
        "/api/v1/documents/{document_id}/versions": {
            "post": operation(
                "Add a version (the document goes back to draft)",
                ok("Document", "201", "Created"),
                parameters=[document],
                requestBody=multipart_body("DocumentVersionUpload"),
            ),
        },
        "/api/v1/documents/{document_id}/status": {
            "post": operation(
                "Set a document's status: draft, approved, signed (project managers and administrators)",
                ok("Document"),
                parameters=[document],
                requestBody=json_body("DocumentStatusChange"),
            ),
        },
        "/api/v1/projects/{project_id}/assessments": {
            "get": listing(
                "The project's site assessments (a donor: approved ones)",
                "Assessment",
                [
                    query_parameter("assessment_type", {"type": "string", "enum": enum_values(AssessmentType)}),
                    query_parameter("status", {"type": "string", "enum": enum_values(AssessmentStatus)}),
                ],
                project,
            ),
            "post": operation(
                "Start a draft assessment of the project's center (summary, figures and answers may come with it)",
                ok("AssessmentDetail", "201", "Created", etag=True),
                parameters=project,
                requestBody=json_body("AssessmentCreate"),
            ),
        },
        "/api/v1/checklists": {
            "get": operation("The active checklists and their questions (staff)", ok("ChecklistPage")),
        },
        "/api/v1/assessments/{assessment_id}": {
            "get": reading("An assessment with its checklist answers", "AssessmentDetail", "assessment_id"),
            "patch": patching(
                "Fill in a draft: date, summary, figures, answers (its author or an administrator)",
                "AssessmentDetail",
                "assessment_id",
            )
            | {"requestBody": json_body("AssessmentPatch")},
        },
        "/api/v1/assessments/{assessment_id}/submission": {
            "post": operation(
                "Send a draft or returned assessment for review",
                ok("AssessmentDetail", etag=True),
                parameters=[id_parameter("assessment_id")],
            ),
        },
        "/api/v1/assessments/{assessment_id}/review": {
            "post": operation(
                "Approve a submitted assessment or return it with comments (not its author)",
                ok("AssessmentDetail", etag=True),
                parameters=[id_parameter("assessment_id")],
                requestBody=json_body("AssessmentReview"),
            ),
        },
        "/api/v1/projects/{project_id}/expenditures": {
            "get": listing(
                "The project's commitments and expenditures (a donor: those on lines it funds)",
                "Expenditure",
                [query_parameter("kind", {"type": "string", "enum": enum_values(SpendKind)})],
                project,
            ),
            "post": operation(
                "Record a commitment or an expenditure against one of the project's lines",
                ok("Expenditure", "201", "Created"),
                parameters=project,
                requestBody=json_body("ExpenditureCreate"),
            ),
        },
        "/api/v1/expenditures/{entry_id}": {
            "get": operation("An entry", ok("Expenditure"), parameters=[id_parameter("entry_id")]),
        },
        "/api/v1/expenditures/{entry_id}/reversal": {
            "post": operation(
                "Reverse an entry (entries are never edited): the same amounts negated, with the reason",
                ok("Expenditure", "201", "Created"),
                parameters=[id_parameter("entry_id")],
                requestBody=json_body("Reversal"),
            ),
        },
        "/api/v1/organizations": {
            "get": listing(
                "Organizations: funders, parties, administrators of centers",
                "Organization",
                [query_parameter("kind", {"type": "string", "enum": enum_values(OrganizationKind)})],
            ),
        },
        "/api/v1/agreements": {
            "get": listing(
                "Partnership agreements (a donor: the signed agreements of projects it funds)",
                "Agreement",
                [
                    query_parameter("center_id", {"type": "integer", "minimum": 1, "maximum": MAX_ID}),
                    query_parameter("status", {"type": "string", "enum": enum_values(AgreementStatus)}),
                    query_parameter("kind", {"type": "string", "enum": enum_values(AgreementKind)}),
                    query_parameter("organization_id", {"type": "integer", "minimum": 1, "maximum": MAX_ID}),
                ],
            ),
            "post": creation("Record a new agreement (a draft without parties)", "Agreement"),
        },
        "/api/v1/agreements/{agreement_id}": {
            "get": reading("An agreement with its parties and commitments", "Agreement", "agreement_id"),
            "patch": patching("Change or sign an agreement (only the fields that change)", "Agreement", "agreement_id"),
        },
        "/api/v1/agreements/{agreement_id}/parties": {
            "post": agreement_change("Add a party to the agreement", [agreement], "PartyCreate"),
        },
        "/api/v1/agreements/{agreement_id}/parties/{organization_id}": {
            "delete": agreement_change(
                "Remove a party without commitments (a signed agreement keeps two)",
                [agreement, id_parameter("organization_id")],
            ),
        },
        "/api/v1/agreements/{agreement_id}/commitments": {
            "post": agreement_change("Record what a party commits to, and by when", [agreement], "CommitmentCreate"),
        },
        "/api/v1/commitments/{commitment_id}/done": {
            "post": agreement_change("Mark a commitment fulfilled", [id_parameter("commitment_id")], "CommitmentDone"),
        },
        "/api/v1/commitments/{commitment_id}/reopen": {
            "post": agreement_change("Reopen a commitment marked done by mistake", [id_parameter("commitment_id")]),
        },
        "/api/v1/commitments/{commitment_id}": {
            "delete": agreement_change("Remove a commitment", [id_parameter("commitment_id")]),
        },
        "/api/v1/reports": {
            "get": listing("Donor reports (a donor: those made for it)", "Report", []),
            "post": operation(
                "Ask for a donor progress report; it is built in the background",
                {"202": {"description": "Accepted: follow links.self", "content": {JSON: {"schema": ref("Report")}}}},
                requestBody=json_body("ReportCreate"),
            ),
        },
        "/api/v1/reports/{report_id}": {
            "get": operation(
                "Where a report stands (status, progress, error) and, once ready, its file",
                ok("Report"),
                parameters=[id_parameter("report_id")],
            ),
        },
        "/api/v1/reports/{report_id}/file": {
            "get": operation(
                "The report's PDF (404 until it is ready)",
                {"200": {"description": "PDF", "content": {"application/pdf": {"schema": {"type": "string"}}}}},
                parameters=[id_parameter("report_id")],
            ),
        },
        "/api/v1/downloads": {
            "get": listing("Your prepared files not yet removed (only yours)", "Download", []),
            "post": operation(
                "Ask for a file prepared in the background: a ZIP of photos (photo_ids) or the whole portfolio as "
                "IATI XML, XLSX or CSV tables, built with your permissions (429 with three already in preparation)",
                {"202": {"description": "Accepted: follow links.self", "content": {JSON: {"schema": ref("Download")}}}},
                requestBody=json_body("DownloadCreate"),
            ),
        },
        "/api/v1/downloads/{download_id}": {
            "get": operation(
                "Where a prepared file stands (status, progress, error) and, once ready, its link",
                ok("Download"),
                parameters=[id_parameter("download_id")],
            ),
        },
        "/api/v1/downloads/{download_id}/file": {
            "get": operation(
                "The prepared file, as an attachment (404 until it is ready)",
                {
                    "200": {
                        "description": "The file",
                        "content": {mime: {"schema": {"type": "string"}} for mime in FILES},
                    }
                },
                parameters=[id_parameter("download_id")],
            ),
        },
        "/api/v1/phases/{phase_id}": {
            "get": reading("A phase", "Phase", "phase_id"),
            "patch": patching(
                "Steer a phase: status, dates, gate evidence (closing it needs its gate, or an administrator's reason)",
                "Phase",
                "phase_id",
            ),
        },
        "/api/v1/milestones/{milestone_id}": {
            "get": reading("A milestone", "Milestone", "milestone_id"),
            "patch": patching("Change or close a milestone", "Milestone", "milestone_id"),
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
