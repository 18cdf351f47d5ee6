from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers.response import Response as BaseResponse

from app.centers.models import Center
from app.core.downloads import send_stored_attachment
from app.core.enums import DocumentKind, DocumentStatus
from app.core.errors import DomainError
from app.core.inputs import record_id
from app.core.permissions import (
    can_list_centers,
    can_set_document_status,
    can_upload_document,
    can_view_document,
    require,
)
from app.core.storage import storage
from app.documents import services
from app.documents.forms import DocumentForm, StatusForm, VersionForm
from app.documents.models import Document, DocumentVersion
from app.extensions import db
from app.projects.models import Project

bp = Blueprint("documents", __name__, url_prefix="/documents", template_folder="templates")


def _document_or_404(document_id: int) -> Document:
    document = db.session.get(Document, document_id)
    if document is None or not can_view_document(current_user, document):
        abort(404)
    return document


@bp.get("/")
@login_required
def index() -> str:
    require(can_list_centers(current_user))
    center_id = request.args.get("center_id", type=record_id)
    project_id = request.args.get("project_id", type=record_id)
    documents = db.session.scalars(services.documents_visible_query(current_user, center_id, project_id)).all()
    center = db.session.get(Center, center_id) if center_id else None
    return render_template("documents/index.html", documents=documents, center=center, project_id=project_id)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create() -> str | BaseResponse | tuple[str, int]:
    center = db.session.get(Center, request.args.get("center_id", type=record_id) or 0) or abort(404)
    require(can_upload_document(current_user))
    form = DocumentForm()
    projects = db.session.scalars(select(Project).where(Project.center_id == center.id).order_by(Project.code)).all()
    form.project_id.choices = [(0, "—")] + [(p.id, f"{p.code} — {p.title}") for p in projects]
    if request.method == "GET":
        form.project_id.data = request.args.get("project_id", type=record_id) or 0
    if form.validate_on_submit():
        upload = form.file.data
        try:
            document = services.document_create(
                db.session(),
                storage(),
                center_id=center.id,
                project_id=form.project_id.data or None,
                kind=DocumentKind(form.kind.data),
                title=form.title.data or "",
                description=form.description.data or "",
                data=upload.read(services.MAX_DOCUMENT_BYTES + 1),
                filename=upload.filename or "",
                max_bytes=services.MAX_DOCUMENT_BYTES,
            )
        except DomainError as error:
            db.session.rollback()
            getattr(form, error.field or "file").errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("Document saved."), "success")
            return redirect(url_for("documents.show", document_id=document.id))
    return render_template("documents/form.html", form=form, center=center), (400 if form.errors else 200)


@bp.route("/<int:document_id>", methods=["GET", "POST"])
@login_required
def show(document_id: int) -> str | BaseResponse | tuple[str, int]:
    document = _document_or_404(document_id)
    version_form = VersionForm(prefix="version")
    status_form = StatusForm(prefix="status", data={"status": document.status.value})
    if request.method == "POST":
        require(can_upload_document(current_user))
        if version_form.validate_on_submit():
            upload = version_form.file.data
            try:
                services.document_add_version(
                    db.session(),
                    storage(),
                    document,
                    upload.read(services.MAX_DOCUMENT_BYTES + 1),
                    upload.filename or "",
                    version_form.note.data or "",
                    services.MAX_DOCUMENT_BYTES,
                )
            except DomainError as error:
                db.session.rollback()
                version_form.file.errors.append(str(error.message))  # type: ignore[attr-defined]
            else:
                db.session.commit()
                flash(_("New version saved."), "success")
                return redirect(url_for("documents.show", document_id=document.id))
    return render_template(
        "documents/show.html", document=document, version_form=version_form, status_form=status_form
    ), (400 if version_form.errors else 200)


@bp.post("/<int:document_id>/status")
@login_required
def set_status(document_id: int) -> BaseResponse:
    document = _document_or_404(document_id)
    require(can_set_document_status(current_user, document))
    form = StatusForm(prefix="status")
    if form.validate_on_submit():
        services.document_set_status(db.session(), document, DocumentStatus(form.status.data))
        db.session.commit()
        flash(_("Status changed."), "success")
    return redirect(url_for("documents.show", document_id=document.id))


@bp.get("/<int:document_id>/versions/<int:version_id>")
@login_required
def download(document_id: int, version_id: int) -> Response:
    document = _document_or_404(document_id)
    version = db.session.get(DocumentVersion, version_id)
    if version is None or version.document_id != document.id:
        abort(404)
    # Always a download, never shown inline: a PDF or an Office file could run code in the browser.
    return send_stored_attachment(version.storage_key, version.content_type, version.download_name())
