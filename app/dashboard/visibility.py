"""Which projects a person may see, in the forms the dashboard's queries need.

The rule itself is :func:`app.projects.services.projects_visible_query` (staff see all, a donor what its
organization funds); these helpers restate it as conditions and as a key for kept figures.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from sqlalchemy import ColumnElement, true

from app.core.permissions import STAFF
from app.projects.models import Project
from app.projects.services import projects_visible_query


def sees_every_project(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.role in STAFF)


def visible_projects_clause(user: Any) -> ColumnElement[bool]:
    """The rule of :func:`projects_visible_query` as a condition on ``projects`` (true for staff)."""
    clause = projects_visible_query(user).whereclause
    return true() if clause is None else clause


def visible_project_ids_clause(user: Any, project_id: Any) -> ColumnElement[bool]:
    """A condition that ``project_id`` (a column of another table) names a project ``user`` may see."""
    if sees_every_project(user):
        return true()
    return project_id.in_(projects_visible_query(user).with_only_columns(Project.id))


def visibility_key(user: Any) -> Hashable:
    """Users with the same key see the same projects."""
    if sees_every_project(user):
        return "staff"
    return ("funded-by", getattr(user, "organization_id", None))
