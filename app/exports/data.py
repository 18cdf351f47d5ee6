"""What an export may contain, read once from the database into the plain records of app.exports.rows, which the
builders turn into files.

Everything that leaves the app goes through :func:`portfolio_collect`, so the rules live here, once:

- the projects are those the user may see (a donor: the projects its organization funds), and a donor gets only
  the budget lines its organization funds and the entries against them (as on its budget page);
- assessments count only once approved; documents only once approved or signed, donor reports once made;
- nothing private is read at all: no coordinates or street address of a center, no contact person, no names,
  e-mails or phones of users (milestone owners, managers, authors), no photo (so no GPS and no unconsented
  faces), no free-text notes, no audit data.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, lazyload, selectinload

from app.agreements.models import Agreement, AgreementParty
from app.assessments.checklists import thresholds_load
from app.assessments.indicators import SPEC_BY_KEY, Threshold, compute_indicators
from app.assessments.models import Assessment
from app.assessments.services import approved_assessments_of_project, figures_of
from app.budgets.models import BudgetLine, Expenditure
from app.budgets.money import REPORTING_CURRENCY, RateBook
from app.budgets.services import rate_book
from app.centers.models import Center
from app.core.enums import (
    AgreementStatus,
    AssessmentStatus,
    DocumentKind,
    DocumentStatus,
    MilestoneStatus,
    OrganizationKind,
    PartyRole,
    SpendKind,
)
from app.core.permissions import budget_funder_scope
from app.core.timeutil import today
from app.documents.models import Document
from app.exports.rows import (
    CenterRow,
    DocumentRow,
    EntryRow,
    IndicatorRow,
    LineRow,
    MilestoneRow,
    OrgRow,
    PhaseRow,
    Portfolio,
    ProjectRow,
)
from app.organizations.models import Organization
from app.projects.models import Milestone, Phase, Project
from app.projects.services import projects_visible_query

# The ids of the projects exported, as a subquery (a portfolio may hold thousands: no long IN lists).
Ids = Select[Any]
IOM_REF = "XM-DAC-47066"
IOM_NAME = "International Organization for Migration"
PUBLISHED_DOCUMENTS = (DocumentStatus.APPROVED, DocumentStatus.SIGNED)
REPORT_KINDS = (DocumentKind.REPORT,)
AGREEMENTS_IN_FORCE = (AgreementStatus.SIGNED,)


# --- reading --------------------------------------------------------------------------------------------
def _org(org: Organization) -> OrgRow:
    return OrgRow(org.name, org.acronym, org.kind, org.country, org.iati_identifier)


def _center(center: Center) -> CenterRow:
    admin = center.administering_org
    return CenterRow(
        code=center.code,
        name=center.name,
        population=center.population,
        administered_by=admin.acronym if admin else "",
        department=center.department,
        municipality=center.municipality,
        capacity=center.capacity,
        usual_occupancy=center.usual_occupancy,
        archived=center.archived,
    )


def reporting_org(session: Session) -> OrgRow:
    """IOM as recorded (its name and acronym as the administrators keep them), or as IATI knows it."""
    org = session.scalar(select(Organization).where(Organization.iati_identifier == IOM_REF))
    if org is not None:
        return _org(org)
    return OrgRow(IOM_NAME, "IOM", OrganizationKind.UN_AGENCY, "XM", IOM_REF)


def _funders(session: Session) -> dict[int, OrgRow]:
    return {org.id: _org(org) for org in session.scalars(select(Organization))}


def _line_rows(session: Session, ids: Ids, funder_id: int | None) -> dict[int, list[LineRow]]:
    """Budget lines per project, read as plain rows (a portfolio may hold tens of thousands)."""
    query = select(
        BudgetLine.project_id,
        BudgetLine.id,
        BudgetLine.phase,
        BudgetLine.category,
        BudgetLine.description,
        BudgetLine.quantity,
        BudgetLine.unit,
        BudgetLine.unit_cost,
        BudgetLine.total,
        BudgetLine.currency,
        BudgetLine.funder_id,
    ).where(BudgetLine.project_id.in_(ids))
    if funder_id is not None:
        query = query.where(BudgetLine.funder_id == funder_id)
    funders = _funders(session)
    found: dict[int, list[LineRow]] = {}
    for row in session.execute(query.order_by(BudgetLine.project_id, BudgetLine.id)):
        found.setdefault(row.project_id, []).append(
            LineRow(
                id=row.id,
                phase=row.phase,
                category=row.category,
                description=row.description,
                quantity=Decimal(row.quantity),
                unit=row.unit,
                unit_cost=_cents(row.unit_cost),
                total=_cents(row.total),
                currency=row.currency,
                funder=funders[row.funder_id],
            )
        )
    return found


def _entry_rows(session: Session, ids: Ids, funder_id: int | None) -> dict[int, list[EntryRow]]:
    """Commitments and expenditures per project, oldest first, as plain rows."""
    query = (
        select(
            Expenditure.project_id,
            Expenditure.id,
            Expenditure.line_id,
            BudgetLine.description.label("line_description"),
            Expenditure.kind,
            Expenditure.spent_on,
            Expenditure.supplier,
            Expenditure.document_number,
            Expenditure.amount,
            Expenditure.currency,
            Expenditure.line_amount,
            BudgetLine.currency.label("line_currency"),
            Expenditure.reverses_id,
            Expenditure.commitment_id,
            BudgetLine.funder_id,
        )
        .join(BudgetLine, BudgetLine.id == Expenditure.line_id)
        .where(Expenditure.project_id.in_(ids))
    )
    if funder_id is not None:
        query = query.where(BudgetLine.funder_id == funder_id)
    funders = _funders(session)
    found: dict[int, list[EntryRow]] = {}
    for row in session.execute(query.order_by(Expenditure.project_id, Expenditure.spent_on, Expenditure.id)):
        found.setdefault(row.project_id, []).append(
            EntryRow(
                id=row.id,
                line_id=row.line_id,
                line_description=row.line_description,
                kind=row.kind,
                spent_on=row.spent_on,
                supplier=row.supplier,
                document_number=row.document_number,
                amount=_cents(row.amount),
                currency=row.currency,
                line_amount=_cents(row.line_amount),
                line_currency=row.line_currency,
                reverses_id=row.reverses_id,
                commitment_id=row.commitment_id,
                funder=funders[row.funder_id],
            )
        )
    return found


def _phase_rows(session: Session, ids: Ids) -> dict[int, list[PhaseRow]]:
    found: dict[int, list[PhaseRow]] = {}
    query = select(
        Phase.project_id,
        Phase.kind,
        Phase.position,
        Phase.status,
        Phase.planned_start,
        Phase.planned_end,
        Phase.actual_start,
        Phase.actual_end,
    ).where(Phase.project_id.in_(ids))
    for row in session.execute(query.order_by(Phase.project_id, Phase.position)):
        found.setdefault(row.project_id, []).append(PhaseRow(*row[1:]))
    return found


def _milestone_rows(session: Session, ids: Ids, on: date) -> dict[int, list[MilestoneRow]]:
    """Milestones per project in the order the project page shows them; no owner, no notes."""
    found: dict[int, list[MilestoneRow]] = {}
    query = (
        select(
            Milestone.project_id,
            Phase.kind,
            Milestone.title,
            Milestone.planned_date,
            Milestone.actual_date,
            Milestone.status,
        )
        .join(Phase, Phase.id == Milestone.phase_id)
        .where(Milestone.project_id.in_(ids))
        .order_by(Milestone.project_id, Milestone.planned_date, Milestone.id)
    )
    for row in session.execute(query):
        overdue = row.status is MilestoneStatus.OPEN and row.planned_date < on
        found.setdefault(row.project_id, []).append(MilestoneRow(*row[1:], overdue=overdue))
    return found


def _cents(value: Decimal) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


def _implementers(session: Session, ids: Ids) -> dict[int, list[OrgRow]]:
    """Organizations named implementing partner in an agreement in force of each project."""
    rows = session.execute(
        select(Agreement.project_id, Organization)
        .join(AgreementParty, AgreementParty.agreement_id == Agreement.id)
        .join(Organization, Organization.id == AgreementParty.organization_id)
        .where(
            Agreement.project_id.in_(ids),
            Agreement.status.in_(AGREEMENTS_IN_FORCE),
            AgreementParty.role == PartyRole.IMPLEMENTING,
        )
        .order_by(Organization.acronym)
    ).all()
    found: dict[int, list[OrgRow]] = {}
    for project_id, org in rows:
        if project_id is not None and all(row.acronym != org.acronym for row in found.get(project_id, [])):
            found.setdefault(project_id, []).append(_org(org))
    return found


def _assessed_centers(session: Session, ids: Ids) -> set[int]:
    """Centers of these projects that have an approved assessment (the others have no indicators to read)."""
    centers = select(Project.center_id).where(Project.id.in_(ids))
    return set(
        session.scalars(
            select(Assessment.center_id)
            .where(Assessment.status == AssessmentStatus.APPROVED, Assessment.center_id.in_(centers))
            .distinct()
        )
    )


def _indicators(session: Session, project: Project, thresholds: dict[str, Threshold]) -> list[IndicatorRow]:
    """The standards indicators of the first and the latest approved assessment of the project."""
    assessments = list(
        session.scalars(approved_assessments_of_project(project).order_by(Assessment.assessed_on, Assessment.id))
    )
    if not assessments:
        return []
    first, last = assessments[0], assessments[-1]
    before = compute_indicators(figures_of(first), thresholds)
    after = compute_indicators(figures_of(last), thresholds) if last is not first else None
    rows = []
    for index, indicator in enumerate(before):
        if indicator.value is None:
            continue
        later = after[index] if after else None
        rows.append(
            IndicatorRow(
                key=indicator.key,
                unit=SPEC_BY_KEY[indicator.key].unit,
                comparator=indicator.comparator,
                threshold=indicator.threshold,
                baseline_on=first.assessed_on,
                baseline=indicator.value,
                actual_on=last.assessed_on if later is not None and later.value is not None else None,
                actual=later.value if later is not None else None,
            )
        )
    return rows


def _documents(session: Session, ids: Ids, url_for_document: Callable[[int], str]) -> dict[int, list[DocumentRow]]:
    documents = session.scalars(
        select(Document)
        .where(
            Document.project_id.in_(ids),
            Document.kind.in_(REPORT_KINDS),
            Document.status.in_(PUBLISHED_DOCUMENTS),
        )
        .order_by(Document.id)
    )
    found: dict[int, list[DocumentRow]] = {}
    for document in documents:
        latest = document.latest
        if latest is None or document.project_id is None:
            continue
        found.setdefault(document.project_id, []).append(
            DocumentRow(
                title=document.title,
                url=url_for_document(document.id),
                mime=latest.content_type,
                kind=document.kind,
                dated=latest.created_at.date(),
            )
        )
    return found


def _report_links(
    session: Session, user: Any, ids: Ids, url_for_report: Callable[[int], str]
) -> dict[int, list[DocumentRow]]:
    """The donor progress reports made for each project (app.reports), when that feature is installed: every
    finished one for staff, for a donor only those made for its organization (the rule of ``can_view_report``)."""
    try:
        from app.reports.models import Report
    except ImportError:  # the reports feature is not part of this installation
        return {}
    query = select(Report).where(Report.project_id.in_(ids), Report.file_key.is_not(None))
    funder_id = budget_funder_scope(user)
    if funder_id is not None:
        query = query.where(Report.donor_id == funder_id)
    found: dict[int, list[DocumentRow]] = {}
    for report in session.scalars(query.order_by(Report.period_end, Report.id)):
        if not report.ready or report.project_id is None:
            continue
        period = f"{report.period_start.isoformat()}/{report.period_end.isoformat()}"
        who = report.donor.acronym if report.donor is not None else "IOM"
        found.setdefault(report.project_id, []).append(
            DocumentRow(
                title=f"{report.subject} ({who}, {period})",
                url=url_for_report(report.id),
                mime="application/pdf",
                kind=DocumentKind.REPORT,
                dated=report.period_end,
                language=report.language,
            )
        )
    return found


def _reporting_totals(
    lines: list[LineRow], entries: list[EntryRow], book: RateBook, on: date
) -> tuple[Decimal | None, Decimal | None]:
    """Budget and spent in the reporting currency, each line and entry converted at today's rate, as the budget
    pages do; None when some currency has no rate."""
    if not lines:
        return None, None
    budget = spent = Decimal("0.00")
    for line in lines:
        rate = book.rate(line.currency, REPORTING_CURRENCY, on)
        if rate is None:
            return None, None
        budget += rate.convert(line.total)
    for entry in entries:
        if entry.kind is not SpendKind.EXPENDITURE:
            continue
        rate = book.rate(entry.line_currency, REPORTING_CURRENCY, on)
        if rate is None:
            return None, None
        spent += rate.convert(entry.line_amount)
    return budget, spent


def exportable_projects(session: Session, user: Any) -> list[Project]:
    """The projects ``user`` may export, by code (the page lists them; the files read them anew)."""
    return list(session.scalars(projects_visible_query(user).order_by(Project.code)).unique())


def funder_scope_name(session: Session, user: Any) -> str | None:
    """The acronym of the organization whose lines alone ``user`` exports (a donor), None for every line."""
    funder_id = budget_funder_scope(user)
    org = session.get(Organization, funder_id) if funder_id is not None and funder_id > 0 else None
    return org.acronym if org else None


def portfolio_collect(
    session: Session,
    user: Any,
    *,
    project_id: int | None = None,
    url_for_document: Callable[[int], str] = lambda document_id: f"/documents/{document_id}",
    url_for_report: Callable[[int], str] | None = None,
    on: date | None = None,
) -> Portfolio:
    """Everything ``user`` may export: every project it may see (or only ``project_id``), with the centers of
    those projects. A project the user may not see is simply not there. Donor reports are linked only when
    ``url_for_report`` says where to download them."""
    on = on or today()
    query = projects_visible_query(user).options(selectinload(Project.fundings), lazyload(Project.manager))
    if project_id is not None:
        query = query.where(Project.id == project_id)
    projects = list(session.scalars(query.order_by(Project.code)).unique())
    ids = query.with_only_columns(Project.id).order_by(None)
    funder_id = budget_funder_scope(user)
    lines_by_project = _line_rows(session, ids, funder_id)
    entries_by_project = _entry_rows(session, ids, funder_id)
    phases = _phase_rows(session, ids)
    milestones = _milestone_rows(session, ids, on)
    assessed = _assessed_centers(session, ids)
    implementers = _implementers(session, ids)
    documents = _documents(session, ids, url_for_document)
    reports = _report_links(session, user, ids, url_for_report) if url_for_report else {}
    book = rate_book(session)
    thresholds = thresholds_load(session)
    rows = []
    centers: dict[str, CenterRow] = {}
    for project in projects:
        center = centers.setdefault(project.center.code, _center(project.center))
        row = ProjectRow(
            code=project.code,
            title=project.title,
            objective=project.objective,
            kind=project.kind,
            center=center,
            planned_start=project.planned_start,
            planned_end=project.planned_end,
            current_phase=project.current_phase,
            completed=project.completed,
            on_hold=project.on_hold,
            physical_progress=Decimal(project.physical_progress or 0).quantize(Decimal("0.01")),
            updated_at=project.updated_at,
            funders=[_org(org) for org in project.funders],
            implementers=implementers.get(project.id, []),
            phases=phases.get(project.id, []),
            milestones=milestones.get(project.id, []),
            lines=lines_by_project.get(project.id, []),
            entries=entries_by_project.get(project.id, []),
            indicators=_indicators(session, project, thresholds) if project.center_id in assessed else [],
            documents=documents.get(project.id, []) + reports.get(project.id, []),
        )
        row.budget_reporting, row.spent_reporting = _reporting_totals(row.lines, row.entries, book, on)
        rows.append(row)
    return Portfolio(
        reporting_org=reporting_org(session),
        centers=sorted(centers.values(), key=lambda c: c.code),
        projects=rows,
        funder_scope=funder_scope_name(session, user),
    )
