"""Registering agreements: every rule refuses on the field it concerns, and a refusal saves nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.agreements.models import Agreement, AgreementParty, Commitment
from app.agreements.services import (
    agreement_create,
    agreement_update,
    commitment_add,
    commitment_mark_done,
    commitment_reopen,
    commitment_update,
    party_add,
    party_remove,
)
from app.core.audit.models import AuditEntry
from app.core.enums import AgreementStatus, DocumentKind, DocumentStatus, PartyRole
from app.core.errors import Conflict, DomainError
from app.core.timeutil import today
from app.extensions import db
from tests.agreements.helpers import (
    add_commitment,
    days,
    make_agreement,
    make_document,
    make_signed,
    values_for,
    values_of,
)
from tests.factories import make_center, make_organization, make_project


def _count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_manager_registers_a_draft_agreement_with_its_code_in_capitals(db_ctx: Flask) -> None:
    center = make_center()
    project = make_project(center)
    agreement = agreement_create(db.session, values_for(center, code=" conv-2025/03 ", project_id=project.id))
    db.session.commit()
    assert (agreement.code, agreement.status, agreement.version) == ("CONV-2025/03", AgreementStatus.DRAFT, 1)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "agreements"))
    assert entry is not None and (entry.center_id, entry.project_id) == (center.id, project.id)


def test_duplicate_code_is_refused_whatever_its_case(db_ctx: Flask) -> None:
    center = make_center()
    make_agreement(center, code="CONV-17")
    with pytest.raises(DomainError) as error:
        agreement_create(db.session, values_for(center, code="conv-17"))
    assert error.value.field == "code"
    db.session.rollback()
    assert _count(Agreement) == 1


def test_project_must_belong_to_the_agreements_center(db_ctx: Flask) -> None:
    elsewhere = make_project()
    with pytest.raises(DomainError) as error:
        agreement_create(db.session, values_for(make_center(), project_id=elsewhere.id))
    assert error.value.field == "project_id"
    db.session.rollback()
    assert _count(Agreement) == 0


# Each case: the changes a manager makes to a draft with two parties, and the field the refusal lands on.
REFUSED_EDITS: list[tuple[str, dict[str, Any], str]] = [
    ("ends before it starts", {"starts_on": days(10), "ends_on": days(9)}, "ends_on"),
    (
        "signed in the future",
        {"status": AgreementStatus.SIGNED, "signed_on": days(1), "signature_evidence": "ref"},
        "signed_on",
    ),
    ("signed without a date", {"status": AgreementStatus.SIGNED, "signature_evidence": "ref"}, "signed_on"),
    ("signed without proof", {"status": AgreementStatus.SIGNED, "signed_on": days(-1)}, "signature_evidence"),
    ("a draft with a signature date", {"signed_on": days(-1)}, "signed_on"),
    ("negotiating with a signature date", {"status": AgreementStatus.NEGOTIATING, "signed_on": days(-1)}, "signed_on"),
    ("expired typed by hand", {"status": AgreementStatus.EXPIRED, "signed_on": days(-1)}, "status"),
    ("no subject", {"subject": "  "}, "subject"),
    ("a code with spaces", {"code": "CONV 17"}, "code"),
]


@pytest.mark.parametrize(("story", "changes", "field"), REFUSED_EDITS, ids=[case[0] for case in REFUSED_EDITS])
def test_each_rule_refuses_on_its_field_and_saves_nothing(
    db_ctx: Flask, story: str, changes: dict[str, Any], field: str
) -> None:
    agreement = make_agreement(parties=(make_organization(), make_organization()))
    before = (agreement.version, agreement.subject, _count(AuditEntry))
    with pytest.raises(DomainError) as error:
        agreement_update(db.session, agreement, values_of(agreement, **changes), agreement.version)
    assert error.value.field == field
    db.session.rollback()
    saved = db.session.get(Agreement, agreement.id)
    assert saved is not None
    assert (saved.status, saved.signed_on, saved.code) == (AgreementStatus.DRAFT, None, "CONV-17")
    assert (saved.version, saved.subject, _count(AuditEntry)) == before


def test_signing_needs_two_parties(db_ctx: Flask) -> None:
    agreement = make_agreement(parties=(make_organization(),))
    with pytest.raises(DomainError) as error:
        agreement_update(
            db.session,
            agreement,
            values_of(agreement, status=AgreementStatus.SIGNED, signed_on=days(-1), signature_evidence="ref 17"),
            agreement.version,
        )
    assert error.value.field == "status"
    db.session.rollback()
    assert db.session.get(Agreement, agreement.id).status is AgreementStatus.DRAFT  # type: ignore[union-attr]


def test_agreement_signs_with_two_parties_and_its_signed_document(db_ctx: Flask) -> None:
    agreement = make_agreement(parties=(make_organization(), make_organization()))
    document = make_document(agreement.center)
    before = agreement.version
    agreement_update(
        db.session,
        agreement,
        values_of(agreement, status=AgreementStatus.SIGNED, signed_on=today(), document_id=document.id),
        agreement.version,
    )
    db.session.commit()
    assert (agreement.status, agreement.document_id) == (AgreementStatus.SIGNED, document.id)
    assert agreement.version == before + 1


def test_a_linked_document_not_yet_signed_is_not_proof_of_signature(db_ctx: Flask) -> None:
    agreement = make_agreement(parties=(make_organization(), make_organization()))
    draft = make_document(agreement.center, status=DocumentStatus.DRAFT)
    with pytest.raises(DomainError) as error:
        agreement_update(
            db.session,
            agreement,
            values_of(agreement, status=AgreementStatus.SIGNED, signed_on=today(), document_id=draft.id),
            agreement.version,
        )
    assert error.value.field == "document_id"
    db.session.rollback()
    assert db.session.get(Agreement, agreement.id).document_id is None  # type: ignore[union-attr]


@pytest.mark.parametrize("which", ["another center", "not an agreement"])
def test_only_an_agreement_document_of_the_same_center_can_be_linked(db_ctx: Flask, which: str) -> None:
    agreement = make_agreement()
    if which == "another center":
        document = make_document(make_center())
    else:
        document = make_document(agreement.center, kind=DocumentKind.DRAWING)
    with pytest.raises(DomainError) as error:
        agreement_update(db.session, agreement, values_of(agreement, document_id=document.id), agreement.version)
    assert error.value.field == "document_id"


def test_agreement_signs_with_a_written_confirmation_instead_of_a_scan(db_ctx: Flask) -> None:
    agreement = make_signed(signature_evidence="Original firmado en la oficina de OIM SPS, ref. 17")
    assert agreement.status is AgreementStatus.SIGNED
    assert agreement.document_id is None


def test_edit_from_a_stale_version_is_a_conflict_and_saves_nothing(db_ctx: Flask) -> None:
    agreement = make_agreement()
    read_version = agreement.version
    agreement_update(db.session, agreement, values_of(agreement, subject="Saved first"), read_version)
    db.session.commit()
    with pytest.raises(Conflict):
        agreement_update(db.session, agreement, values_of(agreement, subject="Saved second"), read_version)
    db.session.rollback()
    assert db.session.get(Agreement, agreement.id).subject == "Saved first"  # type: ignore[union-attr]


# --- parties and commitments ----------------------------------------------------------------------------
def test_an_organization_is_a_party_only_once(db_ctx: Flask) -> None:
    iom = make_organization()
    agreement = make_agreement(parties=(iom,))
    with pytest.raises(DomainError) as error:
        party_add(db.session, agreement, iom.id, PartyRole.WITNESS)
    assert error.value.field == "organization_id"
    db.session.rollback()
    assert _count(AgreementParty) == 1


def test_a_commitment_is_taken_on_by_a_party_of_the_agreement(db_ctx: Flask) -> None:
    party, outsider = make_organization(), make_organization()
    agreement = make_agreement(parties=(party,))
    with pytest.raises(DomainError) as error:
        commitment_add(db.session, agreement, organization_id=outsider.id, description="Permiso", due_on=days(5))
    assert error.value.field == "organization_id"
    db.session.rollback()
    assert _count(Commitment) == 0

    commitment = add_commitment(agreement, days(5), party.id)
    with pytest.raises(DomainError) as error:
        commitment_update(
            db.session,
            commitment,
            organization_id=outsider.id,
            description=commitment.description,
            due_on=commitment.due_on,
            done_on=None,
        )
    assert error.value.field == "organization_id"
    db.session.rollback()
    assert db.session.get(Commitment, commitment.id).organization_id == party.id  # type: ignore[union-attr]


def test_a_commitment_needs_what_and_by_when(db_ctx: Flask) -> None:
    party = make_organization()
    agreement = make_agreement(parties=(party,))
    for description, due, field in (("  ", days(3), "description"), ("Permiso", None, "due_on")):
        with pytest.raises(DomainError) as error:
            commitment_add(db.session, agreement, organization_id=party.id, description=description, due_on=due)
        assert error.value.field == field
        db.session.rollback()
    assert _count(Commitment) == 0


def test_a_commitment_is_marked_done_on_a_past_day_and_reopened(db_ctx: Flask) -> None:
    agreement = make_signed()
    commitment = add_commitment(agreement, days(-3))
    with pytest.raises(DomainError) as error:
        commitment_mark_done(db.session, commitment, days(1))
    assert error.value.field == "done_on"
    db.session.rollback()
    commitment_mark_done(db.session, commitment)
    db.session.commit()
    assert commitment.done_on == today() and not commitment.is_overdue()
    commitment_reopen(db.session, commitment)
    db.session.commit()
    assert commitment.done_on is None and commitment.is_overdue()


def test_a_party_with_commitments_stays(db_ctx: Flask) -> None:
    party, other, third = make_organization(), make_organization(), make_organization()
    agreement = make_agreement(parties=(party, other, third))
    add_commitment(agreement, days(5), party.id)
    with pytest.raises(DomainError) as error:
        party_remove(db.session, agreement, agreement.parties[0])
    assert error.value.field == "organization_id"
    db.session.rollback()
    removable = next(p for p in agreement.parties if p.organization_id == third.id)
    party_remove(db.session, agreement, removable)
    db.session.commit()
    assert db.session.get(Agreement, agreement.id).party_ids() == {party.id, other.id}  # type: ignore[union-attr]


def test_a_signed_agreement_keeps_two_parties(db_ctx: Flask) -> None:
    agreement = make_signed()
    with pytest.raises(DomainError):
        party_remove(db.session, agreement, agreement.parties[0])
    db.session.rollback()
    assert len(db.session.get(Agreement, agreement.id).parties) == 2  # type: ignore[union-attr]


def test_signed_agreement_reads_expired_after_its_end_date_without_rewriting_the_row(db_ctx: Flask) -> None:
    agreement = make_signed(starts_on=days(-400), ends_on=days(-1), signed_on=days(-400))
    assert agreement.effective_status() is AgreementStatus.EXPIRED
    assert agreement.effective_status(today() - timedelta(days=1)) is AgreementStatus.SIGNED
    db.session.expire_all()
    assert db.session.get(Agreement, agreement.id).status is AgreementStatus.SIGNED  # type: ignore[union-attr]


def test_a_change_to_parties_or_commitments_moves_the_agreements_version(db_ctx: Flask) -> None:
    """The agreement's ETag and the edit form's conflict check see changes to its parties and commitments."""
    from app.agreements.services import commitment_add, commitment_mark_done, party_add

    first, second = make_organization(), make_organization()
    agreement = make_agreement(parties=(first,))
    versions = [agreement.version]
    party_add(db.session, agreement, second.id, PartyRole.SIGNATORY)
    db.session.commit()
    versions.append(agreement.version)
    commitment = commitment_add(db.session, agreement, organization_id=second.id, description="Agua", due_on=days(30))
    db.session.commit()
    versions.append(agreement.version)
    commitment_mark_done(db.session, commitment)
    db.session.commit()
    versions.append(agreement.version)
    assert versions == sorted(set(versions)) and len(versions) == 4
