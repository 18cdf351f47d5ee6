from __future__ import annotations

from sqlalchemy import Enum, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.enums import OrganizationKind
from app.core.models import Audited
from app.extensions import db


class Organization(Audited, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False, unique=True)
    acronym: Mapped[str] = mapped_column(String(40), nullable=False, unique=True)
    kind: Mapped[OrganizationKind] = mapped_column(
        Enum(OrganizationKind, native_enum=False, length=32, validate_strings=True), nullable=False
    )
    country: Mapped[str] = mapped_column(String(2), nullable=False, default="HN")
    iati_identifier: Mapped[str | None] = mapped_column(String(100), nullable=True, unique=True)

    def audit_label(self) -> str:
        return self.acronym

    def __repr__(self) -> str:
        return f"<Organization {self.acronym}>"
