"""Builders for budget tests: a funded project, lines, entries, rates, and spreadsheets made with openpyxl."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from app.budgets.models import BudgetLine, Expenditure
from app.budgets.services import (
    EntryInput,
    LineInput,
    budget_line_create,
    exchange_rate_create,
    expenditure_record,
)
from app.core.enums import BudgetCategory, PhaseKind, SpendKind
from app.extensions import db
from app.organizations.models import Organization
from tests.factories import make_organization, make_project

HEADERS_EN = ["Category", "Description", "Quantity", "Unit", "Unit cost", "Currency", "Funder", "Phase"]
HEADERS_ES = ["Categoría", "Descripción", "Cantidad", "Unidad", "Costo unitario", "Moneda", "Financiador", "Fase"]


def funded_project(*acronyms: str) -> tuple[Any, list[Organization]]:
    """A project funded by new organizations with these acronyms (one, "DON", by default)."""
    funders = [make_organization(acronym=acronym) for acronym in (acronyms or ("DON",))]
    project = make_project(funder_ids=[org.id for org in funders])
    return project, funders


def add_line(project: Any, funder: Organization, **values: Any) -> BudgetLine:
    data = LineInput(
        phase=values.pop("phase", PhaseKind.WORKS),
        category=values.pop("category", BudgetCategory.WORKS),
        description=values.pop("description", "Roof"),
        quantity=values.pop("quantity", "10"),
        unit=values.pop("unit", "m²"),
        unit_cost=values.pop("unit_cost", "100.00"),
        currency=values.pop("currency", "USD"),
        funder_id=funder.id,
    )
    assert not values, values
    line = budget_line_create(db.session, project, data)
    db.session.commit()
    return line


def spend(project: Any, line: BudgetLine, amount: str, **values: Any) -> Expenditure:
    entry = expenditure_record(
        db.session,
        project,
        EntryInput(
            line_id=line.id,
            kind=values.pop("kind", SpendKind.EXPENDITURE),
            spent_on=values.pop("spent_on", date(2025, 3, 1)),
            supplier=values.pop("supplier", "Constructora"),
            amount=amount,
            currency=values.pop("currency", line.currency),
            **values,
        ),
    )
    db.session.commit()
    return entry


def add_rate(from_currency: str, to_currency: str, rate: str, valid_on: date) -> None:
    exchange_rate_create(db.session, from_currency=from_currency, to_currency=to_currency, rate=rate, valid_on=valid_on)
    db.session.commit()


def workbook(rows: Sequence[Sequence[Any]], headers: Sequence[str] = HEADERS_EN) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def good_row(n: int = 1, funder: str = "DON") -> list[Any]:
    return ["Works", f"Item {n}", 2, "m²", Decimal("12.50"), "USD", funder, "Works"]
