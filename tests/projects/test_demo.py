"""The demo projects look alive whatever the day: stages, overdue and upcoming milestones, named authors."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from flask import Flask
from sqlalchemy import func, select

from app.core.audit.models import AuditEntry
from app.core.enums import MilestoneStatus, PhaseKind
from app.core.timeutil import today
from app.demo import load_demo
from app.extensions import db
from app.projects.models import Milestone, Project


def test_demo_projects_load_once_with_a_project_at_each_stage(db_ctx: Flask) -> None:
    assert load_demo(db.session) is True
    db.session.commit()
    assert load_demo(db.session) is False
    projects = {p.code: p for p in db.session.scalars(select(Project))}
    assert set(projects) == {"CAMR-SPS-01", "CAMR-OMOA-01", "CANFM-BELEN-01"}

    works, partnership, handed_over = projects["CAMR-SPS-01"], projects["CAMR-OMOA-01"], projects["CANFM-BELEN-01"]
    assert (works.current_phase, works.physical_progress) == (PhaseKind.WORKS, Decimal("60.00"))
    assert partnership.current_phase is PhaseKind.PARTNERSHIP
    assert handed_over.completed and handed_over.physical_progress == Decimal("100.00")
    assert {org.acronym for org in works.funders} == {"USAID", "SIDA"}
    assert {org.acronym for org in partnership.funders} == {"GAC"}
    assert {org.acronym for org in handed_over.funders} == {"LUX", "USAID"}
    assert all(p.manager is not None and p.manager.email == "manager@example.org" for p in projects.values())
    assert all(4 <= len(p.milestones) <= 8 for p in projects.values())


def test_demo_has_overdue_and_soon_due_milestones_and_a_named_feed(db_ctx: Flask) -> None:
    load_demo(db.session)
    db.session.commit()
    open_dates = db.session.scalars(select(Milestone.planned_date).where(Milestone.status == MilestoneStatus.OPEN))
    dates = list(open_dates)
    assert any(day < today() for day in dates)
    assert any(today() <= day <= today() + timedelta(days=14) for day in dates)
    anonymous = db.session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.project_id.is_not(None), AuditEntry.actor_id.is_(None))
    )
    assert anonymous == 0
