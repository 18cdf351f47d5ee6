"""Site assessments: checklist templates an administrator edits, assessments with answers, raw figures and
findings, and the standards the figures are compared with."""

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
from app.core.enums import AnswerType, AssessmentStatus, AssessmentType, Severity
from app.core.models import Audited, enum_column
from app.core.timeutil import UTCDateTime
from app.extensions import db
from app.projects.models import Project

EDITABLE_STATUSES = (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)


# --- checklists -----------------------------------------------------------------------------------------
class ChecklistTemplate(Audited, db.Model):  # type: ignore[name-defined,misc]
    """A checklist an administrator maintains; an assessment answers the questions of one template."""

    __tablename__ = "checklist_templates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False, unique=True)
    assessment_type: Mapped[AssessmentType] = mapped_column(enum_column(AssessmentType), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    sections: Mapped[list[ChecklistSection]] = relationship(
        "ChecklistSection",
        back_populates="template",
        order_by="[ChecklistSection.position, ChecklistSection.id]",
        cascade="all, delete-orphan",
    )


class ChecklistSection(Audited, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "checklist_sections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    template_id: Mapped[int] = mapped_column(
        ForeignKey("checklist_templates.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    title_es: Mapped[str] = mapped_column(String(200), nullable=False)
    title_en: Mapped[str] = mapped_column(String(200), nullable=False)

    template: Mapped[ChecklistTemplate] = relationship(ChecklistTemplate, back_populates="sections")
    questions: Mapped[list[ChecklistQuestion]] = relationship(
        "ChecklistQuestion",
        back_populates="section",
        order_by="[ChecklistQuestion.position, ChecklistQuestion.id]",
        cascade="all, delete-orphan",
    )

    def title(self, language: str) -> str:
        return self.title_en if language == "en" else self.title_es

    def audit_label(self) -> str:
        return self.title_en


class ChecklistQuestion(Audited, db.Model):  # type: ignore[name-defined,misc]
    """One question. Deactivated questions stay (old answers point at them) but are no longer asked."""

    __tablename__ = "checklist_questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    section_id: Mapped[int] = mapped_column(
        ForeignKey("checklist_sections.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    text_es: Mapped[str] = mapped_column(Text, nullable=False)
    text_en: Mapped[str] = mapped_column(Text, nullable=False)
    answer_type: Mapped[AnswerType] = mapped_column(enum_column(AnswerType), nullable=False)
    evidence_photo_required: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    section: Mapped[ChecklistSection] = relationship(ChecklistSection, back_populates="questions")

    def text(self, language: str) -> str:
        return self.text_en if language == "en" else self.text_es

    def audit_label(self) -> str:
        return self.text_en[:120]


# --- standards ------------------------------------------------------------------------------------------
class StandardThreshold(Audited, db.Model):  # type: ignore[name-defined,misc]
    """A standard a capacity indicator is compared with (Sphere by default); an administrator sets its value."""

    __tablename__ = "standard_thresholds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    comparator: Mapped[str] = mapped_column(String(3), nullable=False)  # "min" or "max"
    value: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False)
    unit: Mapped[str] = mapped_column(String(40), nullable=False)
    source: Mapped[str] = mapped_column(String(300), nullable=False, default="")

    def audit_label(self) -> str:
        return self.key


# --- assessments ----------------------------------------------------------------------------------------
class Assessment(Audited, db.Model):  # type: ignore[name-defined,misc]
    """An engineer's assessment of a center (and of a project, when there is one) on a date."""

    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id", ondelete="RESTRICT"), nullable=False)
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="SET NULL"), nullable=True, index=True
    )
    template_id: Mapped[int] = mapped_column(
        ForeignKey("checklist_templates.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    assessment_type: Mapped[AssessmentType] = mapped_column(enum_column(AssessmentType), nullable=False)
    assessed_on: Mapped[date] = mapped_column(Date, nullable=False)
    status: Mapped[AssessmentStatus] = mapped_column(
        enum_column(AssessmentStatus), nullable=False, default=AssessmentStatus.DRAFT
    )
    # The engineer responsible for the assessment: who may edit it and who may not approve it.
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), nullable=False, index=True)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    review_comment: Mapped[str] = mapped_column(Text, nullable=False, default="")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    supersedes_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="SET NULL"), nullable=True, index=True
    )
    summary: Mapped[str] = mapped_column(Text, nullable=False, default="")

    # Raw figures the capacity indicators are computed from (app.assessments.indicators).
    occupancy_peak: Mapped[int | None] = mapped_column(Integer, nullable=True)
    covered_area_m2: Mapped[Decimal | None] = mapped_column(Numeric(10, 2), nullable=True)
    toilets: Mapped[int | None] = mapped_column(Integer, nullable=True)
    accessible_toilets: Mapped[int | None] = mapped_column(Integer, nullable=True)
    showers: Mapped[int | None] = mapped_column(Integer, nullable=True)
    taps: Mapped[int | None] = mapped_column(Integer, nullable=True)
    water_litres_per_day: Mapped[Decimal | None] = mapped_column(Numeric(12, 2), nullable=True)

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    center: Mapped[Center] = relationship(Center, lazy="joined")
    project: Mapped[Project | None] = relationship(Project, lazy="joined")
    template: Mapped[ChecklistTemplate] = relationship(ChecklistTemplate, lazy="joined")
    author: Mapped[User] = relationship(User, foreign_keys=[author_id], lazy="joined")
    reviewer: Mapped[User | None] = relationship(User, foreign_keys=[reviewer_id], lazy="joined")
    supersedes: Mapped[Assessment | None] = relationship("Assessment", remote_side=[id], lazy="select")
    answers: Mapped[list[Answer]] = relationship(
        "Answer", back_populates="assessment", cascade="all, delete-orphan", lazy="selectin"
    )
    findings: Mapped[list[Finding]] = relationship(
        "Finding",
        back_populates="assessment",
        order_by="[Finding.position, Finding.id]",
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_assessments_center_status_date", "center_id", "status", "assessed_on"),)

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    def answer_for(self, question_id: int) -> Answer | None:
        return next((answer for answer in self.answers if answer.question_id == question_id), None)

    def audit_label(self) -> str:
        return f"{self.assessment_type.value} {self.assessed_on.isoformat()}"

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.center_id, self.project_id


class Answer(Audited, db.Model):  # type: ignore[name-defined,misc]
    """The answer to one question; which value column is used depends on the question's answer type."""

    __tablename__ = "assessment_answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), nullable=False)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("checklist_questions.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    value_bool: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    value_int: Mapped[int | None] = mapped_column(Integer, nullable=True)
    value_decimal: Mapped[Decimal | None] = mapped_column(Numeric(14, 2), nullable=True)
    value_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    comment: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # The photo that shows what the answer says, for questions that require one.
    evidence_photo_id: Mapped[int | None] = mapped_column(
        ForeignKey("photos.id", ondelete="SET NULL"), nullable=True, index=True
    )

    assessment: Mapped[Assessment] = relationship(Assessment, back_populates="answers")
    question: Mapped[ChecklistQuestion] = relationship(ChecklistQuestion, lazy="joined")

    __table_args__ = (UniqueConstraint("assessment_id", "question_id", name="uq_assessment_answers_question"),)

    @property
    def answered(self) -> bool:
        return any(
            value is not None and value != ""
            for value in (self.value_bool, self.value_int, self.value_decimal, self.value_text)
        )

    def audit_label(self) -> str:
        return f"question {self.question_id}"

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.assessment.center_id, self.assessment.project_id


class Finding(Audited, db.Model):  # type: ignore[name-defined,misc]
    """Something the engineer found that needs action; may be carried into a project's design as a work item."""

    __tablename__ = "assessment_findings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    description: Mapped[str] = mapped_column(Text, nullable=False)
    location: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    severity: Mapped[Severity] = mapped_column(enum_column(Severity), nullable=False)
    recommended_action: Mapped[str] = mapped_column(Text, nullable=False, default="")
    cost_estimate: Mapped[Decimal | None] = mapped_column(Numeric(14, 2), nullable=True)
    currency: Mapped[str] = mapped_column(String(3), nullable=False, default="USD")
    # The finding of the earlier version this one was copied from when the assessment was revised.
    source_finding_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessment_findings.id", ondelete="SET NULL"), nullable=True, index=True
    )
    work_item_project_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="SET NULL"), nullable=True, index=True
    )
    carried_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    assessment: Mapped[Assessment] = relationship(Assessment, back_populates="findings")
    work_item_project: Mapped[Project | None] = relationship(Project, lazy="joined")

    def audit_label(self) -> str:
        return self.description[:120]

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.assessment.center_id, self.work_item_project_id or self.assessment.project_id
