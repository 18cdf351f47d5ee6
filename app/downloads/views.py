"""The person's prepared downloads: the list, one file's progress (followed by the page's script), the file."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers.response import Response as BaseResponse
from wtforms import SubmitField

from app.core.downloads import send_stored_attachment
from app.core.enums import DownloadKind
from app.core.errors import DomainError
from app.core.i18n import chosen_language
from app.core.jobs.runner import job_fail_if_stalled, job_start
from app.core.permissions import can_list_downloads, can_view_download, require
from app.core.timeutil import utcnow
from app.downloads import services
from app.downloads.models import Download
from app.extensions import db

bp = Blueprint("downloads", __name__, url_prefix="/downloads", template_folder="templates")


class RetryForm(FlaskForm):
    submit = SubmitField()


def _download_or_404(download_id: int) -> Download:
    download = db.session.get(Download, download_id)
    if download is None or not can_view_download(current_user, download) or download.expires_at <= utcnow():
        abort(404)
    return download


def prepare(kind: DownloadKind, params: Mapping[str, Any], *, base_url: str) -> BaseResponse | None:
    """Ask for a file for the signed-in person and start making it: the views of photos and exports call this.

    Returns the redirect to the download's page, or None (with the reason flashed) when it was refused.
    """
    try:
        download, stale = services.download_ask(
            db.session(), current_user, kind, params, language=chosen_language(), base_url=base_url
        )
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "warning")
        return None
    db.session.commit()
    services.download_start(download, stale)
    return redirect(url_for("downloads.show", download_id=download.id))


@bp.get("/")
@login_required
def index() -> str:
    require(can_list_downloads(current_user))
    return render_template(
        "downloads/index.html",
        downloads=services.downloads_of(db.session(), current_user),
        keep_days=services.keep_for().days,
    )


@bp.get("/<int:download_id>")
@login_required
def show(download_id: int) -> str:
    download = _download_or_404(download_id)
    if job_fail_if_stalled(db.session(), download.job):
        db.session.commit()
    return render_template("downloads/show.html", download=download)


@bp.get("/<int:download_id>/status")
@login_required
def status(download_id: int) -> Response:
    download = _download_or_404(download_id)
    if job_fail_if_stalled(db.session(), download.job):
        db.session.commit()
    return jsonify(download.state(url_for("downloads.file", download_id=download.id)))


@bp.get("/<int:download_id>/file")
@login_required
def file(download_id: int) -> Response:
    download = _download_or_404(download_id)
    if not download.ready or download.file_key is None:
        abort(404)
    response = send_stored_attachment(download.file_key, download.mime, download.filename)
    response.headers["X-Content-SHA256"] = download.sha256 or ""
    return response


@bp.post("/<int:download_id>/retry")
@login_required
def retry(download_id: int) -> BaseResponse:
    download = _download_or_404(download_id)
    if not RetryForm().validate_on_submit():
        abort(400)
    try:
        job = services.download_retry(db.session(), download)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "warning")
    else:
        db.session.commit()
        job_start(job.id)
        flash(_("The file is being prepared again."), "info")
    return redirect(url_for("downloads.show", download_id=download.id))
