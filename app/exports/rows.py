"""The plain records an export holds (organizations, centers, projects with their phases, milestones, budget lines,
entries, indicators and documents): what app.exports.data reads from the database, and what the IATI, XLSX and
CSV builders write out. Nothing here knows the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from app.budgets.money import REPORTING_CURRENCY
from app.core.enums import (
    BudgetCategory,
    DocumentKind,
    MilestoneStatus,
    OrganizationKind,
    PhaseKind,
    PhaseStatus,
    Population,
    ProjectKind,
    SpendKind,
)


@dataclass(frozen=True, slots=True)
class OrgRow:
    name: str
    acronym: str
    kind: OrganizationKind
    country: str
    ref: str | None  # IATI organisation identifier


@dataclass(frozen=True, slots=True)
class CenterRow:
    code: str
    name: str
    population: Population
    administered_by: str  # acronym, or ""
    department: str
    municipality: str
    capacity: int | None
    usual_occupancy: int | None
    archived: bool


@dataclass(frozen=True, slots=True)
class PhaseRow:
    kind: PhaseKind
    position: int
    status: PhaseStatus
    planned_start: date | None
    planned_end: date | None
    actual_start: date | None
    actual_end: date | None


@dataclass(frozen=True, slots=True)
class MilestoneRow:
    phase: PhaseKind
    title: str
    planned_date: date
    actual_date: date | None
    status: MilestoneStatus
    overdue: bool


@dataclass(frozen=True, slots=True)
class LineRow:
    id: int
    phase: PhaseKind
    category: BudgetCategory
    description: str
    quantity: Decimal
    unit: str
    unit_cost: Decimal
    total: Decimal
    currency: str
    funder: OrgRow


@dataclass(frozen=True, slots=True)
class EntryRow:
    id: int
    line_id: int
    line_description: str
    kind: SpendKind
    spent_on: date
    supplier: str
    document_number: str
    amount: Decimal
    currency: str
    line_amount: Decimal
    line_currency: str
    reverses_id: int | None
    commitment_id: int | None
    funder: OrgRow


@dataclass(frozen=True, slots=True)
class IndicatorRow:
    """One standards indicator of the project's center: first approved assessment (baseline), latest (actual)."""

    key: str
    unit: str
    comparator: str  # "min": higher is better; "max": lower is better
    threshold: Decimal
    baseline_on: date
    baseline: Decimal
    actual_on: date | None
    actual: Decimal | None


@dataclass(frozen=True, slots=True)
class DocumentRow:
    title: str
    url: str
    mime: str
    kind: DocumentKind
    dated: date
    language: str | None = None


@dataclass(slots=True)
class ProjectRow:
    code: str
    title: str
    objective: str
    kind: ProjectKind
    center: CenterRow
    planned_start: date
    planned_end: date
    current_phase: PhaseKind
    completed: bool
    on_hold: bool
    physical_progress: Decimal
    updated_at: datetime | None
    funders: list[OrgRow] = field(default_factory=list)
    implementers: list[OrgRow] = field(default_factory=list)
    phases: list[PhaseRow] = field(default_factory=list)
    milestones: list[MilestoneRow] = field(default_factory=list)
    lines: list[LineRow] = field(default_factory=list)
    entries: list[EntryRow] = field(default_factory=list)
    indicators: list[IndicatorRow] = field(default_factory=list)
    documents: list[DocumentRow] = field(default_factory=list)
    # Budget and spent converted to ``REPORTING_CURRENCY`` (None when a rate is missing or there is no budget).
    budget_reporting: Decimal | None = None
    spent_reporting: Decimal | None = None


@dataclass(slots=True)
class Portfolio:
    reporting_org: OrgRow
    centers: list[CenterRow]
    projects: list[ProjectRow]
    reporting_currency: str = REPORTING_CURRENCY
    # The funder whose lines alone are included (a donor's export), or None for every line.
    funder_scope: str | None = None
