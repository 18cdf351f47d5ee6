"""The portfolio as tables: centers, projects, phases, milestones, budgets, expenditures.

A pure builder: a :class:`~app.exports.data.Portfolio` in, :class:`~app.core.spreadsheets.Sheet` objects out,
written as one XLSX workbook (headers in the reader's language, typed cells) or as CSV files (stable English column
keys, and HXL hashtags on the second row so that HXL tools read them).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core.enums import ProjectState
from app.core.spreadsheets import Cell, Sheet, to_csv, to_xlsx
from app.exports.iati import SECTORS, activity_identifier
from app.exports.rows import Portfolio, ProjectRow

MONEY = "#,##0.00"
QUANTITY = "#,##0.000"
PERCENT = "0.00"
DATE = "yyyy-mm-dd"
TABLES = ("centers", "projects", "phases", "milestones", "budgets", "expenditures")


@dataclass(frozen=True)
class Column:
    key: str  # CSV header
    label: Any  # XLSX header (lazy translated)
    hxl: str
    number_format: str | None = None


def _yes(value: bool) -> str:
    return _("yes") if value else ""


def _state(project: ProjectRow) -> ProjectState:
    if project.completed:
        return ProjectState.COMPLETED
    return ProjectState.ON_HOLD if project.on_hold else ProjectState.ACTIVE


# --- the tables -----------------------------------------------------------------------------------------
CENTER_COLUMNS = (
    Column("center_code", _l("Center code"), "#loc+code"),
    Column("center_name", _l("Center"), "#loc+name"),
    Column("population", _l("Population received"), "#beneficiary+type"),
    Column("administered_by", _l("Administered by"), "#org+admin"),
    Column("department", _l("Department"), "#adm1+name"),
    Column("municipality", _l("Municipality"), "#adm2+name"),
    Column("capacity", _l("Capacity (people)"), "#capacity+people+num"),
    Column("usual_occupancy", _l("Usual occupancy"), "#population+usual+num"),
    Column("archived", _l("Archived"), "#status+archived"),
)


def _center_rows(portfolio: Portfolio) -> list[list[Cell]]:
    return [
        [
            c.code,
            c.name,
            c.population.label,
            c.administered_by,
            c.department,
            c.municipality,
            c.capacity,
            c.usual_occupancy,
            _yes(c.archived),
        ]
        for c in portfolio.centers
    ]


PROJECT_COLUMNS = (
    Column("project_code", _l("Project code"), "#activity+code"),
    Column("iati_identifier", _l("IATI identifier"), "#activity+id+iati"),
    Column("title", _l("Title"), "#activity+name"),
    Column("kind", _l("Kind"), "#activity+type"),
    Column("center_code", _l("Center code"), "#loc+code"),
    Column("department", _l("Department"), "#adm1+name"),
    Column("municipality", _l("Municipality"), "#adm2+name"),
    Column("funders", _l("Funded by"), "#org+funder"),
    Column("sectors", _l("DAC sectors (share)"), "#sector+code+dac+list"),
    Column("status", _l("Status"), "#status"),
    Column("current_phase", _l("Current phase"), "#status+phase"),
    Column("planned_start", _l("Planned start"), "#date+start+planned", DATE),
    Column("planned_end", _l("Planned end"), "#date+end+planned", DATE),
    Column("actual_start", _l("Actual start"), "#date+start+actual", DATE),
    Column("actual_end", _l("Actual end"), "#date+end+actual", DATE),
    Column("physical_progress_pct", _l("Physical progress (%)"), "#indicator+progress+pct", PERCENT),
    Column("budget", _l("Budget"), "#value+budget", MONEY),
    Column("spent", _l("Spent"), "#value+spent", MONEY),
    Column("currency", _l("Currency"), "#currency"),
)


def _project_rows(portfolio: Portfolio) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    reporting_ref = portfolio.reporting_org.ref or ""
    for p in portfolio.projects:
        started = [ph.actual_start for ph in p.phases if ph.actual_start]
        ended = [ph.actual_end for ph in p.phases if ph.actual_end]
        rows.append(
            [
                p.code,
                activity_identifier(reporting_ref, p.code),
                p.title,
                p.kind.label,
                p.center.code,
                p.center.department,
                p.center.municipality,
                ", ".join(org.acronym for org in p.funders),
                " ".join(f"{code}:{share}%" for code, share in SECTORS),
                _state(p).label,
                p.current_phase.label,
                p.planned_start,
                p.planned_end,
                min(started) if started else None,
                max(ended) if p.completed and ended else None,
                p.physical_progress,
                p.budget_reporting,
                p.spent_reporting,
                portfolio.reporting_currency if p.budget_reporting is not None else "",
            ]
        )
    return rows


PHASE_COLUMNS = (
    Column("project_code", _l("Project code"), "#activity+code"),
    Column("position", _l("Order"), "#meta+order"),
    Column("phase", _l("Phase"), "#activity+phase"),
    Column("status", _l("Status"), "#status"),
    Column("planned_start", _l("Planned start"), "#date+start+planned", DATE),
    Column("planned_end", _l("Planned end"), "#date+end+planned", DATE),
    Column("actual_start", _l("Actual start"), "#date+start+actual", DATE),
    Column("actual_end", _l("Actual end"), "#date+end+actual", DATE),
)


def _phase_rows(portfolio: Portfolio) -> list[list[Cell]]:
    return [
        [
            p.code,
            ph.position,
            ph.kind.label,
            ph.status.label,
            ph.planned_start,
            ph.planned_end,
            ph.actual_start,
            ph.actual_end,
        ]
        for p in portfolio.projects
        for ph in p.phases
    ]


MILESTONE_COLUMNS = (
    Column("project_code", _l("Project code"), "#activity+code"),
    Column("phase", _l("Phase"), "#activity+phase"),
    Column("milestone", _l("Milestone"), "#output+milestone+name"),
    Column("planned_date", _l("Planned date"), "#date+planned", DATE),
    Column("actual_date", _l("Actual date"), "#date+actual", DATE),
    Column("status", _l("Status"), "#status"),
    Column("overdue", _l("Overdue"), "#status+overdue"),
)


def _milestone_rows(portfolio: Portfolio) -> list[list[Cell]]:
    return [
        [p.code, m.phase.label, m.title, m.planned_date, m.actual_date, m.status.label, _yes(m.overdue)]
        for p in portfolio.projects
        for m in p.milestones
    ]


BUDGET_COLUMNS = (
    Column("project_code", _l("Project code"), "#activity+code"),
    Column("line_id", _l("Line id"), "#meta+id"),
    Column("phase", _l("Phase"), "#activity+phase"),
    Column("category", _l("Category"), "#item+type"),
    Column("description", _l("Description"), "#item+name"),
    Column("quantity", _l("Quantity"), "#item+quantity+num", QUANTITY),
    Column("unit", _l("Unit"), "#item+unit"),
    Column("unit_cost", _l("Unit cost"), "#value+unit", MONEY),
    Column("total", _l("Budget"), "#value+budget", MONEY),
    Column("currency", _l("Currency"), "#currency"),
    Column("funder", _l("Funder"), "#org+funder+acronym"),
    Column("funder_iati", _l("Funder IATI identifier"), "#org+funder+code"),
)


def _budget_rows(portfolio: Portfolio) -> list[list[Cell]]:
    return [
        [
            p.code,
            ln.id,
            ln.phase.label,
            ln.category.label,
            ln.description,
            ln.quantity,
            ln.unit,
            ln.unit_cost,
            ln.total,
            ln.currency,
            ln.funder.acronym,
            ln.funder.ref or "",
        ]
        for p in portfolio.projects
        for ln in p.lines
    ]


EXPENDITURE_COLUMNS = (
    Column("project_code", _l("Project code"), "#activity+code"),
    Column("entry_id", _l("Entry id"), "#meta+id"),
    Column("date", _l("Date"), "#date", DATE),
    Column("kind", _l("Kind"), "#meta+kind"),
    Column("line_id", _l("Line id"), "#meta+line"),
    Column("line_description", _l("Budget line"), "#item+name"),
    Column("supplier", _l("Supplier"), "#org+receiver"),
    Column("document_number", _l("Document number"), "#meta+ref"),
    Column("amount", _l("Amount"), "#value", MONEY),
    Column("currency", _l("Currency"), "#currency"),
    Column("line_amount", _l("Amount in the line's currency"), "#value+line", MONEY),
    Column("line_currency", _l("Line currency"), "#currency+line"),
    Column("funder", _l("Funder"), "#org+funder+acronym"),
    Column("reverses_entry", _l("Reverses entry"), "#meta+reverses"),
    Column("pays_commitment", _l("Pays commitment"), "#meta+commitment"),
)


def _expenditure_rows(portfolio: Portfolio) -> list[list[Cell]]:
    return [
        [
            p.code,
            e.id,
            e.spent_on,
            e.kind.label,
            e.line_id,
            e.line_description,
            e.supplier,
            e.document_number,
            e.amount,
            e.currency,
            e.line_amount,
            e.line_currency,
            e.funder.acronym,
            e.reverses_id,
            e.commitment_id,
        ]
        for p in portfolio.projects
        for e in p.entries
    ]


TITLES = {
    "centers": _l("Centers"),
    "projects": _l("Projects"),
    "phases": _l("Phases"),
    "milestones": _l("Milestones"),
    "budgets": _l("Budgets"),
    "expenditures": _l("Expenditures"),
}
SPECS: dict[str, tuple[tuple[Column, ...], Callable[[Portfolio], list[list[Cell]]]]] = {
    "centers": (CENTER_COLUMNS, _center_rows),
    "projects": (PROJECT_COLUMNS, _project_rows),
    "phases": (PHASE_COLUMNS, _phase_rows),
    "milestones": (MILESTONE_COLUMNS, _milestone_rows),
    "budgets": (BUDGET_COLUMNS, _budget_rows),
    "expenditures": (EXPENDITURE_COLUMNS, _expenditure_rows),
}


def portfolio_sheet(portfolio: Portfolio, table: str, *, machine: bool = False) -> Sheet:
    """One table; ``machine`` gives English keys and HXL hashtags (for CSV), else translated headers (XLSX)."""
    columns, rows = SPECS[table]
    formats = {i: column.number_format for i, column in enumerate(columns) if column.number_format}
    return Sheet(
        title=table if machine else str(TITLES[table]),
        headers=[column.key if machine else str(column.label) for column in columns],
        rows=rows(portfolio),
        formats=formats,
        tags=[column.hxl for column in columns] if machine else None,
    )


def portfolio_xlsx(portfolio: Portfolio) -> bytes:
    return to_xlsx([portfolio_sheet(portfolio, table) for table in TABLES])


def portfolio_csv(portfolio: Portfolio, table: str) -> bytes:
    return to_csv(portfolio_sheet(portfolio, table, machine=True))


def portfolio_csv_zip(portfolio: Portfolio, *, stamp: date) -> bytes:
    """Every table as a CSV file in one ZIP, all read from the same moment (so they agree with each other).

    The members get a fixed timestamp (``stamp``) so that the same data gives the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in TABLES:
            info = zipfile.ZipInfo(f"{table}.csv", date_time=(stamp.year, stamp.month, stamp.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, portfolio_csv(portfolio, table))
    return buffer.getvalue()
