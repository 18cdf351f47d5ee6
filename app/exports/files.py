"""The export files as one person may have them: the portfolio narrowed to what they may see, with links to its
documents and donor reports, and the builders that prepare the whole-portfolio files in the background (a
5,000-project portfolio takes a minute as XLSX: too long for a request, see app.downloads).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, BinaryIO

from flask import current_app, url_for
from sqlalchemy.orm import Session

from app.auth.models import User
from app.core.enums import DownloadKind
from app.core.jobs.runner import Progress
from app.core.spreadsheets import XLSX_MIMETYPE, XML_MIMETYPE, ZIP_MIMETYPE
from app.core.timeutil import today, utcnow
from app.downloads.services import Builder, Prepared, builder
from app.exports.data import portfolio_collect
from app.exports.iati import iati_activities
from app.exports.rows import Portfolio
from app.exports.tables import portfolio_csv_zip, portfolio_xlsx


def _document_url(document_id: int) -> str:
    return url_for("documents.show", document_id=document_id, _external=True)


def _report_url(report_id: int) -> str:
    return url_for("reports.download", report_id=report_id, _external=True)


def portfolio_of(session: Session, user: Any, project_id: int | None = None) -> Portfolio:
    """What ``user`` may export (one project, or every project they may see), with links to documents and donor
    reports (needs a request context for the links: a real request, or a job's stand-in)."""
    # Donor reports are linked where the reports feature is installed.
    reports = _report_url if "reports.download" in current_app.view_functions else None
    return portfolio_collect(
        session, user, project_id=project_id, url_for_document=_document_url, url_for_report=reports
    )


def _portfolio_file(name: str, mime: str, write: Callable[[Portfolio], bytes]) -> Builder:
    """A builder of one whole-portfolio file: what ``user`` may export, written by ``write``; ``name`` has a
    ``{date}`` for today."""

    def build(session: Session, user: User, params: dict[str, Any], out: BinaryIO, progress: Progress) -> Prepared:
        portfolio = portfolio_of(session, user)
        progress(50)
        out.write(write(portfolio))
        return Prepared(name.format(date=today().isoformat()), mime, items=len(portfolio.projects))

    return build


builder(DownloadKind.PORTFOLIO_IATI)(
    _portfolio_file(
        "rehabilita-iati-{date}.xml", XML_MIMETYPE, lambda portfolio: iati_activities(portfolio, generated_at=utcnow())
    )
)
builder(DownloadKind.PORTFOLIO_XLSX)(_portfolio_file("rehabilita-portfolio-{date}.xlsx", XLSX_MIMETYPE, portfolio_xlsx))
builder(DownloadKind.PORTFOLIO_CSV_ZIP)(
    _portfolio_file(
        "rehabilita-portfolio-csv-{date}.zip",
        ZIP_MIMETYPE,
        lambda portfolio: portfolio_csv_zip(portfolio, stamp=today()),
    )
)
