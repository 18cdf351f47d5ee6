"""``/api/v1/projects``, their phases and milestones, with the permission predicates of the web pages."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers.response import Response

from app.api.blueprint import bp
from app.api.http import created, expected_version, page, single, visible_or_404
from app.api.inputs import MAX_ID, Field, json_body, parse_fields, query_choice, query_int
from app.api.serializers import milestone_json, project_json
from app.core.enums import MilestoneStatus, PhaseKind, ProjectKind, ProjectState
from app.core.permissions import (
    can_create_project,
    can_edit_milestone,
    can_edit_project,
    can_list_projects,
    can_log_milestone,
    can_view_project,
    require,
)
from app.extensions import db
from app.projects import services, tracking
from app.projects.models import Milestone, Project

PROJECT_FIELDS = {
    "code": Field("string", required=True, max_length=32),
    "title": Field("string", required=True, max_length=200),
    "objective": Field("string", max_length=5000),
    "kind": Field("enum", enum_type=ProjectKind),
    "center_id": Field("integer", required=True, minimum=1, maximum=MAX_ID),
    "manager_id": Field("integer", nullable=True, minimum=1, maximum=MAX_ID),
    "funder_ids": Field("ids", description="Ids of the organizations that fund the project."),
    "planned_start": Field("date", required=True),
    "planned_end": Field("date", required=True),
}
MILESTONE_FIELDS = {
    "title": Field("string", required=True, max_length=200),
    "phase_id": Field("integer", minimum=1, maximum=MAX_ID, description="Defaults to the project's current phase."),
    "planned_date": Field("date", required=True),
    "owner_id": Field("integer", nullable=True, minimum=1, maximum=MAX_ID),
    "status": Field("enum", enum_type=MilestoneStatus),
    "actual_date": Field("date", nullable=True),
    "notes": Field("string", max_length=5000),
}
PROJECT_FILTERS = ("center_id", "phase", "status")


def visible_project(project_id: int) -> Project:
    return visible_or_404(Project, project_id, lambda project: can_view_project(current_user, project))


# --- projects -------------------------------------------------------------------------------------------
@bp.get("/projects")
def projects_list() -> Response:
    require(can_list_projects(current_user))
    phase = query_choice("phase", tuple(PhaseKind))
    status = query_choice("status", tuple(ProjectState))
    filters = services.ProjectFilter(
        center_id=query_int("center_id"),
        phase=PhaseKind(phase) if phase else None,
        status=ProjectState(status) if status else None,
    )
    query = services.projects_filtered_query(current_user, filters)
    return page(query, Project.id, lambda rows: [project_json(p) for p in rows], "api.projects_list", PROJECT_FILTERS)


def _project_values(project: Project) -> dict[str, Any]:
    return {
        "code": project.code,
        "title": project.title,
        "objective": project.objective,
        "kind": project.kind,
        "center_id": project.center_id,
        "manager_id": project.manager_id,
        "funder_ids": sorted(project.funder_ids),
        "planned_start": project.planned_start,
        "planned_end": project.planned_end,
    }


@bp.post("/projects")
def project_create() -> Response:
    require(can_create_project(current_user))
    values = parse_fields(json_body(), PROJECT_FIELDS)
    project = services.project_create(db.session(), **values)
    db.session.commit()
    return created(project, project_json(project))


@bp.get("/projects/<int:project_id>")
def project_get(project_id: int) -> Response:
    project = visible_project(project_id)
    return single(project, project_json(project))


@bp.patch("/projects/<int:project_id>")
def project_patch(project_id: int) -> Response:
    project = visible_project(project_id)
    require(can_edit_project(current_user, project))
    version = expected_version(project)
    changes = parse_fields(json_body(), PROJECT_FIELDS, partial=True)
    services.project_update(db.session(), project, version=version, **(_project_values(project) | changes))
    db.session.commit()
    return single(project, project_json(project))


# --- milestones -----------------------------------------------------------------------------------------
@bp.get("/projects/<int:project_id>/milestones")
def milestones_list(project_id: int) -> Response:
    project = visible_project(project_id)
    status = query_choice("status", tuple(MilestoneStatus))
    query = select(Milestone).where(Milestone.project_id == project.id)
    if status:
        query = query.where(Milestone.status == MilestoneStatus(status))
    render = lambda rows: [milestone_json(m) for m in rows]  # noqa: E731
    return page(query, Milestone.id, render, "api.milestones_list", ("status",), project_id=project.id)


@bp.post("/projects/<int:project_id>/milestones")
def milestone_create(project_id: int) -> Response:
    project = visible_project(project_id)
    require(can_log_milestone(current_user, project))
    values = parse_fields(json_body(), MILESTONE_FIELDS)
    values.setdefault("phase_id", project.phase(project.current_phase).id)
    milestone = tracking.milestone_create(db.session(), project, **values)
    db.session.commit()
    return created(milestone, milestone_json(milestone))


def visible_milestone(milestone_id: int) -> Milestone:
    return visible_or_404(Milestone, milestone_id, lambda milestone: can_view_project(current_user, milestone.project))


@bp.get("/milestones/<int:milestone_id>")
def milestone_get(milestone_id: int) -> Response:
    milestone = visible_milestone(milestone_id)
    return single(milestone, milestone_json(milestone))


@bp.patch("/milestones/<int:milestone_id>")
def milestone_patch(milestone_id: int) -> Response:
    milestone = visible_milestone(milestone_id)
    require(can_edit_milestone(current_user, milestone))
    version = expected_version(milestone)
    changes = parse_fields(json_body(), MILESTONE_FIELDS, partial=True)
    current: dict[str, Any] = {
        "title": milestone.title,
        "phase_id": milestone.phase_id,
        "planned_date": milestone.planned_date,
        "owner_id": milestone.owner_id,
        "status": milestone.status,
        "actual_date": milestone.actual_date,
        "notes": milestone.notes,
    }
    tracking.milestone_update(db.session(), milestone, version=version, **(current | changes))
    db.session.commit()
    return single(milestone, milestone_json(milestone))
