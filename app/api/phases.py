"""A project's five phases: read them, and steer one (status, dates, gate evidence) as the phase form does.

Closing a phase goes through the same gate as the web page: it is refused while the gate does not hold, unless an
administrator writes why it is overridden.
"""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers.response import Response

from app.api.blueprint import bp
from app.api.http import expected_version, page, single, visible_or_404
from app.api.inputs import Field, json_body, parse_fields
from app.api.projects import visible_project
from app.api.serializers import phase_json
from app.core.enums import PhaseStatus
from app.core.permissions import can_change_phase, can_override_gate, can_view_project, require
from app.extensions import db
from app.projects import services
from app.projects.models import Phase

PHASE_FIELDS = {
    "status": Field("enum", enum_type=PhaseStatus),
    "planned_start": Field("date", nullable=True),
    "planned_end": Field("date", nullable=True),
    "actual_start": Field("date", nullable=True, description="Starting a phase without it starts it today."),
    "actual_end": Field("date", nullable=True, description="Only a phase that is done has one; defaults to today."),
    "gate_evidence": Field("string", max_length=5000, description="What shows the phase's gate holds."),
    "override_reason": Field(
        "string",
        max_length=2000,
        description="Administrators only: why a phase is closed although its gate does not hold.",
    ),
}


@bp.get("/projects/<int:project_id>/phases")
def phases_list(project_id: int) -> Response:
    project = visible_project(project_id)
    query = select(Phase).where(Phase.project_id == project.id)
    return page(query, Phase.id, lambda rows: [phase_json(p) for p in rows], "api.phases_list", project_id=project.id)


def visible_phase(phase_id: int) -> Phase:
    return visible_or_404(Phase, phase_id, lambda phase: can_view_project(current_user, phase.project))


@bp.get("/phases/<int:phase_id>")
def phase_get(phase_id: int) -> Response:
    phase = visible_phase(phase_id)
    return single(phase, phase_json(phase))


@bp.patch("/phases/<int:phase_id>")
def phase_patch(phase_id: int) -> Response:
    phase = visible_phase(phase_id)
    require(can_change_phase(current_user, phase.project))
    version = expected_version(phase)
    changes = parse_fields(json_body(), PHASE_FIELDS, partial=True)
    may_override = can_override_gate(current_user)
    current: dict[str, Any] = {
        "status": phase.status,
        "planned_start": phase.planned_start,
        "planned_end": phase.planned_end,
        "actual_start": phase.actual_start,
        "actual_end": phase.actual_end,
        "gate_evidence": phase.gate_evidence or "",
        "override_reason": "",
    }
    values = current | changes
    # Reopening a phase clears what only a closed (or started) phase has, unless the client says otherwise.
    if values["status"] is not PhaseStatus.DONE and "actual_end" not in changes:
        values["actual_end"] = None
    if values["status"] is PhaseStatus.NOT_STARTED and "actual_start" not in changes:
        values["actual_start"] = None
    if not may_override:
        values["override_reason"] = ""
    services.phase_update(db.session(), phase, version=version, may_override=may_override, **values)
    db.session.commit()
    return single(phase, phase_json(phase))
