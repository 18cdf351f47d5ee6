"""A project's budget lines and its commitments and expenditures, read-only; a donor sees only the lines it funds
and the entries on them, as on the web."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers.response import Response

from app.api.blueprint import bp
from app.api.http import page
from app.api.inputs import query_choice
from app.api.projects import visible_project
from app.api.serializers import decimal_text, iso
from app.budgets.models import BudgetLine, Expenditure
from app.core.enums import BudgetCategory, PhaseKind, SpendKind
from app.core.permissions import budget_funder_scope, can_view_budget, require


def money_json(amount: Decimal, currency: str) -> dict[str, Any]:
    """Money as a string amount (never a float) with its ISO 4217 currency."""
    return {"amount": decimal_text(amount), "currency": currency}


def budget_line_json(line: BudgetLine) -> dict[str, Any]:
    return {
        "id": line.id,
        "project_id": line.project_id,
        "phase": line.phase.value,
        "category": line.category.value,
        "description": line.description,
        "quantity": decimal_text(line.quantity),
        "unit": line.unit,
        "unit_cost": money_json(line.unit_cost, line.currency),
        "total": money_json(line.total, line.currency),
        "funder_id": line.funder_id,
        "created_at": iso(line.created_at),
        "updated_at": iso(line.updated_at),
        "version": line.version,
    }


@bp.get("/projects/<int:project_id>/budget-lines")
def budget_lines_list(project_id: int) -> Response:
    project = visible_project(project_id)
    require(can_view_budget(current_user, project))
    query = select(BudgetLine).where(BudgetLine.project_id == project.id)
    funder_id = budget_funder_scope(current_user)
    if funder_id is not None:
        query = query.where(BudgetLine.funder_id == funder_id)
    phase, category = query_choice("phase", tuple(PhaseKind)), query_choice("category", tuple(BudgetCategory))
    if phase:
        query = query.where(BudgetLine.phase == PhaseKind(phase))
    if category:
        query = query.where(BudgetLine.category == BudgetCategory(category))
    render = lambda rows: [budget_line_json(line) for line in rows]  # noqa: E731
    return page(query, BudgetLine.id, render, "api.budget_lines_list", ("phase", "category"), project_id=project.id)


def expenditure_json(entry: Expenditure) -> dict[str, Any]:
    return {
        "id": entry.id,
        "project_id": entry.project_id,
        "line_id": entry.line_id,
        "kind": entry.kind.value,
        "spent_on": iso(entry.spent_on),
        "supplier": entry.supplier,
        "document_number": entry.document_number,
        "amount": money_json(entry.amount, entry.currency),
        # What the entry counts against its line, in the line's currency (converted at the rate of its day).
        "line_amount": money_json(entry.line_amount, entry.line.currency),
        "fx_rate": decimal_text(entry.fx_rate),
        "fx_valid_on": iso(entry.fx_valid_on),
        "commitment_id": entry.commitment_id,
        "reverses_id": entry.reverses_id,
        "note": entry.note,
        "created_at": iso(entry.created_at),
    }


@bp.get("/projects/<int:project_id>/expenditures")
def expenditures_list(project_id: int) -> Response:
    project = visible_project(project_id)
    require(can_view_budget(current_user, project))
    query = select(Expenditure).where(Expenditure.project_id == project.id)
    funder_id = budget_funder_scope(current_user)
    if funder_id is not None:
        query = query.join(BudgetLine, BudgetLine.id == Expenditure.line_id).where(BudgetLine.funder_id == funder_id)
    kind = query_choice("kind", tuple(SpendKind))
    if kind:
        query = query.where(Expenditure.kind == SpendKind(kind))
    render = lambda rows: [expenditure_json(entry) for entry in rows]  # noqa: E731
    return page(query, Expenditure.id, render, "api.expenditures_list", ("kind",), project_id=project.id)
