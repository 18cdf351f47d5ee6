"""A project's documents: plans, bills of quantities, agreements, minutes. Upload one (multipart, checked by its
content like the web form), add a version, set its status, and download the latest version.

A donor sees the approved and signed documents of the projects it funds; a new version sends a document back to
draft, since what was approved changed.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers.response import Response

from app.api.blueprint import bp
from app.api.http import created_unversioned, visible_or_404
from app.api.inputs import Field, json_body, parse_fields
from app.api.problems import ApiProblem, invalid
from app.api.projects import visible_project
from app.api.serializers import iso
from app.core.downloads import send_stored_attachment
from app.core.enums import DocumentKind, DocumentStatus
from app.core.errors import DomainError
from app.core.permissions import can_set_document_status, can_upload_document, can_view_document, require
from app.core.storage import storage
from app.documents import services
from app.documents.models import Document
from app.extensions import db

FILE_FIELD = "file"
DOCUMENT_FIELDS = {
    "kind": Field("enum", required=True, enum_type=DocumentKind),
    "title": Field("string", required=True, max_length=200),
    "description": Field("string", max_length=5000),
}
VERSION_FIELDS = {"note": Field("string", max_length=500, description="What changed in this version.")}
STATUS_FIELDS = {"status": Field("enum", required=True, enum_type=DocumentStatus)}


def document_json(document: Document) -> dict[str, Any]:
    latest = document.latest
    return {
        "id": document.id,
        "center_id": document.center_id,
        "project_id": document.project_id,
        "kind": document.kind.value,
        "status": document.status.value,
        "title": document.title,
        "description": document.description,
        "latest_version": None
        if latest is None
        else {
            "number": latest.number,
            "content_type": latest.content_type,
            "size_bytes": latest.size_bytes,
            "sha256": latest.sha256,
            "original_filename": latest.original_filename,
            "created_at": iso(latest.created_at),
        },
        "created_at": iso(document.created_at),
        "updated_at": iso(document.updated_at),
        "links": {
            "self": url_for("api.document_get", document_id=document.id),
            "file": url_for("api.document_file", document_id=document.id),
            "page": url_for("documents.show", document_id=document.id),
        },
    }


def _one_file() -> FileStorage:
    """The single file part of a multipart request; other parts are form fields."""
    if request.mimetype != "multipart/form-data":
        raise ApiProblem(415, _("Send the file as multipart/form-data, in a part named “file”."))
    unknown = {name: [_("This field is not known.")] for name in request.files if name != FILE_FIELD}
    files = request.files.getlist(FILE_FIELD)
    if unknown:
        raise invalid(unknown)
    if len(files) != 1:
        raise invalid({FILE_FIELD: [_("Send exactly one file per request.")]})
    return files[0]


def _file_problem(error: DomainError) -> ApiProblem:
    """The document services name the web form's field; here the part is called "file"."""
    field = FILE_FIELD if error.field in (None, "file") else error.field
    return invalid({field: [str(error.message)]}, str(error.message))


@bp.post("/projects/<int:project_id>/documents")
def document_create(project_id: int) -> Response:
    project = visible_project(project_id)
    require(can_upload_document(current_user))
    upload = _one_file()
    values = parse_fields(request.form.to_dict(), DOCUMENT_FIELDS)
    try:
        document = services.document_create(
            db.session(),
            storage(),
            center_id=project.center_id,
            project_id=project.id,
            kind=values["kind"],
            title=values["title"],
            description=values.get("description", ""),
            data=upload.read(services.MAX_DOCUMENT_BYTES + 1),
            filename=upload.filename or "",
            max_bytes=services.MAX_DOCUMENT_BYTES,
        )
    except DomainError as error:
        raise _file_problem(error) from None
    db.session.commit()
    return created_unversioned(document_json(document))


def visible_document(document_id: int) -> Document:
    return visible_or_404(Document, document_id, lambda document: can_view_document(current_user, document))


@bp.get("/documents/<int:document_id>")
def document_get(document_id: int) -> Response:
    return jsonify(document_json(visible_document(document_id)))


@bp.get("/documents/<int:document_id>/file")
def document_file(document_id: int) -> Response:
    """The latest version, always as an attachment: a PDF or an Office file is never shown inline."""
    document = visible_document(document_id)
    version = document.latest
    if version is None:
        raise ApiProblem(404, _("This document has no file yet."))
    return send_stored_attachment(version.storage_key, version.content_type, version.download_name())


@bp.post("/documents/<int:document_id>/versions")
def document_version_add(document_id: int) -> Response:
    document = visible_document(document_id)
    require(can_upload_document(current_user))
    upload = _one_file()
    values = parse_fields(request.form.to_dict(), VERSION_FIELDS)
    try:
        services.document_add_version(
            db.session(),
            storage(),
            document,
            upload.read(services.MAX_DOCUMENT_BYTES + 1),
            upload.filename or "",
            values.get("note", ""),
            services.MAX_DOCUMENT_BYTES,
        )
    except DomainError as error:
        raise _file_problem(error) from None
    db.session.commit()
    return created_unversioned(document_json(document))


@bp.post("/documents/<int:document_id>/status")
def document_status_set(document_id: int) -> Response:
    """Approve, sign or send back a document (project managers and administrators)."""
    document = visible_document(document_id)
    require(can_set_document_status(current_user, document))
    values = parse_fields(json_body(), STATUS_FIELDS)
    services.document_set_status(db.session(), document, values["status"])
    db.session.commit()
    return jsonify(document_json(document))
