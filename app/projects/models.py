from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.centers.models import Center
from app.core.enums import MilestoneStatus, PhaseKind, PhaseStatus, ProjectKind
from app.core.models import Audited, enum_column
from app.core.timeutil import UTCDateTime, today
from app.extensions import db
from app.organizations.models import Organization


class Project(Audited, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), nullable=False, unique=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    objective: Mapped[str] = mapped_column(Text, nullable=False, default="")
    kind: Mapped[ProjectKind] = mapped_column(
        enum_column(ProjectKind), nullable=False, default=ProjectKind.REHABILITATION
    )
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id", ondelete="RESTRICT"), nullable=False, index=True)
    manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    planned_start: Mapped[date] = mapped_column(Date, nullable=False)
    planned_end: Mapped[date] = mapped_column(Date, nullable=False)
    # Summary columns kept current by the services, so the dashboard reads them instead of aggregating.
    current_phase: Mapped[PhaseKind] = mapped_column(
        enum_column(PhaseKind), nullable=False, default=PhaseKind.EVALUATION
    )
    completed: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    on_hold: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    physical_progress: Mapped[Decimal] = mapped_column(Numeric(5, 2), nullable=False, default=Decimal("0"))
    last_activity_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    center: Mapped[Center] = relationship(Center, back_populates="projects", lazy="joined")
    manager: Mapped[User | None] = relationship(User, foreign_keys=[manager_id], lazy="joined")
    phases: Mapped[list[Phase]] = relationship(
        "Phase", back_populates="project", order_by="Phase.position", cascade="all, delete-orphan"
    )
    fundings: Mapped[list[ProjectFunding]] = relationship(
        "ProjectFunding", back_populates="project", cascade="all, delete-orphan", lazy="selectin"
    )
    milestones: Mapped[list[Milestone]] = relationship(
        "Milestone",
        back_populates="project",
        order_by="[Milestone.planned_date, Milestone.id]",
        cascade="all, delete-orphan",
    )
    progress_readings: Mapped[list[ProgressReading]] = relationship(
        "ProgressReading",
        order_by="[ProgressReading.reading_date.desc(), ProgressReading.id.desc()]",
        cascade="all, delete-orphan",
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_projects_phase_completed", "current_phase", "completed"),
        Index("ix_projects_last_activity", "last_activity_at"),
    )

    @property
    def funder_ids(self) -> set[int]:
        return {funding.organization_id for funding in self.fundings}

    @property
    def funders(self) -> list[Organization]:
        return sorted((f.organization for f in self.fundings), key=lambda org: org.acronym)

    def phase(self, kind: PhaseKind) -> Phase:
        return next(p for p in self.phases if p.kind is kind)

    def audit_label(self) -> str:
        return self.code

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.center_id, self.id


class ProjectFunding(Audited, db.Model):  # type: ignore[name-defined,misc]
    """An organization that funds a project: its donor users may see the project."""

    __tablename__ = "project_fundings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), nullable=False)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), nullable=False, index=True
    )

    project: Mapped[Project] = relationship(Project, back_populates="fundings")
    organization: Mapped[Organization] = relationship(Organization, lazy="joined")

    __table_args__ = (UniqueConstraint("project_id", "organization_id", name="uq_project_fundings_pair"),)

    def audit_label(self) -> str:
        return self.organization.acronym if self.organization else str(self.organization_id)

    def audit_scope(self) -> tuple[int | None, int | None]:
        return None, self.project_id


class Phase(Audited, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "phases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), nullable=False)
    kind: Mapped[PhaseKind] = mapped_column(enum_column(PhaseKind), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    status: Mapped[PhaseStatus] = mapped_column(
        enum_column(PhaseStatus), nullable=False, default=PhaseStatus.NOT_STARTED
    )
    planned_start: Mapped[date | None] = mapped_column(Date, nullable=True)
    planned_end: Mapped[date | None] = mapped_column(Date, nullable=True)
    actual_start: Mapped[date | None] = mapped_column(Date, nullable=True)
    actual_end: Mapped[date | None] = mapped_column(Date, nullable=True)
    # What the manager gives at the gate until the feature behind it exists (the signed act reference).
    gate_evidence: Mapped[str] = mapped_column(Text, nullable=False, default="")
    gate_override_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    project: Mapped[Project] = relationship(Project, back_populates="phases")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        UniqueConstraint("project_id", "kind", name="uq_phases_project_kind"),
        UniqueConstraint("project_id", "position", name="uq_phases_project_position"),
    )

    def audit_label(self) -> str:
        return self.kind.value

    def audit_scope(self) -> tuple[int | None, int | None]:
        return None, self.project_id


class Milestone(Audited, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "milestones"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), nullable=False)
    phase_id: Mapped[int] = mapped_column(ForeignKey("phases.id", ondelete="CASCADE"), nullable=False, index=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True)
    planned_date: Mapped[date] = mapped_column(Date, nullable=False)
    actual_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[MilestoneStatus] = mapped_column(
        enum_column(MilestoneStatus), nullable=False, default=MilestoneStatus.OPEN
    )
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    project: Mapped[Project] = relationship(Project, back_populates="milestones")
    phase: Mapped[Phase] = relationship(Phase, lazy="joined")
    owner: Mapped[User | None] = relationship(User, foreign_keys=[owner_id], lazy="joined")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        # Covers the overdue / due-soon counts the dashboard asks for, per project and overall.
        Index("ix_milestones_project_status_planned", "project_id", "status", "planned_date"),
        Index("ix_milestones_status_planned", "status", "planned_date"),
    )

    def is_overdue(self, on: date | None = None) -> bool:
        """Computed, never typed: open and its planned date has passed."""
        return self.status is MilestoneStatus.OPEN and self.planned_date < (on or today())

    def audit_scope(self) -> tuple[int | None, int | None]:
        return None, self.project_id


class ProgressReading(Audited, db.Model):  # type: ignore[name-defined,misc]
    """Physical progress of the works on a date, as the contractor or supervisor reported it."""

    __tablename__ = "progress_readings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), nullable=False)
    reading_date: Mapped[date] = mapped_column(Date, nullable=False)
    percent: Mapped[Decimal] = mapped_column(Numeric(5, 2), nullable=False)
    contractor: Mapped[str] = mapped_column(String(200), nullable=False)
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")

    __table_args__ = (Index("ix_progress_readings_project_date", "project_id", "reading_date"),)

    def audit_label(self) -> str:
        return f"{self.percent} %"

    def audit_scope(self) -> tuple[int | None, int | None]:
        return None, self.project_id
