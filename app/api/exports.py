"""Exports through the API: the portfolio (every project the token's user may see) or one project as IATI 2.03
XML, the portfolio as an XLSX workbook, as CSV tables with HXL hashtags, or all of them in one ZIP.

Built by the exports package from the same data as the Exports page: a donor's token exports only what it funds.
"""

from __future__ import annotations

from flask import Response, abort
from flask_login import current_user
from werkzeug.wrappers.response import Response as BaseResponse

from app.api.blueprint import bp
from app.api.projects import visible_project
from app.core.permissions import can_export, can_export_project, require
from app.core.spreadsheets import CSV_MIMETYPE, XLSX_MIMETYPE, XML_MIMETYPE, ZIP_MIMETYPE, attachment
from app.core.timeutil import today, utcnow
from app.exports.files import portfolio_of
from app.exports.iati import iati_activities
from app.exports.tables import TABLES, portfolio_csv, portfolio_csv_zip, portfolio_xlsx
from app.extensions import db


@bp.get("/projects/<int:project_id>/iati.xml")
def project_iati(project_id: int) -> Response:
    project = visible_project(project_id)
    require(can_export_project(current_user, project))
    return Response(
        iati_activities(portfolio_of(db.session(), current_user, project.id), generated_at=utcnow()),
        mimetype=XML_MIMETYPE,
    )


@bp.get("/exports/iati.xml")
def portfolio_iati() -> Response:
    require(can_export(current_user))
    return Response(
        iati_activities(portfolio_of(db.session(), current_user), generated_at=utcnow()), mimetype=XML_MIMETYPE
    )


@bp.get("/exports/portfolio.xlsx")
def portfolio_workbook() -> BaseResponse:
    require(can_export(current_user))
    return attachment(
        portfolio_xlsx(portfolio_of(db.session(), current_user)),
        XLSX_MIMETYPE,
        f"rehabilita-portfolio-{today().isoformat()}.xlsx",
    )


@bp.get("/exports/portfolio-csv.zip")
def portfolio_zip() -> BaseResponse:
    require(can_export(current_user))
    data = portfolio_csv_zip(portfolio_of(db.session(), current_user), stamp=today())
    return attachment(data, ZIP_MIMETYPE, f"rehabilita-portfolio-csv-{today().isoformat()}.zip")


@bp.get("/exports/<table>.csv")
def portfolio_table(table: str) -> BaseResponse:
    if table not in TABLES:
        abort(404)
    require(can_export(current_user))
    return attachment(
        portfolio_csv(portfolio_of(db.session(), current_user), table),
        CSV_MIMETYPE,
        f"rehabilita-{table}-{today().isoformat()}.csv",
    )
