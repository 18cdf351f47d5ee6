"""The request bodies of the OpenAPI document, built from the views' own Field tables (so the document and what
the views accept cannot drift apart), with the multipart uploads and the nested parts of an assessment."""

from __future__ import annotations

from typing import Any

from app.api.agreements import AGREEMENT_FIELDS, COMMITMENT_FIELDS, DONE_FIELDS, PARTY_FIELDS
from app.api.assessments import CONTENT_FIELDS, CREATE_FIELDS, FIGURE_FIELDS, REVIEW_FIELDS
from app.api.budgets import ENTRY_FIELDS, LINE_FIELDS, REVERSAL_FIELDS
from app.api.centers import CENTER_FIELDS
from app.api.documents import DOCUMENT_FIELDS, STATUS_FIELDS, VERSION_FIELDS
from app.api.documents import FILE_FIELD as DOCUMENT_FILE
from app.api.downloads import DOWNLOAD_FIELDS
from app.api.inputs import object_schema
from app.api.openapi_schemas import ID, ref
from app.api.phases import PHASE_FIELDS
from app.api.photos import FILE_FIELD, PHOTO_FIELDS
from app.api.projects import MILESTONE_FIELDS, PROJECT_FIELDS
from app.api.reports import REPORT_FIELDS
from app.api.views import TOKEN_FIELDS


def _multipart(fields: dict[str, Any], file_field: str, description: str) -> dict[str, Any]:
    """A multipart/form-data body: one file part and the form fields."""
    schema = object_schema(fields)
    return {
        **schema,
        "required": [file_field, *schema.get("required", [])],
        "properties": {file_field: {"type": "string", "format": "binary", "description": description}}
        | schema["properties"],
    }


def _with_nested(schema: dict[str, Any]) -> dict[str, Any]:
    """An assessment body: its own fields, plus the figures and the checklist answers."""
    properties = {
        **schema["properties"],
        "figures": ref("AssessmentFigures"),
        "answers": {"type": "array", "items": ref("AssessmentAnswer"), "maxItems": 500},
    }
    return {**schema, "properties": properties}


REQUEST_SCHEMAS: dict[str, Any] = {
    "PhotoUpload": {
        **object_schema(PHOTO_FIELDS),
        "required": [FILE_FIELD],
        "properties": {
            FILE_FIELD: {"type": "string", "format": "binary", "description": "JPEG, PNG, WebP or HEIC."},
            **object_schema(PHOTO_FIELDS)["properties"],
        },
    },
    "ReportCreate": object_schema(REPORT_FIELDS),
    "DownloadCreate": object_schema(DOWNLOAD_FIELDS),
    "TokenRequest": object_schema(TOKEN_FIELDS),
    "CenterCreate": object_schema(CENTER_FIELDS),
    "CenterPatch": object_schema(CENTER_FIELDS, partial=True),
    "ProjectCreate": object_schema(PROJECT_FIELDS),
    "ProjectPatch": object_schema(PROJECT_FIELDS, partial=True),
    "MilestoneCreate": object_schema(MILESTONE_FIELDS),
    "MilestonePatch": object_schema(MILESTONE_FIELDS, partial=True),
    "PhasePatch": object_schema(PHASE_FIELDS, partial=True),
    "DocumentUpload": _multipart(DOCUMENT_FIELDS, DOCUMENT_FILE, "PDF, Office or image file, checked by content."),
    "DocumentVersionUpload": _multipart(VERSION_FIELDS, DOCUMENT_FILE, "The new version of the file."),
    "DocumentStatusChange": object_schema(STATUS_FIELDS),
    "AgreementCreate": object_schema(AGREEMENT_FIELDS),
    "AgreementPatch": object_schema(AGREEMENT_FIELDS, partial=True),
    "PartyCreate": object_schema(PARTY_FIELDS),
    "CommitmentCreate": object_schema(COMMITMENT_FIELDS),
    "CommitmentDone": object_schema(DONE_FIELDS),
    "AssessmentFigures": object_schema(FIGURE_FIELDS, partial=True),
    "AssessmentAnswer": {
        "type": "object",
        "additionalProperties": False,
        "required": ["question_id"],
        "properties": {
            "question_id": ID,
            "value": {
                "type": ["boolean", "integer", "string", "null"],
                "description": "yes_no: a boolean; score: 0 to 4; number: a decimal string; text: a string.",
            },
            "comment": {"type": "string"},
        },
    },
    "AssessmentCreate": _with_nested(object_schema(CREATE_FIELDS)),
    "AssessmentPatch": _with_nested(object_schema(CONTENT_FIELDS, partial=True)),
    "AssessmentReview": object_schema(REVIEW_FIELDS),
    "BudgetLineCreate": object_schema(LINE_FIELDS),
    "BudgetLinePatch": object_schema(LINE_FIELDS, partial=True),
    "ExpenditureCreate": object_schema(ENTRY_FIELDS),
    "Reversal": object_schema(REVERSAL_FIELDS),
}
