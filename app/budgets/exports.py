"""The budget and the ledger of a project as sheets for :mod:`app.budgets.xlsx_io` to write as XLSX or CSV.

The budget sheet's first columns are the ones the import reads, so a budget exported, edited and imported
into another project comes back the same.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _

from app.budgets.analysis import BudgetReport
from app.budgets.models import Expenditure
from app.core.spreadsheets import Cell, Sheet

MONEY = "#,##0.00"
QUANTITY = "#,##0.000"
RATE = "0.000000"


def budget_sheet(report: BudgetReport) -> Sheet:
    headers = [
        _("Category"),
        _("Description"),
        _("Quantity"),
        _("Unit"),
        _("Unit cost"),
        _("Currency"),
        _("Funder"),
        _("Phase"),
        _("Budget"),
        _("Committed (not yet paid)"),
        _("Spent"),
        _("Remaining"),
        _("Used (percent)"),
        _("Over budget"),
        _("Line id"),
    ]
    rows: list[list[Cell]] = []
    for item in report.lines:
        line, figures = item.line, item.figures
        rows.append(
            [
                line.category.label,
                line.description,
                line.quantity,
                line.unit,
                line.unit_cost,
                line.currency,
                line.funder.acronym if line.funder else "",
                line.phase.label,
                figures.budget,
                figures.committed,
                figures.spent,
                figures.remaining,
                figures.percent_used,
                _("yes") if figures.over_budget else "",
                line.id,
            ]
        )
    formats = {2: QUANTITY, 4: MONEY, 8: MONEY, 9: MONEY, 10: MONEY, 11: MONEY}
    return Sheet(_("Budget"), headers, rows, formats)


def entries_sheet(entries: Sequence[Expenditure]) -> Sheet:
    headers = [
        _("Entry id"),
        _("Date"),
        _("Kind"),
        _("Line id"),
        _("Budget line"),
        _("Supplier"),
        _("Document number"),
        _("Amount"),
        _("Currency"),
        _("Amount in the line's currency"),
        _("Line currency"),
        _("Exchange rate"),
        _("Rate of"),
        _("Reverses entry"),
        _("Pays commitment"),
        _("Note"),
    ]
    rows: list[list[Cell]] = []
    for entry in entries:
        rate = entry.fx_rate
        pair = ""
        if rate is not None:
            first, second = (
                (entry.line.currency, entry.currency)
                if entry.fx_inverted
                else (
                    entry.currency,
                    entry.line.currency,
                )
            )
            pair = f"1 {first} = {rate} {second}"
        rows.append(
            [
                entry.id,
                entry.spent_on,
                entry.kind.label,
                entry.line_id,
                entry.line.description,
                entry.supplier,
                entry.document_number,
                entry.amount,
                entry.currency,
                entry.line_amount,
                entry.line.currency,
                pair,
                entry.fx_valid_on,
                entry.reverses_id,
                entry.commitment_id,
                entry.note,
            ]
        )
    return Sheet(_("Expenditures"), headers, rows, {7: MONEY, 9: MONEY})
