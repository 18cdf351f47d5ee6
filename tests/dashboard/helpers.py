"""Building portfolios for the dashboard tests: milestones on chosen days, phases in chosen states."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import event

from app.core.enums import MilestoneStatus, PhaseKind, PhaseStatus
from app.core.timeutil import today
from app.extensions import db
from app.projects.models import Milestone, Project
from app.projects.services import project_refresh_summary


def add_milestone(
    project: Project,
    days: int,
    *,
    status: MilestoneStatus = MilestoneStatus.OPEN,
    owner_id: int | None = None,
    title: str = "Milestone",
    phase: PhaseKind = PhaseKind.EVALUATION,
) -> Milestone:
    """A milestone planned ``days`` from today (negative: in the past), committed."""
    milestone = Milestone(
        project_id=project.id,
        phase_id=project.phase(phase).id,
        title=title,
        owner_id=owner_id,
        planned_date=today() + timedelta(days=days),
        status=status,
        actual_date=today() if status is MilestoneStatus.DONE else None,
    )
    db.session.add(milestone)
    db.session.commit()
    return milestone


def reach_phase(project: Project, kind: PhaseKind, status: PhaseStatus = PhaseStatus.IN_PROGRESS) -> Project:
    """Mark the phases before ``kind`` done and ``kind`` in ``status``, as the services leave a project."""
    reached = False
    for phase in sorted(project.phases, key=lambda p: p.position):
        if phase.kind is kind:
            phase.status = status
            reached = True
        elif not reached:
            phase.status = PhaseStatus.DONE
    project_refresh_summary(project)
    db.session.commit()
    return project


def complete(project: Project) -> Project:
    for phase in project.phases:
        phase.status = PhaseStatus.DONE
    project_refresh_summary(project)
    db.session.commit()
    return project


@contextmanager
def counting_queries() -> Iterator[list[str]]:
    """The SQL statements sent to the database inside the block."""
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
