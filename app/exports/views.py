"""The exports page and its downloads: IATI 2.03 XML (portfolio or one project), the portfolio as XLSX and as CSV
with HXL hashtags (one ZIP of every table, or one table at a time).

Every download is built from :func:`app.exports.data.portfolio_collect`, which reads only what the user may see
and nothing private.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers.response import Response

from app.core.permissions import budget_funder_scope, can_export, can_export_project, require
from app.core.spreadsheets import CSV_MIMETYPE, XLSX_MIMETYPE, XML_MIMETYPE, ZIP_MIMETYPE, attachment
from app.core.timeutil import today, utcnow
from app.exports.data import Portfolio, exportable_projects, funder_scope_name, portfolio_collect
from app.exports.iati import iati_activities
from app.exports.tables import TABLES, TITLES, portfolio_csv, portfolio_csv_zip, portfolio_xlsx
from app.extensions import db
from app.projects.models import Project

bp = Blueprint("exports", __name__, url_prefix="/exports", template_folder="templates")


def _document_url(document_id: int) -> str:
    return url_for("documents.show", document_id=document_id, _external=True)


def _report_url(report_id: int) -> str:
    return url_for("reports.download", report_id=report_id, _external=True)


def portfolio_for(project_id: int | None = None) -> Portfolio:
    """What the current user may export (one project, or every project it may see), with links to documents and
    donor reports; the pages here and the API (app.api.exports) both build from it."""
    # Donor reports are linked where the reports feature is installed.
    reports = _report_url if "reports.download" in current_app.view_functions else None
    return portfolio_collect(
        db.session(), current_user, project_id=project_id, url_for_document=_document_url, url_for_report=reports
    )


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


@bp.get("/iati/portfolio.xml")
@login_required
def iati_portfolio() -> Response:
    require(can_export(current_user))
    data = iati_activities(portfolio_for(), generated_at=utcnow())
    return attachment(data, XML_MIMETYPE, f"rehabilita-iati-{_stamp()}.xml")


@bp.get("/iati/project/<int:project_id>.xml")
@login_required
def iati_project(project_id: int) -> Response:
    project = db.session.get(Project, project_id)
    if project is None:
        abort(404)
    require(can_export_project(current_user, project))
    data = iati_activities(portfolio_for(project.id), generated_at=utcnow())
    return attachment(data, XML_MIMETYPE, f"{project.code}-iati-{_stamp()}.xml")


@bp.get("/portfolio.xlsx")
@login_required
def portfolio_workbook() -> Response:
    require(can_export(current_user))
    return attachment(portfolio_xlsx(portfolio_for()), XLSX_MIMETYPE, f"rehabilita-portfolio-{_stamp()}.xlsx")


@bp.get("/portfolio-csv.zip")
@login_required
def portfolio_zip() -> Response:
    require(can_export(current_user))
    data = portfolio_csv_zip(portfolio_for(), stamp=today())
    return attachment(data, ZIP_MIMETYPE, f"rehabilita-portfolio-csv-{_stamp()}.zip")


@bp.get("/portfolio/<string:table>.csv")
@login_required
def portfolio_table(table: str) -> Response:
    if table not in TABLES:
        abort(404)
    require(can_export(current_user))
    return attachment(portfolio_csv(portfolio_for(), table), CSV_MIMETYPE, f"rehabilita-{table}-{_stamp()}.csv")
