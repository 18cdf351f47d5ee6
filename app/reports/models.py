from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.centers.models import Center
from app.core.enums import ReportKind, ReportScope, ReportSection
from app.core.jobs.models import Job, MadeByJob
from app.core.models import Audited, enum_column
from app.extensions import db
from app.organizations.models import Organization
from app.projects.models import Project


class Report(MadeByJob, Audited, db.Model):  # type: ignore[name-defined,misc]
    """A donor progress report: what was asked (scope, period, language, sections, narrative) and the file made.

    The file is kept through the storage interface; ``sha256`` is the hash of exactly those bytes, so a download
    months later can be shown to be the report that was sent.
    """

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[ReportKind] = mapped_column(enum_column(ReportKind), nullable=False, default=ReportKind.PROGRESS)
    scope: Mapped[ReportScope] = mapped_column(enum_column(ReportScope), nullable=False)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="SET NULL"), nullable=True)
    center_id: Mapped[int | None] = mapped_column(ForeignKey("centers.id", ondelete="SET NULL"), nullable=True)
    # The organization the report is made for: its donor users may download it; only what it funds is in it.
    donor_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), nullable=True, index=True
    )
    period_start: Mapped[date] = mapped_column(Date, nullable=False)
    period_end: Mapped[date] = mapped_column(Date, nullable=False)
    language: Mapped[str] = mapped_column(String(5), nullable=False, default="es")
    sections: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    narrative: Mapped[str] = mapped_column(Text, nullable=False, default="")
    next_steps: Mapped[str] = mapped_column(Text, nullable=False, default="")

    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"), nullable=True)
    file_key: Mapped[str | None] = mapped_column(String(80), nullable=True)
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    size_bytes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    pages: Mapped[int | None] = mapped_column(Integer, nullable=True)

    project: Mapped[Project | None] = relationship(Project, lazy="joined")
    center: Mapped[Center | None] = relationship(Center, lazy="joined")
    donor: Mapped[Organization | None] = relationship(Organization, lazy="joined")
    job: Mapped[Job | None] = relationship(Job, lazy="joined")

    @property
    def section_list(self) -> list[ReportSection]:
        chosen = set(self.sections.split(","))
        return [section for section in ReportSection if section.value in chosen]

    @property
    def subject(self) -> str:
        """What the report is about, in a few words."""
        if self.scope is ReportScope.PROJECT and self.project is not None:
            return f"{self.project.code} · {self.project.title}"
        if self.scope is ReportScope.CENTER and self.center is not None:
            return f"{self.center.code} · {self.center.name}"
        return self.donor.acronym if self.donor is not None else "—"

    def filename(self) -> str:
        who = self.donor.acronym if self.donor is not None else "IOM"
        if self.kind is ReportKind.HANDOVER and self.project is not None:
            return f"handover-{self.id}-{self.project.code}.pdf"
        return f"report-{self.id}-{who}-{self.period_start.isoformat()}-{self.period_end.isoformat()}.pdf"

    def audit_label(self) -> str:
        return f"report {self.id}"

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.center_id, self.project_id
