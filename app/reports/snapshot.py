"""What a report shows, as plain frozen values: gathered from the database by :mod:`app.reports.gather`, turned
into PDF bytes by :mod:`app.reports.pdf`. Text is as people typed it (the builder escapes it); labels are already
in the report's language; money is ``Decimal``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from app.projects.gantt import GanttRow


@dataclass(frozen=True)
class PhaseLine:
    name: str
    status: str
    planned_start: date | None
    planned_end: date | None
    actual_start: date | None
    actual_end: date | None


@dataclass(frozen=True)
class ProjectBlock:
    code: str
    title: str
    center: str
    current_phase: str
    state: str
    progress: Decimal
    phases: tuple[PhaseLine, ...]
    timeline: tuple[GanttRow, ...]


@dataclass(frozen=True)
class MilestoneLine:
    project_code: str
    title: str
    phase: str
    planned_date: date
    actual_date: date | None
    overdue: bool = False


@dataclass(frozen=True)
class IndicatorLine:
    name: str
    standard: str
    before: str
    after: str
    ok: bool | None
    trend: str | None


@dataclass(frozen=True)
class AssessmentBlock:
    project_code: str
    kind: str
    assessed_on: date
    previous_on: date | None
    summary: str
    capacity: str
    indicators: tuple[IndicatorLine, ...]


@dataclass(frozen=True)
class MoneyRow:
    label: str
    budget: Decimal
    committed: Decimal
    spent: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.spent - self.committed

    @property
    def spent_percent(self) -> Decimal | None:
        return None if self.budget == 0 else (self.spent * 100 / self.budget).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class BudgetBlock:
    currency: str
    as_of: date
    by_project: tuple[MoneyRow, ...]
    by_phase: tuple[MoneyRow, ...]
    total: MoneyRow
    unconverted_lines: int = 0


@dataclass(frozen=True)
class PhotoItem:
    """A derived display image (no metadata) allowed to leave the app."""

    image: bytes
    width: int
    height: int
    caption: str
    project_code: str
    stage: str


@dataclass(frozen=True)
class CommitmentLine:
    organization: str
    description: str
    due_on: date
    done_on: date | None
    overdue: bool


@dataclass(frozen=True)
class AgreementBlock:
    code: str
    kind: str
    subject: str
    status: str
    signed_on: date | None
    ends_on: date | None
    parties: tuple[str, ...]
    commitments: tuple[CommitmentLine, ...]


@dataclass(frozen=True)
class DocumentLine:
    kind: str
    title: str
    status: str
    version: int | None
    dated: date | None
    sha256: str


@dataclass(frozen=True)
class Signatory:
    organization: str
    role: str


@dataclass(frozen=True)
class HandoverBlock:
    """What a handover dossier adds: the act, the documents as built, and who signs."""

    project: ProjectBlock
    started: date | None
    finished: date | None
    evidence: str
    acts: tuple[DocumentLine, ...]
    documents: tuple[DocumentLine, ...]
    signatories: tuple[Signatory, ...]


@dataclass(frozen=True)
class ReportData:
    """Everything one donor progress report prints."""

    title: str
    donor: str
    subject: str
    period_start: date
    period_end: date
    sections: tuple[str, ...]
    narrative: str = ""
    next_steps: str = ""
    projects: tuple[ProjectBlock, ...] = ()
    milestones_reached: tuple[MilestoneLine, ...] = ()
    milestones_next: tuple[MilestoneLine, ...] = ()
    assessments: tuple[AssessmentBlock, ...] = ()
    budget: BudgetBlock | None = None
    photo_pairs: tuple[tuple[PhotoItem, PhotoItem], ...] = ()
    photos: tuple[PhotoItem, ...] = ()
    agreements: tuple[AgreementBlock, ...] = ()
    risks: tuple[str, ...] = field(default_factory=tuple)
    photos_left_out: int = 0
    handover: HandoverBlock | None = None
    for_donor: bool = False  # made for one donor: only what it funds
