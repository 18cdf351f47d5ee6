"""Budget lines, commitments and expenditures, exchange rates. Functions take a session, flush, never commit.

Corrections are never silent: a budget line is edited with optimistic locking and the audit log records the
values before and after; a commitment or expenditure is never edited, it is reversed by a negative entry that
points at it, and the right entry is recorded anew.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import BigInteger, ColumnElement, cast, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.budgets.models import BudgetLine, ExchangeRate, Expenditure
from app.budgets.money import (
    MAX_AMOUNT,
    MoneyError,
    Rate,
    RateBook,
    StoredRate,
    line_total,
    normalize_currency,
    parse_amount,
    parse_decimal,
)
from app.core.enums import BudgetCategory, PhaseKind, SpendKind
from app.core.errors import DomainError
from app.core.timeutil import today
from app.documents.models import Document
from app.projects.models import Project
from app.projects.services import check_version

MoneyColumn = ColumnElement[Decimal] | InstrumentedAttribute[Decimal]


def cents_sum(column: MoneyColumn) -> ColumnElement[int]:
    """SUM of a money column as whole cents, exact on SQLite and PostgreSQL alike.

    SQLite keeps NUMERIC values as doubles and adds them as doubles: over 100,000 amounts we measured a sum off
    by 88 cents. Rounding each value to whole cents before adding makes every term an exact integer, so the sum
    is exact on both databases (values stay below :data:`app.budgets.money.MAX_AMOUNT`).
    """
    return func.coalesce(func.sum(cast(func.round(column * 100), BigInteger)), 0)


def as_cents(column: MoneyColumn) -> ColumnElement[int]:
    return cast(func.round(column * 100), BigInteger)


# --- exchange rates -------------------------------------------------------------------------------------
def rate_book(session: Session) -> RateBook:
    """Every stored rate (a small table: a few pairs, one row per pair and date), ready to pick from."""
    rows = session.execute(
        select(ExchangeRate.from_currency, ExchangeRate.to_currency, ExchangeRate.rate, ExchangeRate.valid_on)
    )
    return RateBook(StoredRate(f, t, Decimal(r), v) for f, t, r, v in rows)


def exchange_rates_list(session: Session) -> Sequence[ExchangeRate]:
    return session.scalars(
        select(ExchangeRate).order_by(
            ExchangeRate.from_currency, ExchangeRate.to_currency, ExchangeRate.valid_on.desc()
        )
    ).all()


def exchange_rate_create(
    session: Session, *, from_currency: str, to_currency: str, rate: str | Decimal, valid_on: date, source: str = ""
) -> ExchangeRate:
    """Record that from ``valid_on`` on one ``from_currency`` is worth ``rate`` ``to_currency``."""
    from_code = _currency(from_currency, "from_currency")
    to_code = _currency(to_currency, "to_currency")
    if from_code == to_code:
        raise DomainError(_("Choose two different currencies."), field="to_currency")
    try:
        value = parse_decimal(rate, places=6)
    except MoneyError as error:
        raise DomainError(error.message, field="rate") from None
    if value <= 0:
        raise DomainError(_("A rate is greater than zero."), field="rate")
    taken = session.scalar(
        select(func.count())
        .select_from(ExchangeRate)
        .where(
            ExchangeRate.from_currency == from_code,
            ExchangeRate.to_currency == to_code,
            ExchangeRate.valid_on == valid_on,
        )
    )
    if taken:
        raise DomainError(
            _("A rate for %(pair)s on this date is already recorded.", pair=f"{from_code}→{to_code}"),
            field="valid_on",
        )
    record = ExchangeRate(
        from_currency=from_code, to_currency=to_code, rate=value, valid_on=valid_on, source=source.strip()[:200]
    )
    session.add(record)
    try:
        session.flush()
    except IntegrityError as error:
        raise DomainError(_("A rate for this pair on this date is already recorded."), field="valid_on") from error
    return record


def _currency(code: str, field_name: str) -> str:
    try:
        return normalize_currency(code)
    except MoneyError as error:
        raise DomainError(error.message, field=field_name) from None


def required_rate(book: RateBook, from_currency: str, to_currency: str, on: date, field_name: str) -> Rate:
    rate = book.rate(from_currency, to_currency, on)
    if rate is None:
        raise DomainError(
            _(
                "There is no exchange rate from %(source)s to %(target)s on or before %(date)s; "
                "an administrator records it on the exchange rates page.",
                source=from_currency,
                target=to_currency,
                date=on.isoformat(),
            ),
            field=field_name,
        )
    return rate


# --- budget lines ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LineInput:
    """A budget line as typed in a form or read from a spreadsheet row, not yet checked."""

    phase: PhaseKind | None
    category: BudgetCategory | None
    description: str
    quantity: str | Decimal | None
    unit: str
    unit_cost: str | Decimal | None
    currency: str
    funder_id: int | None


@dataclass(frozen=True)
class LineValues:
    phase: PhaseKind
    category: BudgetCategory
    description: str
    quantity: Decimal
    unit: str
    unit_cost: Decimal
    total: Decimal
    currency: str
    funder_id: int


@dataclass
class LineCheck:
    values: LineValues | None
    errors: dict[str, str] = field(default_factory=dict)


def line_check(project: Project, data: LineInput) -> LineCheck:
    """Every problem of ``data`` by field (so an import reports them all at once), or the checked values."""
    errors: dict[str, str] = {}
    if data.phase is None:
        errors["phase"] = _("Choose the phase this line belongs to.")
    if data.category is None:
        errors["category"] = _("Choose a category.")
    description = (data.description or "").strip()
    if not description:
        errors["description"] = _("The description is required.")
    elif len(description) > 300:
        errors["description"] = _("Keep the description under 300 characters.")
    unit = (data.unit or "").strip()
    if len(unit) > 30:
        errors["unit"] = _("Keep the unit under 30 characters.")
    quantity = _number(data.quantity, 3, "quantity", errors)
    unit_cost = _number(data.unit_cost, 2, "unit_cost", errors)
    currency = ""
    try:
        currency = normalize_currency(data.currency)
    except MoneyError as error:
        errors["currency"] = error.message
    if data.funder_id is None or data.funder_id not in project.funder_ids:
        errors["funder_id"] = _(
            "Choose one of the organizations that fund this project (add it to the project's funders first)."
        )
    total = None
    if quantity is not None and unit_cost is not None:
        total = line_total(quantity, unit_cost)
        if total >= MAX_AMOUNT:
            errors["quantity"] = _("Quantity times unit cost is too large.")
    if errors or quantity is None or unit_cost is None or total is None:
        return LineCheck(None, errors)
    assert data.phase is not None and data.category is not None and data.funder_id is not None
    values = LineValues(
        phase=data.phase,
        category=data.category,
        description=description,
        quantity=quantity,
        unit=unit,
        unit_cost=unit_cost,
        total=total,
        currency=currency,
        funder_id=data.funder_id,
    )
    return LineCheck(values)


def _number(value: str | Decimal | None, places: int, name: str, errors: dict[str, str]) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        errors[name] = _("This number is required.")
        return None
    try:
        number = parse_decimal(value, places=places)
    except MoneyError as error:
        errors[name] = error.message
        return None
    if number < 0:
        errors[name] = _("Enter zero or more.")
        return None
    return number


def _checked(project: Project, data: LineInput) -> LineValues:
    check = line_check(project, data)
    if check.values is None:
        name, message = next(iter(check.errors.items()))
        raise DomainError(message, field=name)
    return check.values


def _apply(line: BudgetLine, values: LineValues) -> None:
    line.phase = values.phase
    line.category = values.category
    line.description = values.description
    line.quantity = values.quantity
    line.unit = values.unit
    line.unit_cost = values.unit_cost
    line.total = values.total
    line.currency = values.currency
    line.funder_id = values.funder_id


def budget_line_create(session: Session, project: Project, data: LineInput) -> BudgetLine:
    line = BudgetLine(project=project)
    _apply(line, _checked(project, data))
    session.add(line)
    session.flush()
    return line


def budget_lines_create_all(session: Session, project: Project, rows: Sequence[LineValues]) -> list[BudgetLine]:
    """Add checked lines (an import) in one flush: all of them or, on any failure, none."""
    lines = []
    for values in rows:
        line = BudgetLine(project=project)
        _apply(line, values)
        lines.append(line)
    session.add_all(lines)
    session.flush()
    return lines


def budget_line_update(session: Session, line: BudgetLine, *, version: int | None, data: LineInput) -> BudgetLine:
    """Save the edited line, unless someone else saved it since ``version`` was read."""
    check_version(line, version)
    values = _checked(line.project, data)
    if values.currency != line.currency and _has_entries(session, line):
        raise DomainError(
            _(
                "This line already has commitments or expenditures in %(code)s; its currency cannot change.",
                code=line.currency,
            ),
            field="currency",
        )
    _apply(line, values)
    session.flush()
    return line


def budget_line_delete(session: Session, line: BudgetLine) -> None:
    if _has_entries(session, line):
        raise DomainError(_("This line has commitments or expenditures; it cannot be deleted."))
    session.delete(line)
    session.flush()


def _has_entries(session: Session, line: BudgetLine) -> bool:
    return bool(session.scalar(select(func.count()).select_from(Expenditure).where(Expenditure.line_id == line.id)))


# --- commitments and expenditures -----------------------------------------------------------------------
@dataclass(frozen=True)
class EntryInput:
    line_id: int | None
    kind: SpendKind
    spent_on: date | None
    supplier: str
    amount: str | Decimal | None
    currency: str
    document_number: str = ""
    document_id: int | None = None
    commitment_id: int | None = None
    note: str = ""


def expenditure_record(session: Session, project: Project, data: EntryInput) -> Expenditure:
    """Record a commitment or an expenditure against one of the project's lines.

    Paid in another currency than the line's, the amount is converted with the rate of the entry's date (the
    latest on or before it), and that rate and its date are kept on the entry.
    """
    line = session.get(BudgetLine, data.line_id) if data.line_id else None
    if line is None or line.project_id != project.id:
        raise DomainError(_("Choose a line of this project's budget."), field="line_id")
    if data.spent_on is None:
        raise DomainError(_("The date is required."), field="spent_on")
    if data.spent_on > today():
        raise DomainError(_("This date is in the future; record what has happened."), field="spent_on")
    supplier = data.supplier.strip()
    if not supplier:
        raise DomainError(_("The supplier is required."), field="supplier")
    try:
        amount = parse_amount(data.amount if data.amount is not None else "")
    except MoneyError as error:
        raise DomainError(error.message, field="amount") from None
    if amount <= 0:
        raise DomainError(_("Enter an amount greater than zero; corrections are made by reversing."), field="amount")
    currency = _currency(data.currency, "currency")
    rate = (
        Rate(currency, currency, Decimal(1), data.spent_on)
        if currency == line.currency
        else required_rate(rate_book(session), currency, line.currency, data.spent_on, "currency")
    )
    _check_document(session, project, data.document_id)
    _check_commitment(session, line, data)
    entry = Expenditure(
        project=project,
        line=line,
        kind=data.kind,
        spent_on=data.spent_on,
        supplier=supplier[:200],
        document_number=data.document_number.strip()[:60],
        amount=amount,
        currency=currency,
        line_amount=rate.convert(amount),
        document_id=data.document_id,
        commitment_id=data.commitment_id if data.kind is SpendKind.EXPENDITURE else None,
        note=data.note.strip(),
    )
    if not rate.is_identity:
        entry.fx_rate, entry.fx_valid_on, entry.fx_inverted = rate.stored, rate.valid_on, rate.inverted
    session.add(entry)
    session.flush()
    return entry


def _check_document(session: Session, project: Project, document_id: int | None) -> None:
    if document_id is None:
        return
    document = session.get(Document, document_id)
    if document is None or document.project_id != project.id:
        raise DomainError(_("Choose a document of this project."), field="document_id")


def _check_commitment(session: Session, line: BudgetLine, data: EntryInput) -> None:
    if data.commitment_id is None or data.kind is not SpendKind.EXPENDITURE:
        return
    commitment = session.get(Expenditure, data.commitment_id)
    if (
        commitment is None
        or commitment.kind is not SpendKind.COMMITMENT
        or commitment.reverses_id is not None
        or commitment.line_id != line.id
    ):
        raise DomainError(_("Choose a commitment of the same budget line."), field="commitment_id")


def expenditure_reverse(session: Session, entry: Expenditure, *, reason: str, on: date | None = None) -> Expenditure:
    """Cancel ``entry`` by a reversing entry: the same amounts negated, dated ``on``, saying why."""
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Write why this entry is reversed."), field="reason")
    if on is not None and on > today():
        raise DomainError(_("This date is in the future; record what has happened."), field="on")
    if entry.reverses_id is not None:
        raise DomainError(_("A reversing entry cannot itself be reversed; record a new entry instead."))
    if session.scalar(select(func.count()).select_from(Expenditure).where(Expenditure.reverses_id == entry.id)):
        raise DomainError(_("This entry has already been reversed."))
    reversal = Expenditure(
        project_id=entry.project_id,
        line=entry.line,
        kind=entry.kind,
        spent_on=max(on or today(), entry.spent_on),
        supplier=entry.supplier,
        document_number=entry.document_number,
        amount=-entry.amount,
        currency=entry.currency,
        line_amount=-entry.line_amount,
        fx_rate=entry.fx_rate,
        fx_valid_on=entry.fx_valid_on,
        fx_inverted=entry.fx_inverted,
        commitment_id=entry.commitment_id,
        document_id=entry.document_id,
        reverses_id=entry.id,
        note=reason,
    )
    session.add(reversal)
    try:
        session.flush()
    except IntegrityError as error:
        # Two people reversing the same entry at once: the unique reverses_id lets only one through.
        raise DomainError(_("This entry has already been reversed.")) from error
    return reversal


def expenditure_correct(
    session: Session, entry: Expenditure, *, reason: str, data: EntryInput
) -> tuple[Expenditure, Expenditure]:
    """Reverse ``entry`` and record the corrected entry, both or neither."""
    reversal = expenditure_reverse(session, entry, reason=reason)
    corrected = expenditure_record(session, entry.project, EntryInput(**{**data.__dict__, "note": data.note or reason}))
    return reversal, corrected


def expenditure_is_reversed(session: Session, entry_ids: Sequence[int]) -> set[int]:
    """The ids among ``entry_ids`` that a reversing entry cancels."""
    if not entry_ids:
        return set()
    return set(session.scalars(select(Expenditure.reverses_id).where(Expenditure.reverses_id.in_(entry_ids))))


def commitments_open(session: Session, project: Project) -> Sequence[Expenditure]:
    """The project's commitments that are not reversed (to pick the one an expenditure pays)."""
    reversed_ids = select(Expenditure.reverses_id).where(Expenditure.reverses_id.is_not(None))
    return session.scalars(
        select(Expenditure)
        .where(
            Expenditure.project_id == project.id,
            Expenditure.kind == SpendKind.COMMITMENT,
            Expenditure.reverses_id.is_(None),
            Expenditure.id.not_in(reversed_ids),
        )
        .order_by(Expenditure.spent_on.desc(), Expenditure.id.desc())
    ).all()


def entries_for_project(
    session: Session, project: Project, *, funder_id: int | None = None, limit: int | None = None
) -> Sequence[Expenditure]:
    """The project's commitments and expenditures, newest first (only on ``funder_id``'s lines, when given)."""
    query = select(Expenditure).where(Expenditure.project_id == project.id)
    if funder_id is not None:
        query = query.join(BudgetLine, BudgetLine.id == Expenditure.line_id).where(BudgetLine.funder_id == funder_id)
    query = query.order_by(Expenditure.spent_on.desc(), Expenditure.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return session.scalars(query).unique().all()
