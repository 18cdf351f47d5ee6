"""Budget against actual: per line, per phase, per donor and per project; burn rate and forecast at completion.

Sums are taken in SQL as whole cents (:func:`app.budgets.services.cents_sum`), in each line's currency. Each line
is then converted once to the reporting currency, with the latest rate on or before the report date, and every
breakdown (phase, donor, project) adds those converted lines, so the breakdowns always foot to the total.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.budgets.models import BudgetLine, Expenditure
from app.budgets.money import REPORTING_CURRENCY, Rate, RateBook, cents, from_cents
from app.budgets.services import as_cents, cents_sum, rate_book
from app.core.enums import BudgetCategory, PhaseKind, SpendKind
from app.core.timeutil import today
from app.organizations.models import Organization
from app.projects.models import Project

PHASE_ORDER = tuple(PhaseKind)
CATEGORY_ORDER = tuple(BudgetCategory)
DAYS_PER_MONTH = Decimal("30.4375")
ZERO = Decimal("0.00")


@dataclass
class Figures:
    """Budget, open commitments and spending of a line or a group of lines, in one currency."""

    budget: Decimal = ZERO
    committed: Decimal = ZERO
    spent: Decimal = ZERO

    def add(self, other: Figures) -> None:
        self.budget += other.budget
        self.committed += other.committed
        self.spent += other.spent

    @property
    def remaining(self) -> Decimal:
        """What is still free: the budget less what is spent and what is committed but not yet paid."""
        return self.budget - self.spent - self.committed

    @property
    def used(self) -> Decimal:
        return self.spent + self.committed

    @property
    def percent_used(self) -> Decimal | None:
        if self.budget == 0:
            return None
        return (self.used * 100 / self.budget).quantize(Decimal("0.1"))

    @property
    def over_budget(self) -> bool:
        return self.used > self.budget

    @property
    def spent_percent(self) -> Decimal | None:
        if self.budget == 0:
            return None
        return (self.spent * 100 / self.budget).quantize(Decimal("0.1"))


@dataclass
class LineFigures:
    line: BudgetLine
    figures: Figures  # in the line's currency
    converted: Figures | None  # in the reporting currency; None when no rate is known


@dataclass
class Group:
    key: object
    label: str
    figures: Figures = field(default_factory=Figures)


@dataclass(frozen=True)
class Forecast:
    """Forecast cost at completion. ``method`` is "progress" (spent ÷ physical progress) or "plan"."""

    method: str
    value: Decimal
    by_plan: Decimal
    by_progress: Decimal | None
    progress: Decimal


@dataclass
class BudgetReport:
    project: Project
    currency: str
    as_of: date
    lines: list[LineFigures]
    by_phase: list[Group]
    by_donor: list[Group]
    by_category: list[Group]
    total: Figures
    rates: list[Rate]
    unconverted: dict[str, int]  # currency → number of lines left out of the totals for want of a rate
    first_spent_on: date | None
    burn_rate: Decimal | None  # spent per month since the first expenditure, reporting currency
    forecast: Forecast

    @property
    def over_budget_lines(self) -> list[LineFigures]:
        return [item for item in self.lines if item.figures.over_budget]

    @property
    def lines_by_phase(self) -> list[tuple[PhaseKind, list[LineFigures]]]:
        """The lines grouped by phase, phases in the order they happen."""
        groups: dict[PhaseKind, list[LineFigures]] = {}
        for item in self.lines:
            groups.setdefault(item.line.phase, []).append(item)
        return [(phase, groups[phase]) for phase in PHASE_ORDER if phase in groups]


# --- the queries ----------------------------------------------------------------------------------------
def _lines(session: Session, project_id: int, funder_id: int | None) -> list[BudgetLine]:
    query = select(BudgetLine).where(BudgetLine.project_id == project_id)
    if funder_id is not None:
        query = query.where(BudgetLine.funder_id == funder_id)
    lines = list(session.scalars(query))
    lines.sort(key=lambda ln: (PHASE_ORDER.index(ln.phase), CATEGORY_ORDER.index(ln.category), ln.id))
    return lines


@dataclass
class _EntrySums:
    spent: dict[int, int] = field(default_factory=dict)
    committed: dict[int, int] = field(default_factory=dict)
    first_spent_on: date | None = None


def _entry_sums(session: Session, project_id: int, funder_id: int | None, until: date | None = None) -> _EntrySums:
    """Spent and still-committed cents per line, in one query whatever the number of entries.

    Rows are grouped by line, kind and the commitment an entry belongs to (a commitment's own id or the one it
    reverses; for a payment, the commitment it pays), so that what is left of each commitment is known.
    """
    commitment_key = case(
        (Expenditure.kind == SpendKind.COMMITMENT, func.coalesce(Expenditure.reverses_id, Expenditure.id)),
        else_=Expenditure.commitment_id,
    )
    query = (
        select(
            Expenditure.line_id,
            Expenditure.kind,
            commitment_key.label("commitment"),
            cents_sum(Expenditure.line_amount),
            func.min(Expenditure.spent_on),
        )
        .where(Expenditure.project_id == project_id)
        .group_by(Expenditure.line_id, Expenditure.kind, commitment_key)
    )
    if funder_id is not None:
        query = query.join(BudgetLine, BudgetLine.id == Expenditure.line_id).where(BudgetLine.funder_id == funder_id)
    if until is not None:
        query = query.where(Expenditure.spent_on <= until)
    sums = _EntrySums()
    commitments: dict[int, tuple[int, int]] = {}  # commitment id → (line id, cents)
    paid: dict[int, int] = {}
    for line_id, kind, commitment, amount, first in session.execute(query):
        amount = int(amount)
        if kind is SpendKind.EXPENDITURE:
            sums.spent[line_id] = sums.spent.get(line_id, 0) + amount
            if commitment is not None:
                paid[commitment] = paid.get(commitment, 0) + amount
            if first is not None and (sums.first_spent_on is None or first < sums.first_spent_on):
                sums.first_spent_on = first
        else:
            commitments[commitment] = (line_id, commitments.get(commitment, (line_id, 0))[1] + amount)
    for commitment, (line_id, amount) in commitments.items():
        still_open = max(0, amount - max(0, paid.get(commitment, 0)))
        sums.committed[line_id] = sums.committed.get(line_id, 0) + still_open
    return sums


# --- the report -----------------------------------------------------------------------------------------
def budget_report(
    session: Session,
    project: Project,
    *,
    currency: str = REPORTING_CURRENCY,
    funder_id: int | None = None,
    on: date | None = None,
    book: RateBook | None = None,
    entries_until: date | None = None,
) -> BudgetReport:
    """Budget against actual for ``project`` (only the lines ``funder_id`` funds, when given), in ``currency``.

    ``entries_until`` leaves out entries dated after it (a report on a past period). Three queries whatever the
    number of lines and entries: the lines, the sums of their entries, the rates.
    """
    as_of = on or today()
    lines = _lines(session, project.id, funder_id)
    sums = _entry_sums(session, project.id, funder_id, entries_until)
    book = book or rate_book(session)
    rates: dict[str, Rate | None] = {}
    unconverted: dict[str, int] = {}
    items: list[LineFigures] = []
    total = Figures()
    phases = {kind: Group(kind, kind.label) for kind in PHASE_ORDER}
    categories = {kind: Group(kind, kind.label) for kind in CATEGORY_ORDER}
    donors: dict[int, Group] = {}
    for line in lines:
        own = Figures(
            budget=Decimal(line.total).quantize(ZERO),
            committed=from_cents(sums.committed.get(line.id)),
            spent=from_cents(sums.spent.get(line.id)),
        )
        if line.currency not in rates:
            rates[line.currency] = book.rate(line.currency, currency, as_of)
        rate = rates[line.currency]
        converted = _convert(own, rate) if rate else None
        items.append(LineFigures(line, own, converted))
        if converted is None:
            unconverted[line.currency] = unconverted.get(line.currency, 0) + 1
            continue
        total.add(converted)
        phases[line.phase].figures.add(converted)
        categories[line.category].figures.add(converted)
        donor = donors.setdefault(line.funder_id, Group(line.funder_id, _acronym(line.funder)))
        donor.figures.add(converted)
    return BudgetReport(
        project=project,
        currency=currency,
        as_of=as_of,
        lines=items,
        by_phase=[group for group in phases.values() if group.figures.budget or group.figures.used],
        by_donor=sorted(donors.values(), key=lambda g: g.label),
        by_category=[group for group in categories.values() if group.figures.budget or group.figures.used],
        total=total,
        rates=[rate for rate in rates.values() if rate is not None and not rate.is_identity],
        unconverted=unconverted,
        first_spent_on=sums.first_spent_on,
        burn_rate=burn_rate(total.spent, sums.first_spent_on, as_of),
        forecast=forecast(items, total, Decimal(project.physical_progress or 0)),
    )


def _acronym(org: Organization | None) -> str:
    return org.acronym if org else "—"


def _convert(figures: Figures, rate: Rate) -> Figures:
    if rate.is_identity:
        return Figures(figures.budget, figures.committed, figures.spent)
    return Figures(rate.convert(figures.budget), rate.convert(figures.committed), rate.convert(figures.spent))


def burn_rate(spent: Decimal, first_spent_on: date | None, on: date) -> Decimal | None:
    """Spent per month since the first expenditure (a month at least, so the first days do not explode it)."""
    if first_spent_on is None or spent <= 0:
        return None
    months = max(Decimal(1), Decimal((on - first_spent_on).days) / DAYS_PER_MONTH)
    return cents(spent / months)


def forecast(items: Iterable[LineFigures], total: Figures, progress: Decimal) -> Forecast:
    """Two forecasts at completion; the headline is by progress once the works have measured progress.

    By plan: per line, the larger of its budget and what is spent plus still committed (a line that overran
    will not come back under). By progress: spent ÷ physical progress of the works.
    """
    by_plan = sum(
        (max(item.converted.budget, item.converted.used) for item in items if item.converted is not None),
        ZERO,
    )
    by_progress = cents(total.spent * 100 / progress) if progress > 0 and total.spent > 0 else None
    if by_progress is not None:
        return Forecast("progress", by_progress, by_plan, by_progress, progress)
    return Forecast("plan", by_plan, by_plan, None, progress)


# --- many projects at once (dashboard, portfolio) -----------------------------------------------------------
@dataclass(frozen=True)
class ProjectTotals:
    project_id: int
    currency: str
    budget: Decimal
    spent: Decimal
    complete: bool  # False when some lines could not be converted for want of a rate

    @property
    def percent_spent(self) -> Decimal | None:
        if self.budget == 0:
            return None
        return (self.spent * 100 / self.budget).quantize(Decimal("0.1"))


def budget_totals_for_projects(
    session: Session,
    project_ids: Sequence[int],
    *,
    currency: str = REPORTING_CURRENCY,
    on: date | None = None,
    book: RateBook | None = None,
    funder_id: int | None = None,
) -> dict[int, ProjectTotals]:
    """Budget and spent per project, in ``currency``, the same to the cent as each project's budget page.

    One query over all the projects (lines with their spent cents), plus one for the exchange rates only when
    a line is in another currency and no ``book`` was given. Projects without lines are left out. With
    ``funder_id`` only the lines that organization funds count (what a donor's budget page shows).
    """
    if not project_ids:
        return {}
    ids = sorted(set(project_ids))
    spent = (
        select(Expenditure.line_id.label("line_id"), cents_sum(Expenditure.line_amount).label("cents"))
        .where(Expenditure.project_id.in_(ids), Expenditure.kind == SpendKind.EXPENDITURE)
        .group_by(Expenditure.line_id)
        .subquery()
    )
    rows = session.execute(
        select(BudgetLine.project_id, BudgetLine.currency, as_cents(BudgetLine.total), func.coalesce(spent.c.cents, 0))
        .outerjoin(spent, spent.c.line_id == BudgetLine.id)
        .where(BudgetLine.project_id.in_(ids), *([BudgetLine.funder_id == funder_id] if funder_id is not None else []))
    ).all()
    as_of = on or today()
    if book is None and any(row[1] != currency for row in rows):
        book = rate_book(session)
    totals: dict[int, list[Decimal]] = {}
    complete: dict[int, bool] = {}
    rates: dict[str, Rate | None] = {}
    for project_id, line_currency, budget_cents, spent_cents in rows:
        sums = totals.setdefault(project_id, [ZERO, ZERO])
        complete.setdefault(project_id, True)
        if line_currency not in rates:
            rates[line_currency] = book.rate(line_currency, currency, as_of) if book else None
            if line_currency == currency:
                rates[line_currency] = Rate(currency, currency, Decimal(1), as_of)
        rate = rates[line_currency]
        if rate is None:
            complete[project_id] = False
            continue
        sums[0] += rate.convert(from_cents(int(budget_cents)))
        sums[1] += rate.convert(from_cents(int(spent_cents)))
    return {
        pid: ProjectTotals(pid, currency, budget, spent_, complete[pid]) for pid, (budget, spent_) in totals.items()
    }
