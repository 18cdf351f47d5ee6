"""Findings of an assessment, the work items they become, and the photos that show them (and the answers).

Functions take a session and values, flush, and never commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.assessments.models import Answer, Assessment, Finding
from app.assessments.services import MAX_TEXT, active_questions, lineage_ids, require_editable
from app.core.enums import AssessmentStatus, PhaseKind, Severity
from app.core.errors import DomainError
from app.core.storage import Storage
from app.core.timeutil import utcnow
from app.photos.models import Photo
from app.photos.services import DuplicatePhoto, PhotoDescription, photo_upload
from app.projects.models import Project

CURRENCIES = ("USD", "HNL")


# --- findings -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FindingValues:
    description: str
    location: str
    severity: Severity
    recommended_action: str
    cost_estimate: Decimal | None
    currency: str


def _apply_finding(finding: Finding, values: FindingValues) -> None:
    if not values.description.strip():
        raise DomainError(_("Describe what was found."), field="description")
    if values.cost_estimate is not None and values.cost_estimate < 0:
        raise DomainError(_("A cost estimate cannot be negative."), field="cost_estimate")
    if values.currency not in CURRENCIES:
        raise DomainError(_("Choose US dollars or lempiras."), field="currency")
    finding.description = values.description.strip()[:MAX_TEXT]
    finding.location = values.location.strip()[:200]
    finding.severity = values.severity
    finding.recommended_action = values.recommended_action.strip()[:MAX_TEXT]
    finding.cost_estimate = values.cost_estimate
    finding.currency = values.currency


def finding_add(session: Session, assessment: Assessment, values: FindingValues) -> Finding:
    require_editable(assessment)
    finding = Finding(position=max((f.position for f in assessment.findings), default=0) + 1)
    _apply_finding(finding, values)
    assessment.findings.append(finding)
    session.flush()
    return finding


def finding_update(session: Session, finding: Finding, values: FindingValues) -> Finding:
    require_editable(finding.assessment)
    _apply_finding(finding, values)
    session.flush()
    return finding


def finding_delete(session: Session, finding: Finding) -> None:
    assessment = finding.assessment
    require_editable(assessment)
    # An explicit delete (not a removal from the collection) so that the audit log records it with its scope.
    session.delete(finding)
    session.flush()
    session.expire(assessment, ["findings"])


def finding_carry(session: Session, finding: Finding, project_id: int) -> Finding:
    """Carry a finding of an approved assessment into a project's design phase as a work item."""
    assessment = finding.assessment
    if assessment.status is not AssessmentStatus.APPROVED:
        raise DomainError(_("Only findings of an approved assessment can become work items."), field="project_id")
    project = session.get(Project, project_id)
    if project is None or project.center_id != assessment.center_id:
        raise DomainError(_("Choose a project of this center."), field="project_id")
    if project.completed:
        raise DomainError(_("This project is completed; it takes no new work items."), field="project_id")
    if finding.work_item_project_id is not None:
        raise DomainError(_("This finding is already a work item of a project."), field="project_id")
    finding.work_item_project_id = project.id
    finding.carried_at = utcnow()
    session.flush()
    return finding


def work_items_for_project(session: Session, project_id: int) -> list[Finding]:
    """Findings carried into the design phase of a project, most severe first (approved assessments only, so a
    revision under way does not list an item twice)."""
    order = {severity: index for index, severity in enumerate(reversed(list(Severity)))}
    findings = session.scalars(
        select(Finding)
        .join(Assessment, Finding.assessment_id == Assessment.id)
        .where(Finding.work_item_project_id == project_id, Assessment.status == AssessmentStatus.APPROVED)
        .order_by(Assessment.assessed_on, Finding.position, Finding.id)
    )
    return sorted(findings, key=lambda finding: order[finding.severity])


# --- evidence photos ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PhotoTarget:
    """What a photo shows: a question's answer, a finding, or the assessment in general (both None)."""

    question_id: int | None = None
    finding_id: int | None = None


def assessment_photo_add(
    session: Session,
    storage: Storage,
    assessment: Assessment,
    data: bytes,
    filename: str,
    *,
    target: PhotoTarget,
    description: PhotoDescription,
    max_bytes: int,
    max_pixels: int,
) -> Photo:
    """Upload a photo as evidence of this assessment (of a question's answer or of a finding).

    A photo already uploaded for the same center is linked instead of refused as a duplicate.
    """
    require_editable(assessment)
    question = None
    if target.question_id is not None:
        question = next((q for q in active_questions(assessment.template) if q.id == target.question_id), None)
        if question is None:
            raise DomainError(_("That question is not part of this checklist."), field="target")
    finding = None
    if target.finding_id is not None:
        finding = next((f for f in assessment.findings if f.id == target.finding_id), None)
        if finding is None:
            raise DomainError(_("That finding is not part of this assessment."), field="target")
    if assessment.project_id is not None:
        description = PhotoDescription(**{**description.__dict__, "phase": PhaseKind.EVALUATION})
    try:
        photo = photo_upload(
            session,
            storage,
            data,
            filename,
            center_id=assessment.center_id,
            project_id=assessment.project_id,
            description=description,
            max_bytes=max_bytes,
            max_pixels=max_pixels,
        )
    except DuplicatePhoto as duplicate:
        existing = session.get(Photo, duplicate.existing_id)
        if existing is None or existing.center_id != assessment.center_id:
            raise
        photo = existing
    photo.assessment_id = assessment.id
    if finding is not None:
        photo.finding_id = finding.id
    if question is not None:
        answer = assessment.answer_for(question.id)
        if answer is None:
            answer = Answer(question_id=question.id, comment="")
            assessment.answers.append(answer)
        answer.evidence_photo_id = photo.id
    session.flush()
    return photo


# --- reading photos -------------------------------------------------------------------------------------
def assessment_photos(session: Session, assessment: Assessment) -> list[Photo]:
    """Photos linked to this assessment or to the versions it revised, oldest first."""
    ids = lineage_ids(session, assessment)
    return list(session.scalars(select(Photo).where(Photo.assessment_id.in_(ids)).order_by(Photo.id)))


def finding_photo_map(session: Session, assessment: Assessment, photos: Iterable[Photo]) -> dict[int, list[Photo]]:
    """Photos per finding of this assessment, following copies of findings made by revisions."""
    by_finding: dict[int, list[Photo]] = {}
    for photo in photos:
        if photo.finding_id is not None:
            by_finding.setdefault(photo.finding_id, []).append(photo)
    result: dict[int, list[Photo]] = {}
    for finding in assessment.findings:
        chain: list[Photo] = []
        current: Finding | None = finding
        seen: set[int] = set()
        while current is not None and current.id not in seen:
            seen.add(current.id)
            chain.extend(by_finding.get(current.id, []))
            current = session.get(Finding, current.source_finding_id) if current.source_finding_id else None
        result[finding.id] = chain
    return result
