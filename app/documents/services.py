"""Documents and their versions. Functions take a session and values, flush, and never commit."""

from __future__ import annotations

import hashlib
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.centers.models import Center
from app.core.enums import DocumentKind, DocumentStatus, Role
from app.core.errors import DomainError
from app.core.i18n import file_size
from app.core.storage import Storage
from app.documents.models import Document, DocumentVersion
from app.documents.sniffing import sniff_document
from app.photos.services import _clean_label
from app.projects.models import Project, ProjectFunding

# Plans and bills of quantities can be large; the request limit (MAX_CONTENT_LENGTH) leaves room for the form.
MAX_DOCUMENT_BYTES = 60 * 1024 * 1024


def _store_version(
    session: Session, storage: Storage, document: Document, data: bytes, filename: str, note: str, max_bytes: int
) -> DocumentVersion:
    if len(data) > max_bytes:
        raise DomainError(
            _("The file is too large (the limit is %(limit)s).", limit=file_size(max_bytes)), field="file"
        )
    kind = sniff_document(data)
    number = (
        (
            session.scalar(select(func.max(DocumentVersion.number)).where(DocumentVersion.document_id == document.id))
            or 0
        )
        + 1
        if document.id
        else 1
    )
    key = storage.put(data, kind.extension)
    try:
        version = DocumentVersion(
            document=document,
            number=number,
            storage_key=key,
            sha256=hashlib.sha256(data).hexdigest(),
            content_type=kind.content_type,
            extension=kind.extension,
            size_bytes=len(data),
            original_filename=_clean_label(filename),
            note=note.strip()[:500],
        )
        session.add(version)
        session.flush()
    except BaseException:
        storage.delete(key)
        raise
    return version


def document_create(
    session: Session,
    storage: Storage,
    *,
    center_id: int,
    project_id: int | None,
    kind: DocumentKind,
    title: str,
    description: str,
    data: bytes,
    filename: str,
    max_bytes: int,
) -> Document:
    if session.get(Center, center_id) is None:
        raise DomainError(_("Choose an existing center."), field="center_id")
    if project_id is not None:
        project = session.get(Project, project_id)
        if project is None or project.center_id != center_id:
            raise DomainError(_("That project is not a project of this center."), field="project_id")
    if not title.strip():
        raise DomainError(_("The title is required."), field="title")
    document = Document(
        center_id=center_id,
        project_id=project_id,
        kind=kind,
        title=title.strip()[:200],
        description=description.strip(),
        status=DocumentStatus.DRAFT,
    )
    session.add(document)
    session.flush()
    _store_version(session, storage, document, data, filename, "", max_bytes)
    return document


def document_add_version(
    session: Session, storage: Storage, document: Document, data: bytes, filename: str, note: str, max_bytes: int
) -> DocumentVersion:
    """A new version; a signed or approved document goes back to draft, since what was approved changed."""
    version = _store_version(session, storage, document, data, filename, note, max_bytes)
    document.status = DocumentStatus.DRAFT
    session.flush()
    return version


def document_set_status(session: Session, document: Document, status: DocumentStatus) -> Document:
    document.status = status
    session.flush()
    return document


def documents_visible_query(user: Any, center_id: int | None, project_id: int | None) -> Select[tuple[Document]]:
    """Staff see every document; a donor the approved or signed documents of the projects it funds."""
    query = select(Document).order_by(Document.kind, Document.title)
    if center_id:
        query = query.where(Document.center_id == center_id)
    if project_id:
        query = query.where(Document.project_id == project_id)
    if getattr(user, "role", None) is Role.DONOR:
        funded = select(ProjectFunding.project_id).where(ProjectFunding.organization_id == user.organization_id)
        query = query.where(Document.project_id.in_(funded), Document.status != DocumentStatus.DRAFT)
    return query
