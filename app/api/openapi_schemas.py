"""The component schemas of the OpenAPI document for what the API answers: records, pages, problems. The request
bodies are in :mod:`app.api.openapi_requests`."""

from __future__ import annotations

from typing import Any

from app.api.inputs import DATE_PATTERN
from app.centers.geography import DEPARTMENTS
from app.core.enums import (
    AgreementKind,
    AgreementStatus,
    AnswerType,
    AssessmentStatus,
    AssessmentType,
    BudgetCategory,
    DocumentKind,
    DocumentStatus,
    DownloadKind,
    JobStatus,
    MilestoneStatus,
    OrganizationKind,
    PartyRole,
    PhaseKind,
    PhaseStatus,
    PhotoCopies,
    PhotoStage,
    Population,
    ProjectKind,
    ProjectState,
    ReportKind,
    ReportScope,
    ReportSection,
    SpendKind,
)

JSON = "application/json"
PROBLEM = "application/problem+json"


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(kind: str, **extra: Any) -> dict[str, Any]:
    return {"type": [kind, "null"], **extra}


def enum_values(kind: type) -> list[str]:
    return [member.value for member in kind]  # type: ignore[attr-defined]


DATE = {"type": "string", "format": "date", "pattern": DATE_PATTERN.pattern}
DATE_OR_NULL = {"type": ["string", "null"], "format": "date"}
TIME = {"type": "string", "format": "date-time"}
TIME_OR_NULL = {"type": ["string", "null"], "format": "date-time"}
ID = {"type": "integer", "minimum": 1}
DECIMAL = {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$"}
STAMPS = {"created_at": TIME, "updated_at": TIME, "version": {"type": "integer", "minimum": 1}}


def record(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": list(properties), "properties": properties}


def links(*names: str) -> dict[str, Any]:
    return record({name: {"type": "string"} for name in names})


SCHEMAS: dict[str, Any] = {
    "Problem": {
        "type": "object",
        "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "detail": {"type": "string"},
            "errors": {
                "type": "object",
                "description": "Messages per field of the request ('' for the body as a whole).",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
        },
    },
    "Center": record(
        {
            "id": ID,
            "code": {"type": "string"},
            "name": {"type": "string"},
            "population": {"type": "string", "enum": enum_values(Population)},
            "department": {"type": "string", "enum": list(DEPARTMENTS)},
            "municipality": {"type": "string"},
            "address": {"type": "string"},
            "latitude": nullable("string", description="Degrees; rounded to 0.01 for donors."),
            "longitude": nullable("string", description="Degrees; rounded to 0.01 for donors."),
            "capacity": nullable("integer"),
            "usual_occupancy": nullable("integer"),
            "administering_org_id": nullable("integer"),
            "contact_name": nullable("string", description="Null for donors."),
            "contact_phone": nullable("string", description="Null for donors."),
            "contact_email": nullable("string", description="Null for donors."),
            "archived": {"type": "boolean"},
            "archived_at": TIME_OR_NULL,
            **STAMPS,
            "links": links("self", "projects"),
        }
    ),
    "Project": record(
        {
            "id": ID,
            "code": {"type": "string"},
            "title": {"type": "string"},
            "objective": {"type": "string"},
            "kind": {"type": "string", "enum": enum_values(ProjectKind)},
            "center_id": ID,
            "manager_id": nullable("integer", description="Null for donors."),
            "funder_ids": {"type": "array", "items": ID},
            "planned_start": DATE,
            "planned_end": DATE,
            "current_phase": {"type": "string", "enum": enum_values(PhaseKind)},
            "status": {"type": "string", "enum": enum_values(ProjectState)},
            "physical_progress": {**DECIMAL, "description": "Per cent of the works done, as a string."},
            "last_activity_at": TIME_OR_NULL,
            **STAMPS,
            "links": links("self", "center", "phases", "milestones"),
        }
    ),
    "Phase": record(
        {
            "id": ID,
            "project_id": ID,
            "kind": {"type": "string", "enum": enum_values(PhaseKind)},
            "position": {"type": "integer", "minimum": 1},
            "status": {"type": "string", "enum": enum_values(PhaseStatus)},
            "planned_start": DATE_OR_NULL,
            "planned_end": DATE_OR_NULL,
            "actual_start": DATE_OR_NULL,
            "actual_end": DATE_OR_NULL,
            "gate_overridden": {"type": "boolean"},
            "gate_evidence": nullable("string", description="Null for donors."),
            **STAMPS,
            "links": links("self", "project"),
        }
    ),
    "Milestone": record(
        {
            "id": ID,
            "project_id": ID,
            "phase_id": ID,
            "title": {"type": "string"},
            "owner_id": nullable("integer", description="Null for donors."),
            "planned_date": DATE,
            "actual_date": DATE_OR_NULL,
            "status": {"type": "string", "enum": enum_values(MilestoneStatus)},
            "overdue": {"type": "boolean"},
            "notes": {"type": "string"},
            **STAMPS,
            "links": links("self", "project"),
        }
    ),
    "Photo": record(
        {
            "id": ID,
            "center_id": ID,
            "project_id": nullable("integer"),
            "original_filename": {"type": "string"},
            "mime": {"type": "string"},
            "size_bytes": {"type": "integer"},
            "width": {"type": "integer"},
            "height": {"type": "integer"},
            "sha256": {"type": "string"},
            "taken_at": nullable("string", description="When the camera says it was taken (local time, no zone)."),
            "caption": {"type": "string"},
            "tags": {"type": "string"},
            "location": {"type": "string"},
            "phase": nullable("string", enum=[*enum_values(PhaseKind), None]),
            "stage": nullable("string", enum=[*enum_values(PhotoStage), None]),
            "identifiable_people": {"type": "boolean"},
            "consent_recorded": {"type": "boolean"},
            "copies": {
                "type": "string",
                "enum": enum_values(PhotoCopies),
                "description": "Whether the display copy is made: a large photo gets it from a background job "
                "('pending' until then; 'failed' when its pixels could not be read). The image is served once "
                "'ready'.",
            },
            "created_at": TIME,
            "links": links("self", "image", "page"),
        }
    ),
    "Organization": record(
        {
            "id": ID,
            "name": {"type": "string"},
            "acronym": {"type": "string"},
            "kind": {"type": "string", "enum": enum_values(OrganizationKind)},
            "country": {"type": "string"},
            "iati_identifier": nullable("string"),
        }
    ),
    "Agreement": record(
        {
            "id": ID,
            "code": {"type": "string"},
            "kind": {"type": "string", "enum": enum_values(AgreementKind)},
            "subject": {"type": "string"},
            "center_id": ID,
            "project_id": nullable("integer"),
            "status": {"type": "string", "enum": enum_values(AgreementStatus)},
            "signed_on": DATE_OR_NULL,
            "starts_on": DATE_OR_NULL,
            "ends_on": DATE_OR_NULL,
            "signature_evidence": {"type": "string"},
            "notes": {"type": "string"},
            "parties": {
                "type": "array",
                "items": record({"organization_id": ID, "role": {"type": "string", "enum": enum_values(PartyRole)}}),
            },
            "commitments": {
                "type": "array",
                "items": record(
                    {
                        "id": ID,
                        "organization_id": ID,
                        "description": {"type": "string"},
                        "due_on": DATE,
                        "done_on": DATE_OR_NULL,
                        "overdue": {"type": "boolean"},
                        "notes": {"type": "string"},
                    }
                ),
            },
            **STAMPS,
            "links": links("self"),
        }
    ),
    "Money": record(
        {
            "amount": {**DECIMAL, "description": "A decimal string, never a float."},
            "currency": {"type": "string", "pattern": "^[A-Z]{3}$", "description": "ISO 4217"},
        }
    ),
    "BudgetLine": record(
        {
            "id": ID,
            "project_id": ID,
            "phase": {"type": "string", "enum": enum_values(PhaseKind)},
            "category": {"type": "string", "enum": enum_values(BudgetCategory)},
            "description": {"type": "string"},
            "quantity": DECIMAL,
            "unit": {"type": "string"},
            "unit_cost": ref("Money"),
            "total": ref("Money"),
            "funder_id": ID,
            **STAMPS,
            "links": links("self", "project"),
        }
    ),
    "Report": record(
        {
            "id": ID,
            "kind": {"type": "string", "enum": enum_values(ReportKind)},
            "scope": {"type": "string", "enum": enum_values(ReportScope)},
            "project_id": nullable("integer"),
            "center_id": nullable("integer"),
            "donor_id": nullable("integer"),
            "period_start": DATE,
            "period_end": DATE,
            "language": {"type": "string"},
            "sections": {"type": "array", "items": {"type": "string", "enum": enum_values(ReportSection)}},
            "status": {"type": "string", "enum": enum_values(JobStatus)},
            "progress": {"type": "integer", "minimum": 0, "maximum": 100},
            "error": {"type": "string"},
            "ready": {"type": "boolean"},
            "sha256": nullable("string"),
            "size_bytes": nullable("integer"),
            "pages": nullable("integer"),
            "created_at": TIME,
            "links": {
                "type": "object",
                "required": ["self"],
                "properties": {"self": {"type": "string"}, "file": {"type": "string"}},
            },
        }
    ),
    "Download": record(
        {
            "id": ID,
            "kind": {"type": "string", "enum": enum_values(DownloadKind)},
            "status": {"type": "string", "enum": enum_values(JobStatus)},
            "progress": {"type": "integer", "minimum": 0, "maximum": 100},
            "error": {"type": "string"},
            "ready": {"type": "boolean"},
            "filename": nullable("string"),
            "mime": nullable("string"),
            "size_bytes": nullable("integer"),
            "sha256": nullable("string"),
            "items": {"type": "integer", "description": "How many photos or projects went in."},
            "left_out": {
                "type": "integer",
                "description": "Photos asked for but kept out: identifiable people without recorded consent.",
            },
            "created_at": TIME,
            "expires_at": {**TIME, "description": "After this the file and the record are removed."},
            "links": {
                "type": "object",
                "required": ["self"],
                "properties": {"self": {"type": "string"}, "file": {"type": "string"}},
            },
        }
    ),
    "Document": record(
        {
            "id": ID,
            "center_id": ID,
            "project_id": nullable("integer"),
            "kind": {"type": "string", "enum": enum_values(DocumentKind)},
            "status": {"type": "string", "enum": enum_values(DocumentStatus)},
            "title": {"type": "string"},
            "description": {"type": "string"},
            "latest_version": {
                "oneOf": [
                    {"type": "null"},
                    record(
                        {
                            "number": {"type": "integer"},
                            "content_type": {"type": "string"},
                            "size_bytes": {"type": "integer"},
                            "sha256": {"type": "string"},
                            "original_filename": {"type": "string"},
                            "created_at": TIME,
                        }
                    ),
                ]
            },
            "created_at": TIME,
            "updated_at": TIME,
            "links": links("self", "file", "page"),
        }
    ),
    "Assessment": record(
        {
            "id": ID,
            "center_id": ID,
            "project_id": nullable("integer"),
            "assessment_type": {"type": "string", "enum": enum_values(AssessmentType)},
            "assessed_on": DATE,
            "status": {"type": "string", "enum": enum_values(AssessmentStatus)},
            "summary": {"type": "string"},
            "figures": record(
                {
                    "occupancy_peak": nullable("integer"),
                    "covered_area_m2": nullable("string"),
                    "toilets": nullable("integer"),
                    "accessible_toilets": nullable("integer"),
                    "showers": nullable("integer"),
                    "taps": nullable("integer"),
                    "water_litres_per_day": nullable("string"),
                }
            ),
            "author_id": nullable("integer", description="Null for donors."),
            "review_comment": nullable("string", description="Null for donors."),
            "submitted_at": TIME_OR_NULL,
            "decided_at": TIME_OR_NULL,
            "supersedes_id": nullable("integer"),
            "version": {"type": "integer", "minimum": 1},
            "links": links("page"),
        }
    ),
    "Expenditure": record(
        {
            "id": ID,
            "project_id": ID,
            "line_id": ID,
            "kind": {"type": "string", "enum": enum_values(SpendKind)},
            "spent_on": DATE,
            "supplier": {"type": "string"},
            "document_number": {"type": "string"},
            "amount": ref("Money"),
            "line_amount": ref("Money"),
            "fx_rate": nullable("string"),
            "fx_valid_on": DATE_OR_NULL,
            "commitment_id": nullable("integer"),
            "reverses_id": nullable("integer", description="The entry this one reverses, if it is a reversal."),
            "note": {"type": "string"},
            "created_at": TIME,
            "links": links("self", "line"),
        }
    ),
    "NewToken": record(
        {
            "id": ID,
            "name": {"type": "string"},
            "token": {"type": "string", "description": "The secret: shown this once, never again."},
            "prefix": {"type": "string"},
            "created_at": TIME,
            "expires_at": TIME_OR_NULL,
        }
    ),
    "Checklist": record(
        {
            "id": ID,
            "name": {"type": "string"},
            "assessment_type": {"type": "string", "enum": enum_values(AssessmentType)},
            "questions": {
                "type": "array",
                "items": record(
                    {
                        "id": ID,
                        "text_es": {"type": "string"},
                        "text_en": {"type": "string"},
                        "answer_type": {"type": "string", "enum": enum_values(AnswerType)},
                        "evidence_photo_required": {"type": "boolean"},
                    }
                ),
            },
        }
    ),
}
for _name in (
    "Center",
    "Project",
    "Phase",
    "Milestone",
    "Organization",
    "Agreement",
    "BudgetLine",
    "Report",
    "Download",
    "Document",
    "Assessment",
    "Expenditure",
    "Photo",
    "Checklist",
):
    SCHEMAS[f"{_name}Page"] = record(
        {
            "items": {"type": "array", "items": ref(_name)},
            "next": nullable("string", description="The next page, or null on the last one."),
        }
    )

SCHEMAS["AssessmentDetail"] = {
    **SCHEMAS["Assessment"],
    "required": [*SCHEMAS["Assessment"]["required"], "template_id", "answers"],
    "properties": {
        **SCHEMAS["Assessment"]["properties"],
        "template_id": ID,
        "answers": {
            "type": "array",
            "items": record(
                {
                    "question_id": ID,
                    "value": {"type": ["boolean", "integer", "string", "null"]},
                    "comment": {"type": "string"},
                }
            ),
        },
        "links": links("page", "self"),
    },
}
