"""Partnership agreements, their parties and commitments. Functions take a session and values, flush, never commit.

"Expired" is never written to the database: an agreement is stored as signed, and reads as expired once its end
date has passed (:meth:`Agreement.effective_status`, and the same rule in SQL in :func:`agreements_filtered_query`).
A stored status could only go stale the night nobody ran a command; a computed one is right on every page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select, true
from sqlalchemy.orm import Session, selectinload

from app.agreements.models import Agreement, AgreementParty, Commitment
from app.centers.models import Center
from app.core.database import flush_or_explain
from app.core.enums import AgreementKind, AgreementStatus, DocumentKind, DocumentStatus, PartyRole, Role
from app.core.errors import DomainError
from app.core.permissions import STAFF
from app.core.timeutil import today, utcnow
from app.documents.models import Document
from app.organizations.models import Organization
from app.projects.models import Project, ProjectFunding
from app.projects.services import check_dates, check_not_future, check_version

CODE_PATTERN = re.compile(r"^[\w./-]+$")
MIN_SIGNING_PARTIES = 2
# What a person may store; "expired" is what a signed agreement becomes by itself (see the module docstring).
STORED_STATUSES = (
    AgreementStatus.DRAFT,
    AgreementStatus.NEGOTIATING,
    AgreementStatus.SIGNED,
    AgreementStatus.TERMINATED,
)


@dataclass(frozen=True)
class AgreementValues:
    """What a person types about an agreement; the services clean and check it before it reaches the record."""

    code: str
    kind: AgreementKind
    subject: str
    center_id: int
    project_id: int | None = None
    status: AgreementStatus = AgreementStatus.DRAFT
    signed_on: date | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    document_id: int | None = None
    signature_evidence: str = ""
    notes: str = ""


AGREEMENT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(AgreementValues))


@dataclass(frozen=True)
class AgreementFilter:
    center_id: int | None = None
    status: AgreementStatus | None = None
    kind: AgreementKind | None = None
    organization_id: int | None = None


# --- checking what was typed ----------------------------------------------------------------------------
def _text(value: str | None, field: str, max_length: int, required_message: str | None = None) -> str:
    value = (value or "").strip()
    if required_message and not value:
        raise DomainError(required_message, field=field)
    if len(value) > max_length:
        raise DomainError(_("Use at most %(n)d characters.", n=max_length), field=field)
    return value


def _code(session: Session, raw: str, agreement: Agreement | None) -> str:
    code = _text(raw, "code", 32, _("The code is required.")).upper()
    if not CODE_PATTERN.match(code):
        raise DomainError(
            _("Use only letters, digits, dots, dashes and slashes in the code, for example CONV-2025-03."),
            field="code",
        )
    query = select(func.count()).select_from(Agreement).where(func.upper(Agreement.code) == code)
    if agreement is not None and agreement.id is not None:
        query = query.where(Agreement.id != agreement.id)
    if session.scalar(query):
        raise DomainError(_("Another agreement already uses the code %(code)s.", code=code), field="code")
    return code


def _check_place(session: Session, center_id: int, project_id: int | None) -> None:
    if session.get(Center, center_id) is None:
        raise DomainError(_("Choose an existing center."), field="center_id")
    if project_id is not None:
        project = session.get(Project, project_id)
        if project is None or project.center_id != center_id:
            raise DomainError(_("That project is not a project of this center."), field="project_id")


def _linked_document(session: Session, values: AgreementValues) -> Document | None:
    if values.document_id is None:
        return None
    document = session.get(Document, values.document_id)
    if document is None or document.center_id != values.center_id or document.kind is not DocumentKind.AGREEMENT:
        raise DomainError(_("Choose an agreement document of this center."), field="document_id")
    if values.project_id and document.project_id not in (None, values.project_id):
        raise DomainError(_("That document belongs to another project."), field="document_id")
    return document


def _check_status(values: AgreementValues, document: Document | None, party_count: int) -> None:
    """The rules of signature: who, when, and the proof of it."""
    if values.status not in STORED_STATUSES:
        raise DomainError(
            _("An agreement expires by itself when its end date passes; keep it as signed."), field="status"
        )
    if values.status in (AgreementStatus.DRAFT, AgreementStatus.NEGOTIATING) and values.signed_on is not None:
        raise DomainError(
            _("Only a signed agreement has a signature date; clear it or mark the agreement signed."),
            field="signed_on",
        )
    if values.status is not AgreementStatus.SIGNED:
        return
    if values.signed_on is None:
        raise DomainError(_("Give the date the agreement was signed."), field="signed_on")
    if party_count < MIN_SIGNING_PARTIES:
        raise DomainError(
            _(
                "An agreement is signed by at least two parties: save it as draft or negotiating, "
                "add its parties, then mark it signed."
            ),
            field="status",
        )
    if document is not None and document.status is DocumentStatus.SIGNED:
        return
    if values.signature_evidence:
        return
    if document is not None:
        raise DomainError(
            _("The linked document is not marked signed. Mark it signed, or write where the signed original is kept."),
            field="document_id",
        )
    raise DomainError(
        _("Link the signed document, or write where the signed original is kept."), field="signature_evidence"
    )


def _clean(session: Session, values: AgreementValues, agreement: Agreement | None = None) -> AgreementValues:
    if not isinstance(values.kind, AgreementKind):
        raise DomainError(_("Choose the kind of agreement."), field="kind")
    if not isinstance(values.status, AgreementStatus):
        raise DomainError(_("Choose a status."), field="status")
    clean = replace(
        values,
        code=_code(session, values.code, agreement),
        subject=_text(values.subject, "subject", 300, _("The subject is required.")),
        signature_evidence=_text(values.signature_evidence, "signature_evidence", 2000),
        notes=_text(values.notes, "notes", 4000),
    )
    _check_place(session, clean.center_id, clean.project_id)
    check_not_future(clean.signed_on, "signed_on")
    check_dates(clean.starts_on, clean.ends_on, "ends_on")
    document = _linked_document(session, clean)
    _check_status(clean, document, len(agreement.parties) if agreement is not None else 0)
    return clean


def _flush(session: Session) -> None:
    flush_or_explain(session, _("Another agreement already uses this code."))


# --- agreements -----------------------------------------------------------------------------------------
def agreement_create(session: Session, values: AgreementValues) -> Agreement:
    """A new agreement, with no parties yet: it can be signed once they are added."""
    clean = _clean(session, values)
    agreement = Agreement(**{name: getattr(clean, name) for name in AGREEMENT_FIELDS})
    session.add(agreement)
    _flush(session)
    return agreement


def agreement_update(session: Session, agreement: Agreement, values: AgreementValues, version: int | None) -> Agreement:
    """Save new values, unless the agreement changed since the person loaded ``version``."""
    check_version(agreement, version)
    clean = _clean(session, values, agreement)
    for name in AGREEMENT_FIELDS:
        setattr(agreement, name, getattr(clean, name))
    _flush(session)
    return agreement


def _touch(agreement: Agreement) -> None:
    """Parties and commitments belong to the agreement: changing one moves its version (and so its ETag), and a
    person editing the agreement meanwhile is told it changed."""
    agreement.updated_at = utcnow()


# --- parties --------------------------------------------------------------------------------------------
def party_add(session: Session, agreement: Agreement, organization_id: int | None, role: PartyRole) -> AgreementParty:
    organization = session.get(Organization, organization_id) if organization_id else None
    if organization is None:
        raise DomainError(_("Choose an existing organization."), field="organization_id")
    if not isinstance(role, PartyRole):
        raise DomainError(_("Choose the role of this party."), field="role")
    if organization.id in agreement.party_ids():
        raise DomainError(
            _("%(acronym)s is already a party to this agreement.", acronym=organization.acronym),
            field="organization_id",
        )
    party = AgreementParty(agreement=agreement, organization=organization, role=role)
    session.add(party)
    _touch(agreement)
    session.flush()
    return party


def party_remove(session: Session, agreement: Agreement, party: AgreementParty) -> None:
    """Remove a party that has no commitments, and never below two parties on a signed agreement."""
    if any(c.organization_id == party.organization_id for c in agreement.commitments):
        raise DomainError(
            _(
                "%(acronym)s has commitments under this agreement; reassign or remove them first.",
                acronym=party.organization.acronym,
            ),
            field="organization_id",
        )
    if agreement.status is AgreementStatus.SIGNED and len(agreement.parties) <= MIN_SIGNING_PARTIES:
        raise DomainError(
            _("A signed agreement keeps at least two parties."),
            field="organization_id",
        )
    agreement.parties.remove(party)
    _touch(agreement)
    session.flush()


# --- commitments ----------------------------------------------------------------------------------------
def _check_commitment(
    agreement: Agreement, organization_id: int | None, description: str, due_on: date | None
) -> tuple[int, str, date]:
    if organization_id is None or organization_id not in agreement.party_ids():
        raise DomainError(_("A commitment is taken on by a party to the agreement."), field="organization_id")
    description = _text(description, "description", 2000, _("Say what is committed."))
    if due_on is None:
        raise DomainError(_("Give the date it is due."), field="due_on")
    return organization_id, description, due_on


def commitment_add(
    session: Session,
    agreement: Agreement,
    *,
    organization_id: int | None,
    description: str,
    due_on: date | None,
    notes: str = "",
) -> Commitment:
    organization_id, description, due_on = _check_commitment(agreement, organization_id, description, due_on)
    commitment = Commitment(
        agreement=agreement,
        organization_id=organization_id,
        description=description,
        due_on=due_on,
        notes=_text(notes, "notes", 4000),
    )
    session.add(commitment)
    _touch(agreement)
    session.flush()
    return commitment


def commitment_update(
    session: Session,
    commitment: Commitment,
    *,
    organization_id: int | None,
    description: str,
    due_on: date | None,
    done_on: date | None,
    notes: str = "",
) -> Commitment:
    organization_id, description, due_on = _check_commitment(commitment.agreement, organization_id, description, due_on)
    check_not_future(done_on, "done_on")
    commitment.organization_id = organization_id
    commitment.description = description
    commitment.due_on = due_on
    commitment.done_on = done_on
    commitment.notes = _text(notes, "notes", 4000)
    _touch(commitment.agreement)
    session.flush()
    return commitment


def commitment_mark_done(session: Session, commitment: Commitment, done_on: date | None = None) -> Commitment:
    """Record that the commitment was fulfilled (today unless another past date is given)."""
    if commitment.done_on is not None:
        raise DomainError(_("This commitment is already done."), field="done_on")
    check_not_future(done_on, "done_on")
    commitment.done_on = done_on or today()
    _touch(commitment.agreement)
    session.flush()
    return commitment


def commitment_reopen(session: Session, commitment: Commitment) -> Commitment:
    if commitment.done_on is None:
        raise DomainError(_("This commitment is still open."), field="done_on")
    commitment.done_on = None
    _touch(commitment.agreement)
    session.flush()
    return commitment


def commitment_remove(session: Session, commitment: Commitment) -> None:
    agreement = commitment.agreement
    agreement.commitments.remove(commitment)
    _touch(agreement)
    session.flush()


# --- reading --------------------------------------------------------------------------------------------
def _visible_clause(user: Any) -> ColumnElement[bool]:
    """The SQL twin of ``can_view_agreement``."""
    if user is None or not user.is_authenticated:
        return false()
    if user.role in STAFF:
        return true()
    if user.role is Role.DONOR and user.organization_id is not None:
        funded = select(ProjectFunding.project_id).where(ProjectFunding.organization_id == user.organization_id)
        return and_(Agreement.status == AgreementStatus.SIGNED, Agreement.project_id.in_(funded))
    return false()


def agreements_visible_query(user: Any) -> Select[tuple[Agreement]]:
    """Staff see every agreement; a donor the signed agreements of the projects its organization funds."""
    return select(Agreement).where(_visible_clause(user))


def _status_clause(status: AgreementStatus, on: date) -> ColumnElement[bool]:
    lapsed = and_(Agreement.ends_on.is_not(None), Agreement.ends_on < on)
    if status is AgreementStatus.EXPIRED:
        return and_(Agreement.status == AgreementStatus.SIGNED, lapsed)
    if status is AgreementStatus.SIGNED:
        return and_(
            Agreement.status == AgreementStatus.SIGNED, or_(Agreement.ends_on.is_(None), Agreement.ends_on >= on)
        )
    return Agreement.status == status


def agreements_filtered_query(user: Any, filters: AgreementFilter, on: date | None = None) -> Select[tuple[Agreement]]:
    """The agreements ``user`` may see, narrowed by center, status (as shown), kind and party, newest first."""
    query = agreements_visible_query(user)
    if filters.center_id:
        query = query.where(Agreement.center_id == filters.center_id)
    if filters.status:
        query = query.where(_status_clause(filters.status, on or today()))
    if filters.kind:
        query = query.where(Agreement.kind == filters.kind)
    if filters.organization_id:
        party = select(AgreementParty.id).where(
            AgreementParty.agreement_id == Agreement.id, AgreementParty.organization_id == filters.organization_id
        )
        query = query.where(party.exists())
    return query.order_by(Agreement.starts_on.desc().nulls_last(), Agreement.code)


def agreement_for_page(session: Session, agreement_id: int) -> Agreement | None:
    """The agreement with its parties, commitments and document loaded."""
    return session.scalar(
        select(Agreement)
        .where(Agreement.id == agreement_id)
        .options(selectinload(Agreement.commitments), selectinload(Agreement.document))
    )


def commitments_due(
    session: Session, user: Any, within_days: int, on: date | None = None, limit: int | None = None
) -> list[Commitment]:
    """Open commitments of signed agreements that ``user`` may see, overdue or due within ``within_days`` days.

    Oldest due date first; a commitment due exactly ``within_days`` days from ``on`` (today) is included. Drafts
    and agreements under negotiation are left out: their commitments bind nobody yet; terminated ones too.
    """
    on = on or today()
    query = (
        select(Commitment)
        .join(Agreement, Agreement.id == Commitment.agreement_id)
        .where(
            Commitment.done_on.is_(None),
            Commitment.due_on <= on + timedelta(days=within_days),
            Agreement.status == AgreementStatus.SIGNED,
            _visible_clause(user),
        )
        .order_by(Commitment.due_on, Commitment.id)
        .limit(limit)
    )
    return list(session.scalars(query).unique())


def agreements_expiring(
    session: Session, user: Any, within_days: int, on: date | None = None, limit: int | None = None
) -> list[Agreement]:
    """Signed agreements ``user`` may see still in force on ``on`` (today) and ending within ``within_days`` days.

    An agreement ending today is still in force today and is included; one that ended yesterday reads as expired
    and is not "about to" expire any more.
    """
    on = on or today()
    query = (
        select(Agreement)
        .where(
            Agreement.status == AgreementStatus.SIGNED,
            Agreement.ends_on.is_not(None),
            Agreement.ends_on >= on,
            Agreement.ends_on <= on + timedelta(days=within_days),
            _visible_clause(user),
        )
        .order_by(Agreement.ends_on, Agreement.code)
        .limit(limit)
    )
    return list(session.scalars(query).unique())


def signed_agreement_of_project(session: Session, project_id: int, on: date | None = None) -> Agreement | None:
    """A signed agreement linked to the project and in force on ``on`` (today), the latest signed first."""
    on = on or today()
    return session.scalars(
        select(Agreement)
        .where(Agreement.project_id == project_id, _status_clause(AgreementStatus.SIGNED, on))
        .order_by(Agreement.signed_on.desc(), Agreement.id.desc())
        .limit(1)
    ).first()
