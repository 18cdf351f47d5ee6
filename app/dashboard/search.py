"""Search from the navigation bar: centers, projects and milestones, among what the person may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.orm import Session

from app.centers.models import Center
from app.dashboard.visibility import sees_every_project, visible_projects_clause
from app.projects.models import Milestone, Project
from app.projects.services import projects_visible_query

MIN_QUERY_LENGTH = 2
SEARCH_LIMIT = 10


def like_pattern(text: str) -> str:
    """``%text%`` with the user's own ``%``, ``_`` and ``\\`` matched literally (escape character ``\\``)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass(frozen=True)
class SearchGroup:
    items: list[Any]
    more: bool


@dataclass(frozen=True)
class SearchResults:
    centers: SearchGroup
    projects: SearchGroup
    milestones: SearchGroup

    @property
    def empty(self) -> bool:
        return not (self.centers.items or self.projects.items or self.milestones.items)


def _group(session: Session, query: Select[*tuple[Any, ...]], limit: int) -> SearchGroup:
    rows = list(session.execute(query.limit(limit + 1)).all())
    return SearchGroup(items=rows[:limit], more=len(rows) > limit)


def search(session: Session, user: Any, text: str, *, limit: int = SEARCH_LIMIT) -> SearchResults:
    """Centers (code, name, municipality), projects (code, title) and milestones (title) matching ``text``,
    case-insensitively, among what ``user`` may see; at most ``limit`` of each."""
    pattern = like_pattern(text.strip())

    def match(column: Any) -> ColumnElement[bool]:
        return column.ilike(pattern, escape="\\")

    centers = select(Center.id, Center.code, Center.name, Center.municipality, Center.archived_at).where(
        or_(match(Center.code), match(Center.name), match(Center.municipality))
    )
    if not sees_every_project(user):
        centers = centers.where(Center.id.in_(projects_visible_query(user).with_only_columns(Project.center_id)))
    projects = (
        select(Project.id, Project.code, Project.title, Center.code.label("center_code"))
        .join(Center, Center.id == Project.center_id)
        .where(or_(match(Project.code), match(Project.title)), visible_projects_clause(user))
    )
    milestones = (
        select(
            Milestone.id,
            Milestone.title,
            Milestone.planned_date,
            Milestone.status,
            Project.id.label("project_id"),
            Project.code.label("project_code"),
        )
        .join(Project, Project.id == Milestone.project_id)
        .where(match(Milestone.title), visible_projects_clause(user))
    )
    return SearchResults(
        centers=_group(session, centers.order_by(Center.code), limit),
        projects=_group(session, projects.order_by(Project.code), limit),
        milestones=_group(session, milestones.order_by(Milestone.planned_date.desc(), Milestone.id), limit),
    )
