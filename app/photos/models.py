from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.centers.models import Center
from app.core.enums import PhaseKind, PhotoCopies, PhotoStage
from app.core.jobs.models import Job
from app.core.models import Audited, enum_column
from app.extensions import db
from app.projects.models import Project


class Photo(Audited, db.Model):  # type: ignore[name-defined,misc]
    """A photo of a center. The original is kept untouched and private; people see clean derivatives."""

    __tablename__ = "photos"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id", ondelete="RESTRICT"), nullable=False)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="SET NULL"), nullable=True)
    phase: Mapped[PhaseKind | None] = mapped_column(enum_column(PhaseKind), nullable=True)
    stage: Mapped[PhotoStage | None] = mapped_column(enum_column(PhotoStage), nullable=True)
    # An "after" photo points at the "before" photo taken from the same spot.
    pair_of_id: Mapped[int | None] = mapped_column(ForeignKey("photos.id", ondelete="SET NULL"), nullable=True)
    # Evidence of a site assessment (app.assessments), and of one of its findings.
    assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="SET NULL"), nullable=True, index=True
    )
    finding_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessment_findings.id", ondelete="SET NULL"), nullable=True, index=True
    )

    original_key: Mapped[str] = mapped_column(String(80), nullable=False)
    display_key: Mapped[str] = mapped_column(String(80), nullable=False)
    thumb_key: Mapped[str] = mapped_column(String(80), nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    mime: Mapped[str] = mapped_column(String(40), nullable=False)
    size_bytes: Mapped[int] = mapped_column(Integer, nullable=False)
    width: Mapped[int] = mapped_column(Integer, nullable=False)
    height: Mapped[int] = mapped_column(Integer, nullable=False)
    display_width: Mapped[int] = mapped_column(Integer, nullable=False)
    display_height: Mapped[int] = mapped_column(Integer, nullable=False)
    original_filename: Mapped[str] = mapped_column(String(255), nullable=False, default="")

    # From EXIF, for staff only: never written into a derivative, an export or a report.
    taken_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=False), nullable=True)
    gps_latitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6), nullable=True)
    gps_longitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6), nullable=True)

    caption: Mapped[str] = mapped_column(Text, nullable=False, default="")
    tags: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    location: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    identifiable_people: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    consent_recorded: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # An administrator blurred or cropped the derivatives (faces, names); the original is unchanged.
    redacted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # A photo too large to decode during its upload gets its copies from a background job; until then the display
    # and thumbnail keys hold grey placeholders, and the photo stays out of reports, ZIPs and the API's image.
    copies: Mapped[PhotoCopies] = mapped_column(
        enum_column(PhotoCopies), nullable=False, default=PhotoCopies.READY, server_default=PhotoCopies.READY.name
    )
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"), nullable=True)

    center: Mapped[Center] = relationship(Center, lazy="joined")
    project: Mapped[Project | None] = relationship(Project, lazy="joined")
    pair_of: Mapped[Photo | None] = relationship("Photo", remote_side=[id], lazy="select")
    job: Mapped[Job | None] = relationship(Job, lazy="select")

    __table_args__ = (
        Index("ix_photos_center_created", "center_id", "created_at"),
        Index("ix_photos_project_phase", "project_id", "phase"),
        Index("ix_photos_pair_of_id", "pair_of_id"),
    )

    @property
    def ready(self) -> bool:
        """Its display and thumbnail are the real ones (not placeholders)."""
        return self.copies is PhotoCopies.READY

    @property
    def may_leave_app(self) -> bool:
        """A photo of identifiable people without recorded consent never leaves the app."""
        return not self.identifiable_people or self.consent_recorded

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]

    def audit_label(self) -> str:
        return self.original_filename or f"photo {self.id}"

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.center_id, self.project_id
