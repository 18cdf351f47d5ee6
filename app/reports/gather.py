"""Read what a report shows from the database into a :class:`~app.reports.snapshot.ReportData`.

Call inside ``flask_babel.force_locale(language)``: labels are taken in the report's language. Only what may
leave the app is read: for a donor, only the projects it funds, the budget lines it funds, approved assessments
and signed agreements; for everyone, only photos allowed to leave the app, as their derived display images.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import cast

from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.agreements.models import Agreement
from app.assessments.checklists import indicator_label, limit_label
from app.assessments.indicators import Indicator
from app.assessments.models import Assessment
from app.assessments.services import assessment_indicators
from app.budgets.analysis import ZERO, budget_report
from app.core.enums import (
    AgreementStatus,
    AssessmentStatus,
    MilestoneStatus,
    PhotoCopies,
    PhotoStage,
    ProjectState,
    ReportKind,
    ReportScope,
    ReportSection,
)
from app.core.storage import Storage
from app.organizations.models import Organization
from app.photos.models import Photo
from app.photos.services import PhotoFilter, photo_print_image, photos_visible_query
from app.projects.gantt import phase_rows
from app.projects.models import Milestone, Project, ProjectFunding
from app.reports.handover_data import handover_block
from app.reports.snapshot import (
    AgreementBlock,
    AssessmentBlock,
    BudgetBlock,
    CommitmentLine,
    IndicatorLine,
    MilestoneLine,
    MoneyRow,
    PhaseLine,
    PhotoItem,
    ProjectBlock,
    ReportData,
)

NEXT_DAYS = 90  # milestones due within this many days after the period are "due next"
MAX_PAIRS = 8  # before/after pairs in a report (16 images)
MAX_PHOTOS = 24  # more photos from the period: at most 40 images whatever the number on record


@dataclass(frozen=True)
class ReportRequest:
    """What a person asked for in the form."""

    scope: ReportScope
    period_start: date
    period_end: date
    language: str = "es"
    sections: tuple[ReportSection, ...] = tuple(ReportSection)
    project_id: int | None = None
    center_id: int | None = None
    donor_id: int | None = None
    narrative: str = ""
    next_steps: str = ""
    kind: ReportKind = ReportKind.PROGRESS


HANDOVER_SECTIONS = (ReportSection.ASSESSMENTS, ReportSection.PHOTOS, ReportSection.AGREEMENTS)


def projects_in_scope(session: Session, request: ReportRequest) -> list[Project]:
    """The projects a report covers, by code; with a donor, only the ones it funds."""
    query = select(Project).order_by(Project.code)
    if request.scope is ReportScope.PROJECT:
        query = query.where(Project.id == (request.project_id or 0))
    elif request.scope is ReportScope.CENTER:
        query = query.where(Project.center_id == (request.center_id or 0))
    elif request.donor_id is None:
        return []
    if request.donor_id is not None:
        funded = select(ProjectFunding.project_id).where(ProjectFunding.organization_id == request.donor_id)
        query = query.where(Project.id.in_(funded))
    return list(session.scalars(query).unique())


def _state(project: Project) -> str:
    if project.completed:
        return ProjectState.COMPLETED.label
    return ProjectState.ON_HOLD.label if project.on_hold else ProjectState.ACTIVE.label


def _project_block(project: Project) -> ProjectBlock:
    phases = tuple(
        PhaseLine(
            name=phase.kind.label,
            status=phase.status.label,
            planned_start=phase.planned_start,
            planned_end=phase.planned_end,
            actual_start=phase.actual_start,
            actual_end=phase.actual_end,
        )
        for phase in sorted(project.phases, key=lambda p: p.position)
    )
    return ProjectBlock(
        code=project.code,
        title=project.title,
        center=project.center.name,
        current_phase=project.current_phase.label,
        state=_state(project),
        progress=Decimal(project.physical_progress or 0),
        phases=phases,
        timeline=tuple(phase_rows(project)),
    )


def _milestones(
    session: Session, ids: Sequence[int], start: date, end: date
) -> tuple[tuple[MilestoneLine, ...], tuple[MilestoneLine, ...]]:
    def line(milestone: Milestone, overdue: bool = False) -> MilestoneLine:
        return MilestoneLine(
            project_code=milestone.project.code,
            title=milestone.title,
            phase=milestone.phase.kind.label,
            planned_date=milestone.planned_date,
            actual_date=milestone.actual_date,
            overdue=overdue,
        )

    reached = session.scalars(
        select(Milestone)
        .where(
            Milestone.project_id.in_(ids),
            Milestone.status == MilestoneStatus.DONE,
            Milestone.actual_date >= start,
            Milestone.actual_date <= end,
        )
        .order_by(Milestone.actual_date, Milestone.id)
    ).all()
    upcoming = session.scalars(
        select(Milestone)
        .where(
            Milestone.project_id.in_(ids),
            Milestone.status == MilestoneStatus.OPEN,
            Milestone.planned_date <= end + timedelta(days=NEXT_DAYS),
        )
        .order_by(Milestone.planned_date, Milestone.id)
    ).all()
    return (
        tuple(line(m) for m in reached),
        tuple(line(m, overdue=m.planned_date <= end) for m in upcoming),
    )


def _shown(indicator: Indicator | None) -> str:
    if indicator is None:
        return "—"
    if indicator.unlimited:
        return _("none")
    return "—" if indicator.value is None else str(format_decimal(indicator.value, format="#,##0.##"))


def _assessments(session: Session, ids: Sequence[int], end: date) -> tuple[AssessmentBlock, ...]:
    """The latest approved assessment of each project up to the end of the period, against the one before it."""
    candidates = session.scalars(
        select(Assessment)
        .where(
            Assessment.project_id.in_(ids),
            Assessment.status == AssessmentStatus.APPROVED,
            Assessment.assessed_on <= end,
        )
        .order_by(Assessment.assessed_on.desc(), Assessment.id.desc())
    ).all()
    latest: dict[int, Assessment] = {}
    for assessment in candidates:
        latest.setdefault(assessment.project_id or 0, assessment)
    blocks = []
    for assessment in sorted(latest.values(), key=lambda a: (a.project.code if a.project else "", a.id)):
        report = assessment_indicators(session, assessment)
        lines = []
        for comparison in report.comparisons:
            after = comparison.after
            threshold = format_decimal(after.threshold, format="#,##0.##")
            lines.append(
                IndicatorLine(
                    name=indicator_label(comparison.key),
                    standard=_("at most %(value)s", value=threshold)
                    if after.comparator == "max"
                    else _("at least %(value)s", value=threshold),
                    before=_shown(comparison.before),
                    after=_shown(after),
                    ok=after.ok,
                    trend=comparison.trend,
                )
            )
        capacity = report.capacity
        capacity_text = (
            _(
                "Capacity within the standards: %(people)s people (limited by %(what)s).",
                people=format_decimal(capacity.people),
                what=limit_label(capacity.limiting or ""),
            )
            if capacity.people is not None
            else ""
        )
        blocks.append(
            AssessmentBlock(
                project_code=assessment.project.code if assessment.project else "",
                kind=assessment.assessment_type.label,
                assessed_on=assessment.assessed_on,
                previous_on=report.previous.assessed_on if report.previous else None,
                summary=assessment.summary,
                capacity=capacity_text,
                indicators=tuple(lines),
            )
        )
    return tuple(blocks)


def _budget(session: Session, projects: Sequence[Project], donor_id: int | None, end: date) -> BudgetBlock | None:
    if not projects:
        return None
    by_project: list[MoneyRow] = []
    phases: dict[str, list[Decimal]] = {}
    total = [ZERO, ZERO, ZERO]
    currency = ""
    unconverted = 0
    for project in projects:
        report = budget_report(session, project, funder_id=donor_id, on=end, entries_until=end)
        currency = report.currency
        unconverted += sum(report.unconverted.values())
        figures = report.total
        by_project.append(MoneyRow(project.code, figures.budget, figures.committed, figures.spent))
        total = [total[0] + figures.budget, total[1] + figures.committed, total[2] + figures.spent]
        for group in report.by_phase:
            sums = phases.setdefault(group.label, [ZERO, ZERO, ZERO])
            sums[0] += group.figures.budget
            sums[1] += group.figures.committed
            sums[2] += group.figures.spent
    return BudgetBlock(
        currency=currency,
        as_of=end,
        by_project=tuple(by_project),
        by_phase=tuple(MoneyRow(label, *sums) for label, sums in phases.items()),
        total=MoneyRow(_("Total"), *total),
        unconverted_lines=unconverted,
    )


def _photo(storage: Storage, photo: Photo) -> PhotoItem:
    # From the display derivative only: the original (with its EXIF and GPS) never goes into a report. Scaled to
    # print size, so 40 photos make a PDF that can be sent by e-mail.
    printed = photo_print_image(storage, photo)
    return PhotoItem(
        image=printed.data,
        width=printed.width,
        height=printed.height,
        caption=photo.caption,
        project_code=photo.project.code if photo.project else "",
        stage=photo.stage.label if photo.stage else "",
    )


def _photos(
    session: Session, storage: Storage, ids: Sequence[int], start: date, end: date
) -> tuple[tuple[tuple[PhotoItem, PhotoItem], ...], tuple[PhotoItem, ...], int]:
    shareable = (
        photos_visible_query(None, PhotoFilter(only_shareable=True, only_ready=True))
        .where(Photo.project_id.in_(ids))
        .order_by(None)
        .order_by(Photo.id)
    )
    allowed: dict[int, Photo] = {photo.id: photo for photo in cast("list[Photo]", session.scalars(shareable).all())}
    # Photos still being prepared are not left out: they are not there yet.
    every = session.scalars(select(Photo.id).where(Photo.project_id.in_(ids), Photo.copies == PhotoCopies.READY)).all()
    left_out = len(every) - len(allowed)
    pairs: list[tuple[PhotoItem, PhotoItem]] = []
    used: set[int] = set()
    for photo in allowed.values():
        before = allowed.get(photo.pair_of_id or 0)
        if before is not None and len(pairs) < MAX_PAIRS:
            pairs.append((_photo(storage, before), _photo(storage, photo)))
            used.update((before.id, photo.id))
    selection: list[PhotoItem] = []
    for photo in allowed.values():
        taken = photo.created_at.date()
        if photo.id in used or photo.stage is PhotoStage.BEFORE or not start <= taken <= end:
            continue
        if len(selection) < MAX_PHOTOS:
            selection.append(_photo(storage, photo))
    return tuple(pairs), tuple(selection), left_out


def _agreements(session: Session, ids: Sequence[int], end: date, donor_only: bool) -> tuple[AgreementBlock, ...]:
    query = select(Agreement).where(Agreement.project_id.in_(ids)).order_by(Agreement.code)
    if donor_only:
        query = query.where(Agreement.status == AgreementStatus.SIGNED)
    blocks = []
    for agreement in session.scalars(query).unique():
        commitments = tuple(
            CommitmentLine(
                organization=c.organization.acronym,
                description=c.description,
                due_on=c.due_on,
                done_on=c.done_on,
                overdue=c.done_on is None and c.due_on < end,
            )
            for c in sorted(agreement.commitments, key=lambda c: (c.due_on, c.id))
        )
        blocks.append(
            AgreementBlock(
                code=agreement.code,
                kind=agreement.kind.label,
                subject=agreement.subject,
                status=agreement.status.label,
                signed_on=agreement.signed_on,
                ends_on=agreement.ends_on,
                parties=tuple(
                    f"{p.organization.acronym} ({p.role.label})"
                    for p in sorted(agreement.parties, key=lambda p: (p.organization.acronym, p.id))
                ),
                commitments=commitments,
            )
        )
    return tuple(blocks)


def _risks(
    projects: Sequence[Project],
    upcoming: Sequence[MilestoneLine],
    agreements: Sequence[AgreementBlock],
    budget: BudgetBlock | None,
    assessments: Sequence[AssessmentBlock],
) -> tuple[str, ...]:
    """Risks read from the record: work on hold, overdue milestones and commitments, overspending, standards."""
    risks: list[str] = []
    for project in projects:
        if project.on_hold:
            risks.append(_("%(code)s is on hold.", code=project.code))
    for milestone in upcoming:
        if milestone.overdue:
            risks.append(
                _(
                    "%(code)s: milestone “%(title)s” was due on %(date)s and is still open.",
                    code=milestone.project_code,
                    title=milestone.title,
                    date=format_date(milestone.planned_date, "medium"),
                )
            )
    for agreement in agreements:
        for commitment in agreement.commitments:
            if commitment.overdue:
                risks.append(
                    _(
                        "%(code)s: commitment of %(org)s due on %(date)s is not done: %(what)s",
                        code=agreement.code,
                        org=commitment.organization,
                        date=format_date(commitment.due_on, "medium"),
                        what=commitment.description,
                    )
                )
    if budget is not None:
        for row in budget.by_project:
            if row.spent + row.committed > row.budget:
                risks.append(_("%(code)s: spending and commitments exceed the budget.", code=row.label))
    for block in assessments:
        short = [line.name for line in block.indicators if line.ok is False]
        if short:
            risks.append(_("%(code)s: below the standard in %(what)s.", code=block.project_code, what=", ".join(short)))
    return tuple(risks)


def report_data(session: Session, storage: Storage, request: ReportRequest) -> ReportData:
    """Everything the report prints, read once. Call inside ``force_locale(request.language)``."""
    donor = session.get(Organization, request.donor_id) if request.donor_id else None
    projects = projects_in_scope(session, request)
    ids = [project.id for project in projects]
    wanted = set(request.sections)
    start, end = request.period_start, request.period_end
    reached, upcoming = _milestones(session, ids, start, end)
    pairs, photos, left_out = (
        _photos(session, storage, ids, start, end) if ReportSection.PHOTOS in wanted else ((), (), 0)
    )
    agreements = _agreements(session, ids, end, donor_only=donor is not None)
    budget = _budget(session, projects, request.donor_id, end)
    assessments = _assessments(session, ids, end)
    handover = None
    if request.kind is ReportKind.HANDOVER and projects:
        handover = handover_block(session, projects[0], _project_block(projects[0]))
    if request.scope is ReportScope.PROJECT and projects:
        subject = f"{projects[0].code} · {projects[0].title}"
    elif request.scope is ReportScope.CENTER and projects:
        subject = projects[0].center.name
    else:
        subject = _("Projects funded by %(donor)s", donor=donor.name) if donor else _("All projects")
    return ReportData(
        title=_("Handover dossier") if handover else _("Progress report"),
        donor=f"{donor.name} ({donor.acronym})" if donor else _("All funders"),
        subject=subject,
        period_start=start,
        period_end=end,
        sections=tuple(section.value for section in ReportSection if section in wanted),
        narrative=request.narrative,
        next_steps=request.next_steps,
        projects=tuple(_project_block(project) for project in projects),
        milestones_reached=reached,
        milestones_next=upcoming,
        assessments=assessments,
        budget=budget,
        photo_pairs=pairs,
        photos=photos,
        agreements=agreements,
        risks=_risks(projects, upcoming, agreements, budget, assessments),
        photos_left_out=left_out,
        handover=handover,
        for_donor=donor is not None,
    )
