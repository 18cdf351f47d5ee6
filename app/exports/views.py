"""The exports page and its downloads: IATI 2.03 XML (portfolio or one project), the portfolio as XLSX and as CSV
with HXL hashtags (one ZIP of every table, or one table at a time).

One project's XML and one table come at once; the whole-portfolio files are prepared in the background (see
app.exports.files) and fetched from the person's downloads. Every file is built from
:func:`app.exports.data.portfolio_collect`, which reads only what the user may see and nothing private.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers.response import Response

from app.core.enums import DownloadKind
from app.core.permissions import budget_funder_scope, can_export, can_export_project, require
from app.core.spreadsheets import CSV_MIMETYPE, XML_MIMETYPE, attachment
from app.core.timeutil import today, utcnow
from app.downloads.views import prepare
from app.exports.data import exportable_projects, funder_scope_name
from app.exports.files import portfolio_of
from app.exports.iati import iati_activities
from app.exports.tables import TABLES, TITLES, portfolio_csv
from app.extensions import db
from app.projects.models import Project

bp = Blueprint("exports", __name__, url_prefix="/exports", template_folder="templates")

PORTFOLIO_FILES = (DownloadKind.PORTFOLIO_IATI, DownloadKind.PORTFOLIO_XLSX, DownloadKind.PORTFOLIO_CSV_ZIP)


def _stamp() -> str:
    return today().isoformat()


@bp.get("/")
@login_required
def index() -> str:
    require(can_export(current_user))
    return render_template(
        "exports/index.html",
        projects=exportable_projects(db.session(), current_user),
        scope=funder_scope_name(db.session(), current_user),
        everything=budget_funder_scope(current_user) is None,
        tables=TABLES,
        titles=TITLES,
    )


@bp.post("/prepare/<string:kind>")
@login_required
def prepare_portfolio(kind: str) -> Response:
    """Start preparing a whole-portfolio file; the person follows it on the download's page."""
    require(can_export(current_user))
    chosen = next((file for file in PORTFOLIO_FILES if file.value == kind), None)
    if chosen is None:
        abort(404)
    return prepare(chosen, {}, base_url=request.url_root) or redirect(url_for("exports.index"))


@bp.get("/iati/project/<int:project_id>.xml")
@login_required
def iati_project(project_id: int) -> Response:
    project = db.session.get(Project, project_id)
    if project is None:
        abort(404)
    require(can_export_project(current_user, project))
    data = iati_activities(portfolio_of(db.session(), current_user, project.id), generated_at=utcnow())
    return attachment(data, XML_MIMETYPE, f"{project.code}-iati-{_stamp()}.xml")


@bp.get("/portfolio/<string:table>.csv")
@login_required
def portfolio_table(table: str) -> Response:
    if table not in TABLES:
        abort(404)
    require(can_export(current_user))
    portfolio = portfolio_of(db.session(), current_user)
    return attachment(portfolio_csv(portfolio, table), CSV_MIMETYPE, f"rehabilita-{table}-{_stamp()}.csv")
