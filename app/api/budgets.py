"""A project's budget lines and its commitments and expenditures; a donor sees only the lines it funds and the
entries on them, as on the web. Project managers and administrators add and change lines and record entries, through
the same services as the budget page: entries are never edited, a wrong one is reversed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import jsonify, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers.response import Response

from app.api.blueprint import bp
from app.api.http import created, created_unversioned, expected_version, page, single, visible_or_404
from app.api.inputs import MAX_ID, Field, json_body, parse_fields, query_choice
from app.api.problems import invalid
from app.api.projects import visible_project
from app.api.serializers import decimal_text, iso
from app.budgets import services
from app.budgets.models import BudgetLine, Expenditure
from app.core.enums import BudgetCategory, PhaseKind, SpendKind
from app.core.permissions import (
    budget_funder_scope,
    can_edit_budget,
    can_record_expenditure,
    can_view_budget,
    require,
)
from app.extensions import db
from app.projects.models import Project

CURRENCY = Field("string", required=True, max_length=3, description="ISO 4217, for example HNL or USD.")
LINE_FIELDS = {
    "phase": Field("enum", required=True, enum_type=PhaseKind),
    "category": Field("enum", required=True, enum_type=BudgetCategory),
    "description": Field("string", required=True, max_length=300),
    "quantity": Field("decimal", required=True, description="Up to 3 decimals, as a string."),
    "unit": Field("string", max_length=30),
    "unit_cost": Field("decimal", required=True, description="Up to 2 decimals, as a string."),
    "currency": CURRENCY,
    "funder_id": Field("integer", required=True, minimum=1, maximum=MAX_ID, description="One of the funders."),
}
ENTRY_FIELDS = {
    "line_id": Field("integer", required=True, minimum=1, maximum=MAX_ID),
    "kind": Field("enum", required=True, enum_type=SpendKind),
    "spent_on": Field("date", required=True, description="Not in the future."),
    "supplier": Field("string", required=True, max_length=200),
    "amount": Field("decimal", required=True, description="Greater than zero, as a string."),
    "currency": CURRENCY,
    "document_number": Field("string", max_length=60, description="Invoice or purchase order number."),
    "document_id": Field("integer", nullable=True, minimum=1, maximum=MAX_ID),
    "commitment_id": Field("integer", nullable=True, minimum=1, maximum=MAX_ID),
    "note": Field("string", max_length=2000),
}
REVERSAL_FIELDS = {
    "reason": Field("string", required=True, max_length=2000, description="Why the entry is reversed."),
    "on": Field("date", nullable=True, description="The day of the reversal; today when left out."),
}


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
        "links": {
            "self": url_for("api.budget_line_get", line_id=line.id),
            "project": url_for("api.project_get", project_id=line.project_id),
        },
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


def _line_input(values: dict[str, Any]) -> services.LineInput:
    return services.LineInput(
        phase=values.get("phase"),
        category=values.get("category"),
        description=values.get("description", ""),
        quantity=values.get("quantity"),
        unit=values.get("unit", ""),
        unit_cost=values.get("unit_cost"),
        currency=values.get("currency", ""),
        funder_id=values.get("funder_id"),
    )


def _checked_line(project: Project, data: services.LineInput) -> None:
    """Every problem of the line at once (as the spreadsheet import reports them), before the service is called."""
    check = services.line_check(project, data)
    if check.values is None:
        raise invalid({name: [message] for name, message in check.errors.items()})


@bp.post("/projects/<int:project_id>/budget-lines")
def budget_line_create(project_id: int) -> Response:
    project = visible_project(project_id)
    require(can_edit_budget(current_user, project))
    data = _line_input(parse_fields(json_body(), LINE_FIELDS))
    _checked_line(project, data)
    line = services.budget_line_create(db.session(), project, data)
    db.session.commit()
    return created(line, budget_line_json(line))


def visible_line(line_id: int) -> BudgetLine:
    def may_see(line: BudgetLine) -> bool:
        if not can_view_budget(current_user, line.project):
            return False
        scope = budget_funder_scope(current_user)
        return scope is None or line.funder_id == scope

    return visible_or_404(BudgetLine, line_id, may_see)


@bp.get("/budget-lines/<int:line_id>")
def budget_line_get(line_id: int) -> Response:
    line = visible_line(line_id)
    return single(line, budget_line_json(line))


@bp.patch("/budget-lines/<int:line_id>")
def budget_line_patch(line_id: int) -> Response:
    line = visible_line(line_id)
    require(can_edit_budget(current_user, line.project))
    version = expected_version(line)
    changes = parse_fields(json_body(), LINE_FIELDS, partial=True)
    current: dict[str, Any] = {
        "phase": line.phase,
        "category": line.category,
        "description": line.description,
        "quantity": line.quantity,
        "unit": line.unit,
        "unit_cost": line.unit_cost,
        "currency": line.currency,
        "funder_id": line.funder_id,
    }
    data = _line_input(current | changes)
    _checked_line(line.project, data)
    services.budget_line_update(db.session(), line, version=version, data=data)
    db.session.commit()
    return single(line, budget_line_json(line))


@bp.delete("/budget-lines/<int:line_id>")
def budget_line_delete(line_id: int) -> Response:
    """Remove a line that has no commitments or expenditures yet (the service refuses otherwise)."""
    line = visible_line(line_id)
    require(can_edit_budget(current_user, line.project))
    expected_version(line)
    services.budget_line_delete(db.session(), line)
    db.session.commit()
    return Response(status=204)


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
        "links": {
            "self": url_for("api.expenditure_get", entry_id=entry.id),
            "line": url_for("api.budget_line_get", line_id=entry.line_id),
        },
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


@bp.post("/projects/<int:project_id>/expenditures")
def expenditure_create(project_id: int) -> Response:
    project = visible_project(project_id)
    require(can_record_expenditure(current_user, project))
    values = parse_fields(json_body(), ENTRY_FIELDS)
    entry = services.expenditure_record(db.session(), project, services.EntryInput(**values))
    db.session.commit()
    return created_unversioned(expenditure_json(entry))  # entries are never changed: no ETag


def visible_entry(entry_id: int) -> Expenditure:
    def may_see(entry: Expenditure) -> bool:
        if not can_view_budget(current_user, entry.project):
            return False
        scope = budget_funder_scope(current_user)
        return scope is None or entry.line.funder_id == scope

    return visible_or_404(Expenditure, entry_id, may_see)


@bp.get("/expenditures/<int:entry_id>")
def expenditure_get(entry_id: int) -> Response:
    return jsonify(expenditure_json(visible_entry(entry_id)))


@bp.post("/expenditures/<int:entry_id>/reversal")
def expenditure_reversal(entry_id: int) -> Response:
    """Cancel an entry by a reversing one (the same amounts negated), saying why."""
    entry = visible_entry(entry_id)
    require(can_record_expenditure(current_user, entry.project))
    values = parse_fields(json_body(), REVERSAL_FIELDS)
    reversal = services.expenditure_reverse(db.session(), entry, reason=values["reason"], on=values.get("on"))
    db.session.commit()
    return created_unversioned(expenditure_json(reversal))
