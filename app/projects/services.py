"""Projects and their phases. Functions take a session and values, flush, and never commit."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, false, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from app.auth.models import User
from app.centers.models import Center
from app.core.audit.recorder import audit_reason
from app.core.enums import MilestoneStatus, PhaseKind, PhaseStatus, ProjectKind, ProjectState, Role
from app.core.errors import Conflict, DomainError
from app.core.permissions import STAFF, STEERING
from app.core.timeutil import today, utcnow
from app.organizations.models import Organization
from app.projects.gates import check_gate
from app.projects.models import Milestone, Phase, Project, ProjectFunding

PHASE_ORDER: tuple[PhaseKind, ...] = tuple(PhaseKind)
CODE_MAX = 32


# --- reading ----------------------------------------------------------------------------------------------
def projects_visible_query(user: Any) -> Select[Project]:
    """Every project ``user`` may see, as a query to narrow further (filters, order, pagination).

    Staff see all projects; a donor sees only the projects its organization funds; anyone else sees none.
    The same rule as :func:`app.core.permissions.can_view_project`, written as SQL so lists never load
    what they would then hide.
    """
    query = select(Project)
    if user is None or not user.is_authenticated:
        return query.where(false())
    if user.role in STAFF:
        return query
    if user.role is Role.DONOR and user.organization_id is not None:
        funded = (
            select(ProjectFunding.id)
            .where(ProjectFunding.project_id == Project.id)
            .where(ProjectFunding.organization_id == user.organization_id)
        )
        return query.where(funded.exists())
    return query.where(false())


@dataclass(frozen=True)
class ProjectFilter:
    center_id: int | None = None
    phase: PhaseKind | None = None
    status: ProjectState | None = None


def projects_filtered_query(user: Any, filters: ProjectFilter) -> Select[Project]:
    """The projects ``user`` may see, narrowed by center, current phase and status, by code."""
    query = projects_visible_query(user)
    if filters.center_id:
        query = query.where(Project.center_id == filters.center_id)
    if filters.phase:
        query = query.where(Project.current_phase == filters.phase)
    if filters.status is ProjectState.COMPLETED:
        query = query.where(Project.completed.is_(True))
    elif filters.status is ProjectState.ON_HOLD:
        query = query.where(Project.on_hold.is_(True))
    elif filters.status is ProjectState.ACTIVE:
        query = query.where(Project.completed.is_(False), Project.on_hold.is_(False))
    return query.options(selectinload(Project.phases)).order_by(Project.code)


def project_for_page(session: Session, project_id: int) -> Project | None:
    """The project with everything its page shows loaded in a fixed number of queries."""
    return session.scalar(
        select(Project)
        .where(Project.id == project_id)
        .options(
            selectinload(Project.phases),
            selectinload(Project.milestones),
            selectinload(Project.progress_readings),
        )
    )


def overdue_counts(session: Session, project_ids: Sequence[int], on: date | None = None) -> dict[int, int]:
    """Open milestones past their planned date, per project, for the projects given."""
    if not project_ids:
        return {}
    rows = session.execute(
        select(Milestone.project_id, func.count())
        .where(Milestone.project_id.in_(project_ids))
        .where(Milestone.status == MilestoneStatus.OPEN)
        .where(Milestone.planned_date < (on or today()))
        .group_by(Milestone.project_id)
    )
    return {project_id: count for project_id, count in rows}


# --- checks shared by the services -------------------------------------------------------------------------
def check_dates(start: date | None, end: date | None, field: str) -> None:
    if start and end and end < start:
        raise DomainError(_("The end date cannot be before the start date."), field=field)


def check_not_future(value: date | None, field: str) -> None:
    if value and value > today():
        raise DomainError(_("This date is in the future; record what has happened."), field=field)


def check_version(record: Any, version: int | None) -> None:
    """Refuse to save over a record someone else changed since ``version`` was read (optimistic locking)."""
    if version is None or record.version != version:
        raise Conflict(_("This record was changed by someone else while you edited it."))


def _check_code(session: Session, code: str, project_id: int | None = None) -> str:
    code = code.strip().upper()
    if not code:
        raise DomainError(_("The code is required."), field="code")
    if len(code) > CODE_MAX:
        # Checked after capitalising: some letters grow (ß → SS).
        raise DomainError(_("Use at most %(n)d characters.", n=CODE_MAX), field="code")
    query = select(func.count()).select_from(Project).where(func.upper(Project.code) == code)
    if project_id is not None:
        query = query.where(Project.id != project_id)
    if session.scalar(query):
        raise DomainError(_("Another project already uses the code %(code)s.", code=code), field="code")
    return code


def _check_center(session: Session, center_id: int, current_center_id: int | None = None) -> None:
    center = session.get(Center, center_id)
    if center is None:
        raise DomainError(_("Choose an existing center."), field="center_id")
    if center.archived and center_id != current_center_id:
        raise DomainError(_("This center is archived; restore it before starting a project there."), field="center_id")


def _check_manager(session: Session, manager_id: int | None) -> None:
    if manager_id is None:
        return
    manager = session.get(User, manager_id)
    if manager is None or not manager.active or manager.role not in STEERING:
        raise DomainError(_("The manager must be an active project manager or administrator."), field="manager_id")


def _check_funders(session: Session, funder_ids: Iterable[int]) -> list[int]:
    wanted = sorted(set(funder_ids))
    if wanted:
        found = session.scalar(select(func.count()).select_from(Organization).where(Organization.id.in_(wanted)))
        if found != len(wanted):
            raise DomainError(_("Choose funding organizations from the list."), field="funder_ids")
    return wanted


def _check_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise DomainError(_("The title is required."), field="title")
    return title


def _checked_values(
    session: Session,
    project: Project | None,
    *,
    code: str,
    title: str,
    objective: str,
    kind: ProjectKind,
    center_id: int,
    manager_id: int | None,
    funder_ids: Iterable[int],
    planned_start: date,
    planned_end: date,
) -> tuple[dict[str, Any], list[int]]:
    """The project's columns, cleaned and checked, and the ids of its funders; raises on the first bad field."""
    values = {
        "code": _check_code(session, code, project.id if project else None),
        "title": _check_title(title),
        "objective": objective.strip(),
        "kind": kind,
        "center_id": center_id,
        "manager_id": manager_id,
        "planned_start": planned_start,
        "planned_end": planned_end,
    }
    _check_center(session, center_id, project.center_id if project else None)
    _check_manager(session, manager_id)
    funders = _check_funders(session, funder_ids)
    check_dates(planned_start, planned_end, "planned_end")
    return values, funders


def _flush_checking_code(session: Session) -> None:
    """Flush; a code taken meanwhile by another request becomes an error on the code field."""
    try:
        session.flush()
    except IntegrityError as error:
        if "code" not in str(error.orig).lower():
            raise
        raise DomainError(_("Another project already uses this code."), field="code") from error


# --- projects -------------------------------------------------------------------------------------------
def project_create(
    session: Session,
    *,
    code: str,
    title: str,
    center_id: int,
    planned_start: date,
    planned_end: date,
    objective: str = "",
    kind: ProjectKind = ProjectKind.REHABILITATION,
    manager_id: int | None = None,
    funder_ids: Iterable[int] = (),
) -> Project:
    """A new project with its five phases, in order, not started."""
    values, funders = _checked_values(
        session,
        None,
        code=code,
        title=title,
        objective=objective,
        kind=kind,
        center_id=center_id,
        manager_id=manager_id,
        funder_ids=funder_ids,
        planned_start=planned_start,
        planned_end=planned_end,
    )
    project = Project(**values, current_phase=PhaseKind.EVALUATION)
    project.phases = [
        Phase(kind=kind_, position=i + 1, status=PhaseStatus.NOT_STARTED) for i, kind_ in enumerate(PHASE_ORDER)
    ]
    project.fundings = [ProjectFunding(organization_id=org_id) for org_id in funders]
    session.add(project)
    _flush_checking_code(session)
    return project


def project_update(
    session: Session,
    project: Project,
    *,
    version: int | None,
    code: str,
    title: str,
    center_id: int,
    planned_start: date,
    planned_end: date,
    objective: str = "",
    kind: ProjectKind = ProjectKind.REHABILITATION,
    manager_id: int | None = None,
    funder_ids: Iterable[int] = (),
) -> Project:
    """Save the edited project, unless someone else changed it since ``version`` was read."""
    check_version(project, version)
    values, funders = _checked_values(
        session,
        project,
        code=code,
        title=title,
        objective=objective,
        kind=kind,
        center_id=center_id,
        manager_id=manager_id,
        funder_ids=funder_ids,
        planned_start=planned_start,
        planned_end=planned_end,
    )
    for name, value in values.items():
        setattr(project, name, value)
    kept = [funding for funding in project.fundings if funding.organization_id in funders]
    existing = {funding.organization_id for funding in kept}
    if existing != set(funders) or len(kept) != len(project.fundings):
        # Funders live in another table: touch the project so its version (the API's ETag) moves with them.
        project.updated_at = utcnow()
    project.fundings = kept + [ProjectFunding(organization_id=org_id) for org_id in funders if org_id not in existing]
    _flush_checking_code(session)
    return project


def project_refresh_summary(project: Project) -> None:
    """Recompute the summary columns the dashboard reads: current phase, completed, on hold."""
    phases = sorted(project.phases, key=lambda p: p.position)
    current = next((p for p in phases if p.status is not PhaseStatus.DONE), None)
    project.completed = current is None
    project.current_phase = (current or phases[-1]).kind
    project.on_hold = current is not None and current.status is PhaseStatus.ON_HOLD


# --- phases ---------------------------------------------------------------------------------------------
def phase_update(
    session: Session,
    phase: Phase,
    *,
    version: int | None,
    status: PhaseStatus,
    planned_start: date | None,
    planned_end: date | None,
    actual_start: date | None,
    actual_end: date | None,
    gate_evidence: str = "",
    override_reason: str = "",
    may_override: bool = False,
) -> Phase:
    """Save a phase's status, dates and gate evidence.

    Starting a phase without an actual start date starts it today; closing one needs its actual start and
    ends it today unless another end date is given. A phase is marked done only when its gate holds
    (:mod:`app.projects.gates`), or when an administrator (``may_override``) gives a written reason, which is
    kept on the phase and in the audit log.
    """
    check_version(phase, version)
    check_dates(planned_start, planned_end, "planned_end")
    check_not_future(actual_start, "actual_start")
    check_not_future(actual_end, "actual_end")
    if status is PhaseStatus.IN_PROGRESS and actual_start is None:
        actual_start = today()
    if status is PhaseStatus.NOT_STARTED and actual_start is not None:
        raise DomainError(
            _("A phase that has not started has no actual start date; clear it or change the status."),
            field="actual_start",
        )
    if status is PhaseStatus.DONE:
        if actual_start is None:
            raise DomainError(_("Give the date the phase actually started before closing it."), field="actual_start")
        actual_end = actual_end or today()
    elif actual_end is not None:
        raise DomainError(
            _("Only a phase that is done has an actual end date; clear it or mark the phase done."),
            field="actual_end",
        )
    check_dates(actual_start, actual_end, "actual_end")

    closing = status is PhaseStatus.DONE and phase.status is not PhaseStatus.DONE
    previous_override = phase.gate_override_reason
    phase.status = status
    phase.planned_start, phase.planned_end = planned_start, planned_end
    phase.actual_start, phase.actual_end = actual_start, actual_end
    phase.gate_evidence = gate_evidence.strip()

    override = None
    if status is PhaseStatus.DONE:
        gate = check_gate(session, phase)
        already_overridden = not closing and previous_override
        if gate.ok and closing:
            phase.gate_override_reason = None
        elif not gate.ok and not already_overridden:
            override = _override_reason(gate.message, override_reason, may_override)
            phase.gate_override_reason = override
    else:
        phase.gate_override_reason = None

    project_refresh_summary(phase.project)
    if override:
        with audit_reason(override):
            session.flush()
    else:
        session.flush()
    return phase


def _override_reason(gate_message: str, reason: str, may_override: bool) -> str:
    if not may_override:
        raise DomainError(gate_message, field="status")
    reason = reason.strip()
    if not reason:
        raise DomainError(
            gate_message + " " + _("To close it anyway, write why the gate is overridden."),
            field="override_reason",
        )
    return reason
