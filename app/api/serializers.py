"""Records as JSON: dates in ISO 8601, decimals as strings, enums by name, links to related resources.

Donors get what the web pages show them and no more (see ``can_view_staff_only_data``): no contact persons, a
center's position rounded to about a kilometre, no names (or ids) of staff.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import url_for
from flask_login import current_user

from app.centers.models import Center
from app.centers.services import map_position
from app.core.enums import ProjectState
from app.core.permissions import can_view_staff_only_data
from app.projects.models import Milestone, Phase, Project


def iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def decimal_text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def _stamps(record: Any) -> dict[str, Any]:
    return {"created_at": iso(record.created_at), "updated_at": iso(record.updated_at), "version": record.version}


def center_json(center: Center) -> dict[str, Any]:
    staff = can_view_staff_only_data(current_user)
    position = map_position(center, exact=staff)
    return {
        "id": center.id,
        "code": center.code,
        "name": center.name,
        "population": center.population.value,
        "department": center.department,
        "municipality": center.municipality,
        "address": center.address,
        "latitude": None if position is None else (decimal_text(center.latitude) if staff else f"{position[0]:.2f}"),
        "longitude": None if position is None else (decimal_text(center.longitude) if staff else f"{position[1]:.2f}"),
        "capacity": center.capacity,
        "usual_occupancy": center.usual_occupancy,
        "administering_org_id": center.administering_org_id,
        "contact_name": center.contact_name if staff else None,
        "contact_phone": center.contact_phone if staff else None,
        "contact_email": center.contact_email if staff else None,
        "archived": center.archived,
        "archived_at": iso(center.archived_at),
        **_stamps(center),
        "links": {
            "self": url_for("api.center_get", center_id=center.id),
            "projects": url_for("api.projects_list", center_id=center.id),
        },
    }


def project_state(project: Project) -> ProjectState:
    if project.completed:
        return ProjectState.COMPLETED
    return ProjectState.ON_HOLD if project.on_hold else ProjectState.ACTIVE


def project_json(project: Project) -> dict[str, Any]:
    staff = can_view_staff_only_data(current_user)
    return {
        "id": project.id,
        "code": project.code,
        "title": project.title,
        "objective": project.objective,
        "kind": project.kind.value,
        "center_id": project.center_id,
        "manager_id": project.manager_id if staff else None,
        "funder_ids": sorted(project.funder_ids),
        "planned_start": iso(project.planned_start),
        "planned_end": iso(project.planned_end),
        "current_phase": project.current_phase.value,
        "status": project_state(project).value,
        "physical_progress": decimal_text(project.physical_progress),
        "last_activity_at": iso(project.last_activity_at),
        **_stamps(project),
        "links": {
            "self": url_for("api.project_get", project_id=project.id),
            "center": url_for("api.center_get", center_id=project.center_id),
            "phases": url_for("api.phases_list", project_id=project.id),
            "milestones": url_for("api.milestones_list", project_id=project.id),
        },
    }


def phase_json(phase: Phase) -> dict[str, Any]:
    return {
        "id": phase.id,
        "project_id": phase.project_id,
        "kind": phase.kind.value,
        "position": phase.position,
        "status": phase.status.value,
        "planned_start": iso(phase.planned_start),
        "planned_end": iso(phase.planned_end),
        "actual_start": iso(phase.actual_start),
        "actual_end": iso(phase.actual_end),
        "gate_overridden": bool(phase.gate_override_reason),
        "gate_evidence": phase.gate_evidence if can_view_staff_only_data(current_user) else None,
        **_stamps(phase),
        "links": {
            "self": url_for("api.phase_get", phase_id=phase.id),
            "project": url_for("api.project_get", project_id=phase.project_id),
        },
    }


def milestone_json(milestone: Milestone) -> dict[str, Any]:
    staff = can_view_staff_only_data(current_user)
    return {
        "id": milestone.id,
        "project_id": milestone.project_id,
        "phase_id": milestone.phase_id,
        "title": milestone.title,
        "owner_id": milestone.owner_id if staff else None,
        "planned_date": iso(milestone.planned_date),
        "actual_date": iso(milestone.actual_date),
        "status": milestone.status.value,
        "overdue": milestone.is_overdue(),
        "notes": milestone.notes,
        **_stamps(milestone),
        "links": {
            "self": url_for("api.milestone_get", milestone_id=milestone.id),
            "project": url_for("api.project_get", project_id=milestone.project_id),
        },
    }
