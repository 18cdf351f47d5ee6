"""The pieces the OpenAPI document's operations are made of: parameters, bodies, responses, and the shapes of a
listing, a reading, a creation, a change (app.api.openapi puts them together, one entry per path)."""

from __future__ import annotations

from typing import Any

from app.api.http import DEFAULT_LIMIT, MAX_LIMIT
from app.api.inputs import MAX_ID
from app.api.openapi_schemas import JSON, PROBLEM, ref
from app.core.spreadsheets import XLSX_MIMETYPE, XML_MIMETYPE, ZIP_MIMETYPE

BINARY = {"type": "string"}
XLSX = XLSX_MIMETYPE
PROBLEM_RESPONSE = {"description": "A problem (RFC 9457).", "content": {PROBLEM: {"schema": ref("Problem")}}}
ETAG_HEADER = {"ETag": {"description": "The record's version.", "schema": {"type": "string"}}}


def id_parameter(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    }


def query_parameter(name: str, schema: dict[str, Any], description: str = "") -> dict[str, Any]:
    parameter = {"name": name, "in": "query", "required": False, "schema": schema}
    if description:
        parameter["description"] = description
    return parameter


PAGE_PARAMETERS = [
    query_parameter("limit", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}),
    query_parameter("cursor", {"type": "string"}, "Opaque: copy it from the previous page's next link."),
]
IF_NONE_MATCH = {"name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"}}
IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": "The ETag of the version being changed; without it the answer is 428.",
    "schema": {"type": "string"},
}


def json_body(schema: str) -> dict[str, Any]:
    return {"required": True, "content": {JSON: {"schema": ref(schema)}}}


def multipart_body(schema: str) -> dict[str, Any]:
    return {"required": True, "content": {"multipart/form-data": {"schema": ref(schema)}}}


def ok(schema: str, status: str = "200", description: str = "OK", etag: bool = False) -> dict[str, Any]:
    response: dict[str, Any] = {"description": description, "content": {JSON: {"schema": ref(schema)}}}
    if etag:
        response["headers"] = ETAG_HEADER
    return {status: response}


# What a prepared download can be: a ZIP (photos, CSV tables), IATI XML or an XLSX workbook.
FILES = (ZIP_MIMETYPE, XML_MIMETYPE, XLSX_MIMETYPE)


def operation(summary: str, responses: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"summary": summary, "responses": {**responses, "default": PROBLEM_RESPONSE}, **extra}


def listing(summary: str, schema: str, filters: list[dict[str, Any]], path: list[dict[str, Any]] | None = None) -> Any:
    return operation(summary, ok(f"{schema}Page"), parameters=[*(path or []), *filters, *PAGE_PARAMETERS])


def creation(summary: str, schema: str, path: list[dict[str, Any]] | None = None) -> Any:
    return operation(
        summary,
        ok(schema, "201", "Created", etag=True),
        parameters=path or [],
        requestBody=json_body(f"{schema}Create"),
    )


def reading(summary: str, schema: str, parameter: str) -> Any:
    return operation(
        summary,
        {**ok(schema, etag=True), "304": {"description": "Not modified (If-None-Match)", "headers": ETAG_HEADER}},
        parameters=[id_parameter(parameter), IF_NONE_MATCH],
    )


def patching(summary: str, schema: str, parameter: str) -> Any:
    return operation(
        summary,
        ok(schema, etag=True),
        parameters=[id_parameter(parameter), IF_MATCH],
        requestBody=json_body(f"{schema}Patch"),
    )


def agreement_change(summary: str, parameters: list[dict[str, Any]], body: str | None = None) -> Any:
    """A change to a part of an agreement: made on the agreement's version (If-Match with its ETag), it answers
    the whole agreement with its new ETag."""
    extra: dict[str, Any] = {"parameters": [*parameters, IF_MATCH]}
    if body:
        extra["requestBody"] = json_body(body)
    return operation(summary, ok("Agreement", etag=True), **extra)
