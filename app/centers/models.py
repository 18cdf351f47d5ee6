from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import Enum, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.enums import Population
from app.core.models import Audited
from app.core.timeutil import UTCDateTime
from app.extensions import db
from app.organizations.models import Organization

if TYPE_CHECKING:
    from app.projects.models import Project


class Center(Audited, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "centers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), nullable=False, unique=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    population: Mapped[Population] = mapped_column(
        Enum(Population, native_enum=False, length=32, validate_strings=True), nullable=False
    )
    administering_org_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), nullable=True, index=True
    )
    department: Mapped[str] = mapped_column(String(80), nullable=False)
    municipality: Mapped[str] = mapped_column(String(120), nullable=False)
    address: Mapped[str] = mapped_column(Text, nullable=False, default="")
    latitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6), nullable=True)
    longitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6), nullable=True)
    capacity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    usual_occupancy: Mapped[int | None] = mapped_column(Integer, nullable=True)
    contact_name: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    contact_phone: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    contact_email: Mapped[str] = mapped_column(String(254), nullable=False, default="")
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    administering_org: Mapped[Organization | None] = relationship(Organization, lazy="joined")
    projects: Mapped[list[Project]] = relationship(
        "Project", back_populates="center", order_by="Project.planned_start", lazy="select"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    def audit_label(self) -> str:
        return self.code

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.id, None
