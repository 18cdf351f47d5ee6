"""Budgets: lines of a project's budget, the commitments and expenditures against them, dated exchange rates.

Amounts are ``Numeric`` (exact on PostgreSQL, a double on SQLite that round-trips every value we accept); sums
are taken in SQL over whole cents (:func:`app.budgets.services.cents_sum`) so they agree to the cent on both.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship

from app.core.enums import BudgetCategory, PhaseKind, SpendKind
from app.core.models import Audited, enum_column
from app.documents.models import Document
from app.extensions import db
from app.organizations.models import Organization
from app.projects.models import Project


def _project_scope(record: BudgetLine | Expenditure) -> tuple[int | None, int | None]:
    project = record.project
    if project is None and record.project_id is not None:
        session = object_session(record)
        project = session.get(Project, record.project_id) if session else None
    return (project.center_id if project else None), record.project_id


class BudgetLine(Audited, db.Model):  # type: ignore[name-defined,misc]
    """One line of a project's budget (or of a bill of quantities): quantity x unit cost, funded by one donor."""

    __tablename__ = "budget_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), nullable=False)
    phase: Mapped[PhaseKind] = mapped_column(enum_column(PhaseKind), nullable=False)
    category: Mapped[BudgetCategory] = mapped_column(enum_column(BudgetCategory), nullable=False)
    description: Mapped[str] = mapped_column(String(300), nullable=False)
    quantity: Mapped[Decimal] = mapped_column(Numeric(14, 3), nullable=False)
    unit: Mapped[str] = mapped_column(String(30), nullable=False, default="")
    unit_cost: Mapped[Decimal] = mapped_column(Numeric(14, 2), nullable=False)
    # quantity x unit cost rounded to the cent once, here, by the service: SQL never multiplies money.
    total: Mapped[Decimal] = mapped_column(Numeric(16, 2), nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    funder_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    project: Mapped[Project] = relationship(Project)
    funder: Mapped[Organization] = relationship(Organization, lazy="joined")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_budget_lines_project_phase", "project_id", "phase"),)

    def audit_label(self) -> str:
        return self.description[:120]

    def audit_scope(self) -> tuple[int | None, int | None]:
        return _project_scope(self)


class Expenditure(Audited, db.Model):  # type: ignore[name-defined,misc]
    """A commitment (purchase order, contract) or an expenditure (payment) against one budget line.

    Never edited: a mistake is corrected by a reversing entry (the negative amount, ``reverses_id`` pointing at
    the entry it cancels) and, if needed, a new entry. ``line_amount`` is the amount in the line's currency;
    when the entry was paid in another currency, the rate used and its date are kept with it.
    """

    __tablename__ = "expenditures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), nullable=False)
    line_id: Mapped[int] = mapped_column(ForeignKey("budget_lines.id", ondelete="RESTRICT"), nullable=False)
    kind: Mapped[SpendKind] = mapped_column(enum_column(SpendKind), nullable=False)
    spent_on: Mapped[date] = mapped_column(Date, nullable=False)
    supplier: Mapped[str] = mapped_column(String(200), nullable=False)
    document_number: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2), nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    line_amount: Mapped[Decimal] = mapped_column(Numeric(14, 2), nullable=False)
    fx_rate: Mapped[Decimal | None] = mapped_column(Numeric(18, 6), nullable=True)
    fx_valid_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    # True when the rate was recorded the other way round (line currency → paid currency): divided by, not times.
    fx_inverted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # An expenditure may say which commitment it pays: what is left of that commitment is still "committed".
    commitment_id: Mapped[int | None] = mapped_column(
        ForeignKey("expenditures.id", ondelete="RESTRICT"), nullable=True, index=True
    )
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), nullable=True, index=True
    )
    reverses_id: Mapped[int | None] = mapped_column(
        ForeignKey("expenditures.id", ondelete="RESTRICT"), nullable=True, unique=True
    )
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")

    project: Mapped[Project] = relationship(Project)
    line: Mapped[BudgetLine] = relationship(BudgetLine, lazy="joined")
    document: Mapped[Document | None] = relationship(Document, lazy="select")

    __table_args__ = (
        Index("ix_expenditures_project_line", "project_id", "line_id", "kind"),
        Index("ix_expenditures_line_date", "line_id", "spent_on"),
    )

    def audit_label(self) -> str:
        return f"{self.document_number or self.supplier} {self.amount} {self.currency}"[:255]

    def audit_scope(self) -> tuple[int | None, int | None]:
        return _project_scope(self)


class ExchangeRate(Audited, db.Model):  # type: ignore[name-defined,misc]
    """From ``valid_on`` on, one unit of ``from_currency`` is worth ``rate`` units of ``to_currency``."""

    __tablename__ = "exchange_rates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    from_currency: Mapped[str] = mapped_column(String(3), nullable=False)
    to_currency: Mapped[str] = mapped_column(String(3), nullable=False)
    rate: Mapped[Decimal] = mapped_column(Numeric(18, 6), nullable=False)
    valid_on: Mapped[date] = mapped_column(Date, nullable=False)
    source: Mapped[str] = mapped_column(String(200), nullable=False, default="")

    __table_args__ = (
        UniqueConstraint("from_currency", "to_currency", "valid_on", name="uq_exchange_rates_pair_date"),
        CheckConstraint("rate > 0", name="positive"),
    )

    def audit_label(self) -> str:
        return f"1 {self.from_currency} = {self.rate} {self.to_currency} ({self.valid_on.isoformat()})"
