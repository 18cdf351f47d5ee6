from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers.response import Response as BaseResponse

from app.centers.models import Center
from app.core.downloads import send_derivative_image, send_stored_attachment
from app.core.enums import DownloadKind, PhaseKind, PhotoCopies, PhotoStage
from app.core.errors import DomainError
from app.core.inputs import record_id
from app.core.jobs.runner import job_fail_if_stalled, job_requeue, job_start
from app.core.permissions import (
    can_delete_photo,
    can_edit_photo,
    can_list_centers,
    can_redact_photo,
    can_upload_photo,
    can_view_photo,
    can_view_photo_original,
    require,
)
from app.core.storage import storage
from app.downloads.views import prepare
from app.extensions import db
from app.photos import archive, services
from app.photos.forms import PhotoEditForm, PhotoUploadForm, RedactForm
from app.photos.models import Photo
from app.photos.redaction import Box, RedactionMode
from app.projects.models import Project

bp = Blueprint("photos", __name__, url_prefix="/photos", template_folder="templates")


def _photo_or_404(photo_id: int) -> Photo:
    photo = db.session.get(Photo, photo_id)
    if photo is None or not can_view_photo(current_user, photo):
        abort(404)  # a donor is not told that a private photo exists
    return photo


def _description(form: Any) -> services.PhotoDescription:
    return services.PhotoDescription(
        caption=form.caption.data or "",
        tags=form.tags.data or "",
        location=form.location.data or "",
        phase=PhaseKind(form.phase.data) if form.phase.data else None,
        stage=PhotoStage(form.stage.data) if form.stage.data else None,
        identifiable_people=bool(form.identifiable_people.data),
        consent_recorded=bool(form.consent_recorded.data),
    )


@bp.get("/")
@login_required
def index() -> str:
    require(can_list_centers(current_user))
    filters = services.PhotoFilter(
        center_id=request.args.get("center_id", type=record_id),
        project_id=request.args.get("project_id", type=record_id),
        phase=PhaseKind(request.args["phase"]) if request.args.get("phase") in PhaseKind._value2member_map_ else None,
        stage=PhotoStage(request.args["stage"]) if request.args.get("stage") in PhotoStage._value2member_map_ else None,
    )
    page = db.paginate(services.photos_visible_query(current_user, filters), per_page=48, error_out=False)
    center = db.session.get(Center, filters.center_id) if filters.center_id else None
    pairs = services.photo_pairs(db.session(), center.id, filters.project_id) if center else []
    pairs = [(b, a) for b, a in pairs if can_view_photo(current_user, b) and can_view_photo(current_user, a)]
    centers = db.session.scalars(select(Center).where(Center.archived_at.is_(None)).order_by(Center.code)).all()
    return render_template(
        "photos/index.html",
        page=page,
        filters=filters,
        center=center,
        pairs=pairs,
        centers=centers,
        phase_choices=PhaseKind.choices,
        stage_choices=PhotoStage.choices,
    )


@bp.route("/upload", methods=["GET", "POST"])
@login_required
def upload() -> str | BaseResponse | tuple[Any, int]:
    center = db.session.get(Center, request.args.get("center_id", type=record_id) or 0)
    if center is None:
        abort(404)
    require(can_upload_photo(current_user, center))
    form = PhotoUploadForm()
    projects = db.session.scalars(select(Project).where(Project.center_id == center.id).order_by(Project.code)).all()
    form.project_id.choices = [(0, "—")] + [(p.id, f"{p.code} — {p.title}") for p in projects]
    if request.method == "GET":
        form.project_id.data = request.args.get("project_id", type=record_id) or 0
    wants_json = request.headers.get("X-Requested-With") == "fetch"
    if request.method == "POST":
        if not form.validate_on_submit():
            if wants_json:
                return jsonify(ok=False, error=_("Please correct the fields of the form."), fields=form.errors), 400
            return render_template("photos/upload.html", form=form, center=center, results=[]), 400
        files = [f for f in request.files.getlist("photos") if isinstance(f, FileStorage) and f.filename]
        if not files:
            form.photos.errors = [_("Choose at least one photo.")]  # type: ignore[assignment]
            if wants_json:
                return jsonify(ok=False, error=form.photos.errors[0]), 400
            return render_template("photos/upload.html", form=form, center=center, results=[]), 400
        results = [_store_one(file, center, form) for file in files]
        if wants_json:
            result = results[0]
            return jsonify(result), (201 if result["ok"] else 422)
        saved = sum(1 for r in results if r["ok"])
        if saved:
            flash(_("%(n)d photo(s) saved.", n=saved), "success")
        status = 200 if all(r["ok"] for r in results) else 422
        return render_template("photos/upload.html", form=form, center=center, results=results), status
    return render_template("photos/upload.html", form=form, center=center, results=[])


def _store_one(file: FileStorage, center: Center, form: PhotoUploadForm) -> dict[str, Any]:
    """Each photo is saved in its own transaction: one refused photo does not lose the others."""
    name = services._clean_label(file.filename or "")
    data = file.read(current_app.config["PHOTO_MAX_BYTES"] + 1)
    try:
        photo = services.photo_upload(
            db.session(),
            storage(),
            data,
            file.filename or "",
            center_id=center.id,
            project_id=form.project_id.data or None,
            description=_description(form),
            max_bytes=current_app.config["PHOTO_MAX_BYTES"],
            max_pixels=current_app.config["PHOTO_MAX_PIXELS"],
            background_pixels=current_app.config["PHOTO_BACKGROUND_PIXELS"],
        )
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        return {"ok": False, "name": name, "error": str(error.message)}
    if photo.job_id is not None and not photo.ready:
        job_start(photo.job_id)
    return {
        "ok": True,
        "name": name,
        "id": photo.id,
        "url": url_for("photos.show", photo_id=photo.id),
        "thumb": url_for("photos.thumb", photo_id=photo.id),
    }


@bp.route("/<int:photo_id>", methods=["GET", "POST"])
@login_required
def show(photo_id: int) -> str | BaseResponse:
    photo = _photo_or_404(photo_id)
    if not photo.ready and job_fail_if_stalled(db.session(), photo.job):
        db.session.commit()  # the copies' job lost its process: say so, and offer to try again
    form = PhotoEditForm(obj=photo)
    if request.method == "GET":
        form.phase.data = photo.phase.value if photo.phase else ""
        form.stage.data = photo.stage.value if photo.stage else ""
    if request.method == "POST":
        require(can_edit_photo(current_user, photo))
        if form.validate_on_submit():
            try:
                services.photo_describe(db.session(), photo, _description(form), form.pair_of_id.data)
            except DomainError as error:
                db.session.rollback()
                getattr(form, error.field or "caption").errors.append(error.message)
            else:
                db.session.commit()
                flash(_("Photo saved."), "success")
                return redirect(url_for("photos.show", photo_id=photo.id))
    pair = photo.pair_of
    paired_after = db.session.scalars(select(Photo).where(Photo.pair_of_id == photo.id)).all()
    return render_template(
        "photos/show.html",
        photo=photo,
        form=form,
        pair=pair,
        paired_after=paired_after,
        redact_form=RedactForm(prefix="redact", formdata=None),
    )


@bp.get("/<int:photo_id>/thumb.jpg")
@login_required
def thumb(photo_id: int) -> Response:
    return send_derivative_image(_photo_or_404(photo_id).thumb_key)


@bp.get("/<int:photo_id>/display.jpg")
@login_required
def display(photo_id: int) -> Response:
    return send_derivative_image(_photo_or_404(photo_id).display_key)


@bp.get("/<int:photo_id>/original")
@login_required
def original(photo_id: int) -> Response:
    photo = _photo_or_404(photo_id)
    require(can_view_photo_original(current_user, photo))
    suffix = services.SUFFIX.get(photo.mime, ".bin")
    return send_stored_attachment(photo.original_key, "application/octet-stream", f"photo-{photo.id}{suffix}")


@bp.post("/zip")
@login_required
def download_zip() -> BaseResponse:
    """Start preparing a ZIP of the selected photos; the person follows it on the download's page."""
    require(can_list_centers(current_user))
    back = redirect(request.referrer or url_for("photos.index"))
    try:
        chosen = archive.photos_for_zip(
            db.session(), current_user, archive.photo_ids(request.form.getlist("photo_ids"))
        )
    except DomainError as error:
        flash(str(error.message), "warning")
        return back
    return prepare(DownloadKind.PHOTOS_ZIP, {"photo_ids": chosen}, base_url=request.url_root) or back


@bp.post("/<int:photo_id>/copies")
@login_required
def copies_retry(photo_id: int) -> BaseResponse:
    """Make the copies of a large photo again, when the job making them stopped (a restarted server)."""
    photo = _photo_or_404(photo_id)
    require(can_edit_photo(current_user, photo))
    job = photo.job
    job_fail_if_stalled(db.session(), job)
    if job is None or photo.ready or not job.retryable:
        db.session.commit()
        flash(_("There is nothing to try again for this photo."), "warning")
    else:
        photo.copies = PhotoCopies.PENDING
        job_requeue(db.session(), job)
        db.session.commit()
        job_start(job.id)
        flash(_("The copies of this photo are being made again."), "info")
    return redirect(url_for("photos.show", photo_id=photo.id))


@bp.post("/<int:photo_id>/redact")
@login_required
def redact_view(photo_id: int) -> str | BaseResponse:
    photo = _photo_or_404(photo_id)
    require(can_redact_photo(current_user, photo))
    form = RedactForm(prefix="redact")
    if form.validate_on_submit():
        box = Box(float(form.left.data), float(form.top.data), float(form.width.data), float(form.height.data))
        try:
            old_keys = services.photo_redact(db.session(), storage(), photo, box, RedactionMode(form.mode.data))
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "danger")
        else:
            db.session.commit()
            for key in old_keys:
                storage().delete(key)
            flash(_("The photo was changed. The original is kept, private."), "success")
    else:
        flash(_("The area must lie inside the photo (percentages between 0 and 100)."), "danger")
    return redirect(url_for("photos.show", photo_id=photo.id))


@bp.post("/<int:photo_id>/delete")
@login_required
def delete(photo_id: int) -> BaseResponse:
    photo = _photo_or_404(photo_id)
    require(can_delete_photo(current_user, photo))
    center_id = photo.center_id
    keys = services.photo_delete(db.session(), storage(), photo)
    db.session.commit()
    for key in keys:  # files go only once the record is gone for good
        storage().delete(key)
    flash(_("Photo deleted."), "success")
    return redirect(url_for("photos.index", center_id=center_id))
