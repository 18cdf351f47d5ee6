"""Partnership agreements with a center's administration and the State, their parties and commitments."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.centers.models import Center
from app.core.enums import AgreementKind, AgreementStatus, PartyRole
from app.core.models import Audited, enum_column
from app.core.timeutil import today
from app.documents.models import Document
from app.extensions import db
from app.organizations.models import Organization
from app.projects.models import Project


class Agreement(Audited, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "agreements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), nullable=False, unique=True)
    kind: Mapped[AgreementKind] = mapped_column(enum_column(AgreementKind), nullable=False)
    subject: Mapped[str] = mapped_column(String(300), nullable=False)
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id", ondelete="RESTRICT"), nullable=False, index=True)
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="SET NULL"), nullable=True, index=True
    )
    # Never EXPIRED in the database: expiry is read from ends_on (see effective_status).
    status: Mapped[AgreementStatus] = mapped_column(
        enum_column(AgreementStatus), nullable=False, default=AgreementStatus.DRAFT
    )
    signed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    starts_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    ends_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), nullable=True, index=True
    )
    # Where the signed original is when its scan is not (yet) a document here: "Original at IOM SPS, ref. 17".
    signature_evidence: Mapped[str] = mapped_column(Text, nullable=False, default="")
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    center: Mapped[Center] = relationship(Center, lazy="joined")
    project: Mapped[Project | None] = relationship(Project, lazy="joined")
    document: Mapped[Document | None] = relationship(Document, lazy="select")
    parties: Mapped[list[AgreementParty]] = relationship(
        "AgreementParty", back_populates="agreement", cascade="all, delete-orphan", lazy="selectin"
    )
    commitments: Mapped[list[Commitment]] = relationship(
        "Commitment",
        back_populates="agreement",
        order_by="[Commitment.due_on, Commitment.id]",
        cascade="all, delete-orphan",
        lazy="select",
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_agreements_status_ends", "status", "ends_on"),)

    def effective_status(self, on: date | None = None) -> AgreementStatus:
        """The status to show: a signed agreement whose end date has passed reads as expired."""
        if self.status is AgreementStatus.SIGNED and self.ends_on is not None and self.ends_on < (on or today()):
            return AgreementStatus.EXPIRED
        return self.status

    def party_ids(self) -> set[int]:
        return {party.organization_id for party in self.parties}

    def audit_label(self) -> str:
        return self.code

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.center_id, self.project_id


class AgreementParty(Audited, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "agreement_parties"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), nullable=False)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    role: Mapped[PartyRole] = mapped_column(enum_column(PartyRole), nullable=False)

    agreement: Mapped[Agreement] = relationship(Agreement, back_populates="parties")
    organization: Mapped[Organization] = relationship(Organization, lazy="joined")

    __table_args__ = (UniqueConstraint("agreement_id", "organization_id", name="uq_agreement_parties_pair"),)

    def audit_label(self) -> str:
        return self.organization.acronym if self.organization else str(self.organization_id)

    def audit_scope(self) -> tuple[int | None, int | None]:
        agreement = self.agreement
        return (agreement.center_id, agreement.project_id) if agreement else (None, None)


class Commitment(Audited, db.Model):  # type: ignore[name-defined,misc]
    """What one party of an agreement takes on, by when, and whether it is done."""

    __tablename__ = "commitments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), nullable=False)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    description: Mapped[str] = mapped_column(Text, nullable=False)
    due_on: Mapped[date] = mapped_column(Date, nullable=False)
    done_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")

    agreement: Mapped[Agreement] = relationship(Agreement, back_populates="commitments", lazy="joined")
    organization: Mapped[Organization] = relationship(Organization, lazy="joined")

    __table_args__ = (
        # The open commitments by due date: what the dashboard and the notifications ask for.
        Index("ix_commitments_done_due", "done_on", "due_on"),
        Index("ix_commitments_agreement_due", "agreement_id", "due_on"),
    )

    @property
    def done(self) -> bool:
        return self.done_on is not None

    def is_overdue(self, on: date | None = None) -> bool:
        """Computed, never typed: not done and its due date has passed."""
        return self.done_on is None and self.due_on < (on or today())

    def audit_label(self) -> str:
        return self.description[:80]

    def audit_scope(self) -> tuple[int | None, int | None]:
        agreement = self.agreement
        return (agreement.center_id, agreement.project_id) if agreement else (None, None)
