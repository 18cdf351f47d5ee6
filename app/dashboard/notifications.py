"""In-app notifications: the milestones a person should act on, overdue or due soon.

A person is concerned by the open milestones they own and, for managers and administrators, the open
milestones of the projects they manage. Donors get none. Every query starts from an index (milestone owner,
project manager, then the project/status/date index), never from all open milestones.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import CompoundSelect, Date, Integer, Select, bindparam, func, select, union
from sqlalchemy.orm import Session

from app.agreements.models import Agreement, Commitment
from app.agreements.services import agreements_expiring, commitments_due
from app.core.enums import MilestoneStatus, Role
from app.core.permissions import can_receive_notifications
from app.dashboard.pagination import RowsPagination
from app.projects.models import Milestone, Project


@dataclass(frozen=True)
class Notification:
    milestone_id: int
    title: str
    planned_date: date
    project_id: int
    project_code: str
    project_title: str
    days_late: int

    @property
    def overdue(self) -> bool:
        return self.days_late > 0

    @property
    def days_left(self) -> int:
        return -self.days_late


def _concerning(managed: bool) -> CompoundSelect | Select[int, date]:
    """(id, planned date) of the open milestones planned on or before ``:horizon`` that concern ``:user_id``:
    the ones they own and, if ``managed``, those of the projects they manage."""
    user_id, horizon = bindparam("user_id", type_=Integer), bindparam("horizon", type_=Date)
    # "Not done nor cancelled" rather than "open": an equality on status would tempt SQLite (without
    # statistics) into ix_milestones_status_planned, reading every open milestone of the portfolio instead
    # of this person's few through ix_milestones_owner_id.
    owned = select(Milestone.id, Milestone.planned_date).where(
        Milestone.owner_id == user_id,
        Milestone.status.not_in([MilestoneStatus.DONE, MilestoneStatus.CANCELLED]),
        Milestone.planned_date <= horizon,
    )
    if not managed:
        return owned
    # Their projects first (ix_projects_manager_id), then each project's open milestones by date, read from
    # the covering ix_milestones_project_status_planned alone.
    their_projects = select(Project.id).where(Project.manager_id == user_id)
    return union(
        owned,
        select(Milestone.id, Milestone.planned_date).where(
            Milestone.project_id.in_(their_projects),
            Milestone.status == MilestoneStatus.OPEN,
            Milestone.planned_date <= horizon,
        ),
    )


def _details(first: Any) -> Select[*tuple[Any, ...]]:
    """Title and project of the milestones in ``first`` (a subquery of ids and dates), in date order."""
    return (
        select(Milestone.id, Milestone.title, Milestone.planned_date, Project.id, Project.code, Project.title)
        .join(first, first.c.id == Milestone.id)
        .join(Project, Project.id == Milestone.project_id)
        .order_by(first.c.planned_date, first.c.id)
    )


# The statements only take parameters: built once per shape (owner only, or owner and manager), not per page.
@functools.cache
def _count_statement(managed: bool) -> Select[int]:
    return select(func.count()).select_from(_concerning(managed).subquery())


@functools.cache
def _list_statement(managed: bool) -> Select[*tuple[Any, ...]]:
    return _details(_concerning(managed).subquery())


@functools.cache
def _preview_statement(managed: bool) -> Select[*tuple[Any, ...]]:
    ranked = _concerning(managed).subquery()
    first = (
        select(ranked.c.id, ranked.c.planned_date, func.count().over().label("total"))
        .order_by(ranked.c.planned_date, ranked.c.id)
        .limit(bindparam("limit", type_=Integer))
        .subquery()
    )
    return _details(first).add_columns(first.c.total)


def _params(user: Any, on: date, due_soon_days: int) -> dict[str, Any] | None:
    """The statements' parameters for ``user``, or None for people who get no notifications (donors)."""
    if not can_receive_notifications(user):
        return None
    return {"user_id": user.id, "horizon": on + timedelta(days=due_soon_days)}


def _manages(user: Any) -> bool:
    return bool(user.role in (Role.ADMIN, Role.MANAGER))


def notification_count(session: Session, user: Any, *, on: date, due_soon_days: int) -> int | None:
    """How many milestones concern ``user`` now; None for people who get no notifications (donors)."""
    params = _params(user, on, due_soon_days)
    if params is None:
        return None
    return session.connection().scalar(_count_statement(_manages(user)), params) or 0


def notifications_page(
    session: Session, user: Any, *, on: date, due_soon_days: int, page: int, per_page: int
) -> Pagination:
    """One page of the milestones concerning ``user``, most overdue first (items are :class:`Notification`)."""
    params = _params(user, on, due_soon_days) or {}
    managed = _manages(user)

    def load(limit: int, offset: int) -> list[Notification]:
        if not params:
            return []
        rows = session.connection().execute(_list_statement(managed).limit(limit).offset(offset), params)
        return as_notifications(rows, on=on)

    def count() -> int:
        return notification_count(session, user, on=on, due_soon_days=due_soon_days) or 0

    return RowsPagination(page=page, per_page=per_page, max_per_page=None, error_out=False, load=load, counter=count)


def as_notifications(rows: Any, *, on: date) -> list[Notification]:
    return [
        Notification(
            milestone_id=mid,
            title=title,
            planned_date=planned,
            project_id=pid,
            project_code=code,
            project_title=project_title,
            days_late=(on - planned).days,
        )
        for mid, title, planned, pid, code, project_title in rows
    ]


def notifications_for(session: Session, user: Any, *, on: date, due_soon_days: int) -> list[Notification]:
    """Every milestone concerning ``user``, most overdue first."""
    params = _params(user, on, due_soon_days)
    if params is None:
        return []
    return as_notifications(session.connection().execute(_list_statement(_manages(user)), params), on=on)


def notifications_preview(
    session: Session, user: Any, *, on: date, due_soon_days: int, limit: int
) -> tuple[list[Notification], int]:
    """The first ``limit`` notifications and how many there are in all, in one query.

    The order and the count read ids and dates only; titles and projects are looked up for the first few.
    """
    params = _params(user, on, due_soon_days)
    if params is None:
        return [], 0
    rows = session.connection().execute(_preview_statement(_manages(user)), params | {"limit": limit}).all()
    total = int(rows[0][-1]) if rows else 0
    return as_notifications([row[:-1] for row in rows], on=on), total


@dataclass(frozen=True)
class AgreementAlerts:
    """Open commitments of signed agreements due soon or overdue, and signed agreements about to end."""

    commitments: list[Commitment]
    expiring: list[Agreement]
    on: date

    def __bool__(self) -> bool:
        return bool(self.commitments or self.expiring)


def agreement_alerts(
    session: Session, user: Any, *, on: date, due_soon_days: int, expiry_days: int, limit: int | None = None
) -> AgreementAlerts:
    """What needs a follow-up with the partners: two queries, whatever the number of agreements."""
    return AgreementAlerts(
        commitments=commitments_due(session, user, due_soon_days, on=on, limit=limit),
        expiring=agreements_expiring(session, user, expiry_days, on=on, limit=limit),
        on=on,
    )
