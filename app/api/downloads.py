"""``/api/v1/downloads``: ask for a file prepared in the background — a ZIP of photos, or the whole portfolio as
IATI XML, XLSX or CSV tables — follow it, and fetch it. As on the pages: built with the token's user's
permissions, and only that user reaches it."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers.response import Response

from app.api.blueprint import bp
from app.api.http import created_unversioned, page, visible_or_404
from app.api.inputs import Field, json_body, parse_fields
from app.api.problems import ApiProblem, invalid
from app.api.serializers import iso
from app.core.downloads import send_stored_attachment
from app.core.enums import DownloadKind
from app.core.errors import DomainError
from app.core.i18n import chosen_language
from app.core.permissions import can_export, can_list_centers, can_list_downloads, can_view_download, require
from app.core.timeutil import utcnow
from app.downloads import services
from app.downloads.models import Download
from app.extensions import db
from app.photos.archive import MAX_PHOTOS, photos_for_zip

DOWNLOAD_FIELDS = {
    "kind": Field("enum", required=True, enum_type=DownloadKind),
    "photo_ids": Field(
        "ids", max_items=MAX_PHOTOS, description="For photos_zip: the photos to put in it (only for that kind)."
    ),
}


def download_json(download: Download) -> dict[str, Any]:
    job = download.job
    links = {"self": url_for("api.download_get", download_id=download.id)}
    if download.ready:
        links["file"] = url_for("api.download_file", download_id=download.id)
    return {
        "id": download.id,
        "kind": download.kind.value,
        "status": download.status.value,
        "progress": job.progress if job else 0,
        "error": job.error if job else "",
        "ready": download.ready,
        "filename": download.filename or None,
        "mime": download.mime if download.ready else None,
        "size_bytes": download.size_bytes,
        "sha256": download.sha256,
        "items": download.items,
        "left_out": download.left_out,
        "created_at": iso(download.created_at),
        "expires_at": iso(download.expires_at),
        "links": links,
    }


def _own_download(download_id: int) -> Download:
    return visible_or_404(
        Download,
        download_id,
        lambda download: can_view_download(current_user, download) and download.expires_at > utcnow(),
    )


@bp.get("/downloads")
def downloads_list() -> Response:
    require(can_list_downloads(current_user))
    query = services.downloads_query(current_user)
    render = lambda rows: [download_json(d) for d in rows]  # noqa: E731
    return page(query, Download.id, render, "api.downloads_list")


@bp.post("/downloads")
def download_create() -> Response:
    require(can_list_downloads(current_user))
    values = parse_fields(json_body(), DOWNLOAD_FIELDS)
    kind: DownloadKind = values["kind"]
    params: dict[str, Any] = {}
    if kind is DownloadKind.PHOTOS_ZIP:
        require(can_list_centers(current_user))
        if not values.get("photo_ids"):
            raise invalid({"photo_ids": [_("Name the photos to put in the ZIP.")]})
    else:
        require(can_export(current_user))
        if "photo_ids" in values:
            raise invalid({"photo_ids": [_("Only a ZIP of photos takes photo ids.")]})
    try:
        if kind is DownloadKind.PHOTOS_ZIP:
            params["photo_ids"] = photos_for_zip(db.session(), current_user, values["photo_ids"])
        download, stale = services.download_ask(
            db.session(), current_user, kind, params, language=chosen_language(), base_url=request.url_root
        )
    except services.TooManyPending as error:
        db.session.rollback()
        raise ApiProblem(429, str(error.message)) from None
    except DomainError as error:
        db.session.rollback()
        raise invalid({error.field or "kind": [str(error.message)]}, str(error.message)) from None
    db.session.commit()
    services.download_start(download, stale)
    db.session.refresh(download)
    return created_unversioned(download_json(download), status=202)


@bp.get("/downloads/<int:download_id>")
def download_get(download_id: int) -> Response:
    return jsonify(download_json(_own_download(download_id)))


@bp.get("/downloads/<int:download_id>/file")
def download_file(download_id: int) -> Response:
    download = _own_download(download_id)
    if not download.ready or download.file_key is None:
        raise ApiProblem(404, _("This file is not ready yet: follow its status until it is."))
    response = send_stored_attachment(download.file_key, download.mime, download.filename)
    response.headers["X-Content-SHA256"] = download.sha256 or ""
    return response
