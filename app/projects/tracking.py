"""Following a project day to day: its milestones and the physical progress of the works.

Functions take a session and values, flush, and never commit.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.core.enums import MilestoneStatus
from app.core.errors import DomainError
from app.core.permissions import STAFF
from app.core.timeutil import today
from app.projects.models import Milestone, Phase, ProgressReading, Project
from app.projects.services import check_not_future, check_version

HUNDREDTH = Decimal("0.01")


# --- milestones -----------------------------------------------------------------------------------------
def _checked(
    session: Session, project: Project, title: str, phase_id: int | None, owner_id: int | None
) -> tuple[str, Phase]:
    """The cleaned title and the phase of a milestone; raises on a missing title, a phase of another
    project, or an owner who is not active staff."""
    title = title.strip()
    if not title:
        raise DomainError(_("The title is required."), field="title")
    phase = session.get(Phase, phase_id) if phase_id else None
    if phase is None or phase.project_id != project.id:
        raise DomainError(_("Choose one of this project's phases."), field="phase_id")
    if owner_id is not None:
        owner = session.get(User, owner_id)
        if owner is None or not owner.active or owner.role not in STAFF:
            raise DomainError(_("The owner must be an active member of the staff."), field="owner_id")
    return title, phase


def _settle_actual_date(status: MilestoneStatus, actual_date: date | None) -> date | None:
    """Done milestones carry the day they were done (today unless given); open ones carry none."""
    check_not_future(actual_date, "actual_date")
    if status is MilestoneStatus.DONE:
        return actual_date or today()
    if status is MilestoneStatus.OPEN and actual_date is not None:
        raise DomainError(
            _("An open milestone has no actual date; clear it or mark the milestone done."),
            field="actual_date",
        )
    return actual_date


def milestone_create(
    session: Session,
    project: Project,
    *,
    title: str,
    phase_id: int | None,
    planned_date: date,
    owner_id: int | None = None,
    status: MilestoneStatus = MilestoneStatus.OPEN,
    actual_date: date | None = None,
    notes: str = "",
) -> Milestone:
    """Log a milestone of ``project`` in one of its phases."""
    title, phase = _checked(session, project, title, phase_id, owner_id)
    milestone = Milestone(
        project=project,
        phase=phase,
        title=title,
        owner_id=owner_id,
        planned_date=planned_date,
        status=status,
        actual_date=_settle_actual_date(status, actual_date),
        notes=notes.strip(),
    )
    session.add(milestone)
    session.flush()
    return milestone


def milestone_update(
    session: Session,
    milestone: Milestone,
    *,
    version: int | None,
    title: str,
    phase_id: int | None,
    planned_date: date,
    owner_id: int | None = None,
    status: MilestoneStatus = MilestoneStatus.OPEN,
    actual_date: date | None = None,
    notes: str = "",
) -> Milestone:
    """Save an edited milestone, unless someone else changed it since ``version`` was read."""
    check_version(milestone, version)
    title, phase = _checked(session, milestone.project, title, phase_id, owner_id)
    milestone.actual_date = _settle_actual_date(status, actual_date)
    milestone.title = title
    milestone.phase = phase
    milestone.owner_id = owner_id
    milestone.planned_date = planned_date
    milestone.status = status
    milestone.notes = notes.strip()
    session.flush()
    return milestone


def milestone_close(
    session: Session, milestone: Milestone, *, version: int | None, actual_date: date | None = None
) -> Milestone:
    """Mark an open milestone done on ``actual_date`` (today unless given)."""
    check_version(milestone, version)
    if milestone.status is not MilestoneStatus.OPEN:
        raise DomainError(_("Only an open milestone can be closed."), field="status")
    milestone.actual_date = _settle_actual_date(MilestoneStatus.DONE, actual_date)
    milestone.status = MilestoneStatus.DONE
    session.flush()
    return milestone


# --- works progress -------------------------------------------------------------------------------------
def progress_record(
    session: Session,
    project: Project,
    *,
    reading_date: date,
    percent: Decimal | None,
    contractor: str,
    notes: str = "",
) -> ProgressReading:
    """Record a reading of the physical progress; the project then shows the latest reading by date."""
    if reading_date > today():
        raise DomainError(_("A reading cannot be dated in the future."), field="reading_date")
    if percent is None or not percent.is_finite() or not Decimal(0) <= percent <= Decimal(100):
        raise DomainError(_("Progress is a percentage between 0 and 100."), field="percent")
    contractor = contractor.strip()
    if not contractor:
        raise DomainError(_("Say which contractor or supervisor reported this reading."), field="contractor")
    reading = ProgressReading(
        reading_date=reading_date,
        percent=percent.quantize(HUNDREDTH),
        contractor=contractor,
        notes=notes.strip(),
    )
    project.progress_readings.append(reading)
    session.flush()
    latest = session.scalar(
        select(ProgressReading.percent)
        .where(ProgressReading.project_id == project.id)
        .order_by(ProgressReading.reading_date.desc(), ProgressReading.id.desc())
        .limit(1)
    )
    project.physical_progress = latest if latest is not None else Decimal(0)
    session.flush()
    return reading
