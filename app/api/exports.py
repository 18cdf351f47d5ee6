"""``GET /api/v1/projects/{id}/iati.xml``: the project as an IATI 2.03 activity, built by the exports package."""

from __future__ import annotations

from flask import Response
from flask_login import current_user

from app.api.blueprint import bp
from app.api.projects import visible_project
from app.core.permissions import can_export_project, require
from app.core.spreadsheets import XML_MIMETYPE
from app.core.timeutil import utcnow
from app.exports.iati import iati_activities
from app.exports.views import portfolio_for


@bp.get("/projects/<int:project_id>/iati.xml")
def project_iati(project_id: int) -> Response:
    project = visible_project(project_id)
    require(can_export_project(current_user, project))
    return Response(iati_activities(portfolio_for(project.id), generated_at=utcnow()), mimetype=XML_MIMETYPE)
