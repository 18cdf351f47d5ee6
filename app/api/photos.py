"""A project's photos: list them as the gallery does (a donor: only shareable photos of projects it funds), fetch
the display image (metadata stripped, redactions applied), and upload one photo per request through the same checks
as the web upload form."""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers.response import Response

from app.api.blueprint import bp
from app.api.http import created_unversioned, page, visible_or_404
from app.api.inputs import Field, parse_fields, query_choice
from app.api.problems import ApiProblem, invalid
from app.api.projects import visible_project
from app.api.serializers import iso
from app.core.downloads import send_derivative_image
from app.core.enums import PhaseKind, PhotoCopies, PhotoStage
from app.core.errors import DomainError
from app.core.jobs.runner import job_start
from app.core.permissions import can_upload_photo, can_view_photo, require
from app.core.storage import storage
from app.extensions import db
from app.photos import services
from app.photos.models import Photo

FILE_FIELD = "photo"
FLAGS = ("true", "false")
PHOTO_FIELDS = {
    "caption": Field("string", max_length=2000),
    "tags": Field("string", max_length=300, description="Separated by commas."),
    "location": Field("string", max_length=200, description="Where on the site, for example 'Dormitorio 2'."),
    "phase": Field("enum", enum_type=PhaseKind),
    "stage": Field("enum", enum_type=PhotoStage),
    "identifiable_people": Field("enum", choices=FLAGS),
    "consent_recorded": Field("enum", choices=FLAGS),
}


def photo_json(photo: Photo) -> dict[str, Any]:
    return {
        "id": photo.id,
        "center_id": photo.center_id,
        "project_id": photo.project_id,
        "original_filename": photo.original_filename,
        "mime": photo.mime,
        "size_bytes": photo.size_bytes,
        "width": photo.width,
        "height": photo.height,
        "sha256": photo.sha256,
        "taken_at": iso(photo.taken_at),
        "caption": photo.caption,
        "tags": photo.tags,
        "location": photo.location,
        "phase": photo.phase.value if photo.phase else None,
        "stage": photo.stage.value if photo.stage else None,
        "identifiable_people": photo.identifiable_people,
        "consent_recorded": photo.consent_recorded,
        "copies": photo.copies.value,
        "created_at": iso(photo.created_at),
        "links": {
            "self": url_for("api.photo_get", photo_id=photo.id),
            "image": url_for("api.photo_image", photo_id=photo.id),
            "page": url_for("photos.show", photo_id=photo.id),
        },
    }


@bp.get("/projects/<int:project_id>/photos")
def photos_list(project_id: int) -> Response:
    project = visible_project(project_id)
    phase, stage = query_choice("phase", tuple(PhaseKind)), query_choice("stage", tuple(PhotoStage))
    filters = services.PhotoFilter(
        project_id=project.id,
        phase=PhaseKind(phase) if phase else None,
        stage=PhotoStage(stage) if stage else None,
    )
    query = services.photos_visible_query(current_user, filters)
    render = lambda rows: [photo_json(p) for p in rows]  # noqa: E731
    return page(query, Photo.id, render, "api.photos_list", ("phase", "stage"), project_id=project.id)


def visible_photo(photo_id: int) -> Photo:
    return visible_or_404(Photo, photo_id, lambda photo: can_view_photo(current_user, photo))


@bp.get("/photos/<int:photo_id>")
def photo_get(photo_id: int) -> Response:
    return jsonify(photo_json(visible_photo(photo_id)))


@bp.get("/photos/<int:photo_id>/image.jpg")
def photo_image(photo_id: int) -> Response:
    """The display copy: a JPEG without camera metadata (no GPS), with the photo's redactions applied."""
    photo = visible_photo(photo_id)
    if photo.copies is PhotoCopies.PENDING:
        raise ApiProblem(409, _("The photo is still being prepared; ask again in a moment."))
    if photo.copies is PhotoCopies.FAILED:
        raise ApiProblem(409, _("The photo could not be read; upload it again."))
    return send_derivative_image(photo.display_key)


def _description(values: dict[str, Any]) -> services.PhotoDescription:
    return services.PhotoDescription(
        caption=values.get("caption", ""),
        tags=values.get("tags", ""),
        location=values.get("location", ""),
        phase=values.get("phase"),
        stage=values.get("stage"),
        identifiable_people=values.get("identifiable_people") == "true",
        consent_recorded=values.get("consent_recorded") == "true",
    )


@bp.post("/projects/<int:project_id>/photos")
def photo_create(project_id: int) -> Response:
    project = visible_project(project_id)
    require(can_upload_photo(current_user, project.center))
    if request.mimetype != "multipart/form-data":
        raise ApiProblem(415, _("Send the photo as multipart/form-data, in a part named “photo”."))
    values = parse_fields(request.form.to_dict(), PHOTO_FIELDS)
    unknown = {name: [_("This field is not known.")] for name in request.files if name != FILE_FIELD}
    files = request.files.getlist(FILE_FIELD)
    if unknown:
        raise invalid(unknown)
    if len(files) != 1:
        raise invalid({FILE_FIELD: [_("Send exactly one photo per request.")]})
    limit = current_app.config["PHOTO_MAX_BYTES"]
    try:
        photo = services.photo_upload(
            db.session(),
            storage(),
            files[0].read(limit + 1),
            files[0].filename or "",
            center_id=project.center_id,
            project_id=project.id,
            description=_description(values),
            max_bytes=limit,
            max_pixels=current_app.config["PHOTO_MAX_PIXELS"],
            background_pixels=current_app.config["PHOTO_BACKGROUND_PIXELS"],
        )
    except DomainError as error:
        # The photo services name the web form's field; here the part is called "photo".
        field = FILE_FIELD if error.field in (None, "photos") else error.field
        raise invalid({field: [str(error.message)]}, str(error.message)) from None
    db.session.commit()
    if photo.job_id is not None and not photo.ready:
        job_start(photo.job_id)
    return created_unversioned(photo_json(photo))
