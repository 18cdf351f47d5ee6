"""Demo budgets for the demo projects, through the services (so the audit log shows the history). The portfolio
benchmark inserts its synthetic budgets itself (benchmarks/portfolio.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.budgets.models import BudgetLine, ExchangeRate
from app.budgets.services import (
    EntryInput,
    LineInput,
    budget_line_create,
    exchange_rate_create,
    expenditure_record,
    expenditure_reverse,
)
from app.core.audit.recorder import acting_as
from app.core.enums import BudgetCategory, PhaseKind, SpendKind
from app.core.timeutil import today
from app.projects.models import Project

C = BudgetCategory
P = PhaseKind

# (phase, category, description, quantity, unit, unit cost, currency, funder)
DemoLine = tuple[PhaseKind, BudgetCategory, str, str, str, str, str, str]
# (line index, kind, days ago, supplier, document number, amount, currency)
DemoEntry = tuple[int, SpendKind, int, str, str, str, str]

RATES = ((-400, "24.6150"), (-200, "24.7820"), (-60, "25.0410"), (-5, "25.1200"))

BUDGETS: dict[str, tuple[tuple[DemoLine, ...], tuple[DemoEntry, ...]]] = {
    "CAMR-SPS-01": (
        (
            (
                P.EVALUATION,
                C.ASSESSMENT_DESIGN,
                "Evaluación estructural y del modelo de atención",
                "1",
                "global",
                "6500.00",
                "USD",
                "USAID",
            ),
            (
                P.DESIGN,
                C.ASSESSMENT_DESIGN,
                "Diseño arquitectónico y presupuesto de obra",
                "1",
                "global",
                "14800.00",
                "USD",
                "USAID",
            ),
            (P.WORKS, C.WORKS, "Sustitución de cubiertas de los dormitorios", "640", "m²", "38.50", "USD", "USAID"),
            (P.WORKS, C.WORKS, "Baterías sanitarias accesibles", "4", "módulo", "9850.00", "USD", "SIDA"),
            (
                P.WORKS,
                C.MATERIALS,
                "Tubería PVC y accesorios de la red de agua",
                "1",
                "lote",
                "312500.00",
                "HNL",
                "SIDA",
            ),
            (
                P.WORKS,
                C.EQUIPMENT_FURNITURE,
                "Literas metálicas con colchón",
                "150",
                "unidad",
                "185.00",
                "USD",
                "USAID",
            ),
            (P.WORKS, C.SUPERVISION, "Supervisión externa de obra", "6", "mes", "2400.00", "USD", "SIDA"),
            (P.WORKS, C.CONTINGENCY, "Imprevistos (5 %)", "1", "global", "4200.00", "USD", "USAID"),
        ),
        (
            (0, SpendKind.EXPENDITURE, 250, "Ingenieros Asociados del Norte", "FAC-0192", "6500.00", "USD"),
            (1, SpendKind.EXPENDITURE, 150, "Taller de Arquitectura Sula", "FAC-2231", "15350.00", "USD"),
            (2, SpendKind.COMMITMENT, 120, "Constructora Valle de Sula", "CONT-044", "24640.00", "USD"),
            (2, SpendKind.EXPENDITURE, 90, "Constructora Valle de Sula", "EST-01", "9856.00", "USD"),
            (2, SpendKind.EXPENDITURE, 40, "Constructora Valle de Sula", "EST-02", "7392.00", "USD"),
            (4, SpendKind.EXPENDITURE, 70, "Ferretería Industrial Sampedrana", "FAC-88812", "128400.50", "HNL"),
            (6, SpendKind.EXPENDITURE, 60, "Consultores en Supervisión S.A.", "FAC-301", "2400.00", "USD"),
            (6, SpendKind.EXPENDITURE, 30, "Consultores en Supervisión S.A.", "FAC-312", "2400.00", "USD"),
            (5, SpendKind.COMMITMENT, 20, "Muebles del Valle", "OC-5521", "27750.00", "USD"),
            (3, SpendKind.EXPENDITURE, 15, "Constructora Valle de Sula", "EST-03", "11200.00", "HNL"),
        ),
    ),
    "CAMR-OMOA-01": (
        (
            (
                P.EVALUATION,
                C.ASSESSMENT_DESIGN,
                "Evaluación de espacios para niñez no acompañada",
                "1",
                "global",
                "4800.00",
                "USD",
                "GAC",
            ),
            (
                P.DESIGN,
                C.ASSESSMENT_DESIGN,
                "Diseño de áreas por edad y consultorio",
                "1",
                "global",
                "9600.00",
                "USD",
                "GAC",
            ),
            (P.WORKS, C.WORKS, "Adecuación de dormitorios por grupo de edad", "220", "m²", "65.00", "USD", "GAC"),
            (
                P.WORKS,
                C.EQUIPMENT_FURNITURE,
                "Área de juego y mobiliario infantil",
                "1",
                "lote",
                "142000.00",
                "HNL",
                "GAC",
            ),
        ),
        ((0, SpendKind.EXPENDITURE, 80, "Consultora Caribe", "FAC-0045", "4650.00", "USD"),),
    ),
}


def load_demo_budgets(session: Session) -> bool:
    """Add the demo rates and budgets that are missing. Returns False when they were all there already."""
    changed = False
    admin = session.scalar(select(User).where(User.email == "admin@example.org"))
    manager = session.scalar(select(User).where(User.email == "manager@example.org"))
    if not session.scalar(select(func.count()).select_from(ExchangeRate)):
        with acting_as(admin.id if admin else None):
            for offset, rate in RATES:
                exchange_rate_create(
                    session,
                    from_currency="USD",
                    to_currency="HNL",
                    rate=rate,
                    valid_on=today() + timedelta(days=offset),
                    source="Banco Central de Honduras, tipo de cambio de referencia",
                )
        changed = True
    for code, (lines, entries) in BUDGETS.items():
        project = session.scalar(select(Project).where(Project.code == code))
        if project is None or session.scalar(select(func.count()).where(BudgetLine.project_id == project.id)):
            continue
        with acting_as(manager.id if manager else None):
            _load_project(session, project, lines, entries)
        changed = True
    return changed


def _load_project(session: Session, project: Project, lines: Sequence[DemoLine], entries: Sequence[DemoEntry]) -> None:
    funders = {org.acronym: org.id for org in project.funders}
    created = []
    for phase, category, description, quantity, unit, unit_cost, currency, funder in lines:
        data = LineInput(phase, category, description, quantity, unit, unit_cost, currency, funders.get(funder))
        created.append(budget_line_create(session, project, data))
    commitments: dict[int, int] = {}
    recorded = []
    for index, kind, days_ago, supplier, number, amount, currency in entries:
        line = created[index]
        entry = expenditure_record(
            session,
            project,
            EntryInput(
                line_id=line.id,
                kind=kind,
                spent_on=today() - timedelta(days=days_ago),
                supplier=supplier,
                amount=amount,
                currency=currency,
                document_number=number,
                commitment_id=commitments.get(line.id) if kind is SpendKind.EXPENDITURE else None,
            ),
        )
        if kind is SpendKind.COMMITMENT:
            commitments[line.id] = entry.id
        recorded.append(entry)
    if len(recorded) > 4:
        # One correction, as the ledger shows it: a supervision invoice entered twice, reversed.
        expenditure_reverse(session, recorded[7], reason="Factura FAC-312 registrada dos veces; se anula.")


# --- the portfolio benchmark ------------------------------------------------------------------------------
