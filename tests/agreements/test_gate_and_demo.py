"""A signed agreement linked to the project satisfies the partnership phase's gate; the demo has agreements."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.agreements.demo import load_demo_agreements
from app.agreements.models import Agreement
from app.agreements.services import agreements_expiring, commitments_due
from app.auth.models import User
from app.core.audit.models import AuditEntry
from app.core.enums import AgreementStatus, PhaseKind, PhaseStatus
from app.core.errors import DomainError
from app.core.timeutil import today
from app.demo import load_demo
from app.extensions import db
from app.projects.gates import check_gate
from app.projects.models import Phase
from app.projects.services import phase_update
from tests.agreements.helpers import days, make_agreement, make_signed
from tests.factories import make_organization, make_project


def _close(phase: Phase) -> Phase:
    return phase_update(
        db.session,
        phase,
        version=phase.version,
        status=PhaseStatus.DONE,
        planned_start=phase.planned_start,
        planned_end=phase.planned_end,
        actual_start=today() - timedelta(days=20),
        actual_end=None,
        gate_evidence="",
    )


def test_partnership_closes_without_typed_evidence_once_a_signed_agreement_is_linked(db_ctx: Flask) -> None:
    project = make_project()
    phase = project.phase(PhaseKind.PARTNERSHIP)
    make_signed(project.center, code="CONV-17", project_id=project.id, signed_on=days(-3))
    result = check_gate(db.session, phase)
    assert result.ok and "CONV-17" in result.message
    _close(phase)
    db.session.commit()
    assert phase.status is PhaseStatus.DONE and phase.gate_override_reason is None


@pytest.mark.parametrize("which", ["negotiating", "expired", "another project's"])
def test_partnership_stays_open_without_a_signed_agreement_in_force(db_ctx: Flask, which: str) -> None:
    project = make_project()
    parties = (make_organization(), make_organization())
    if which == "negotiating":
        make_agreement(project.center, parties=parties, status=AgreementStatus.NEGOTIATING, project_id=project.id)
    elif which == "expired":
        make_signed(project.center, project_id=project.id, starts_on=days(-400), ends_on=days(-1))
    else:
        make_signed(project.center, project_id=make_project(project.center).id)
    phase = project.phase(PhaseKind.PARTNERSHIP)
    assert not check_gate(db.session, phase).ok
    with pytest.raises(DomainError) as error:
        _close(phase)
    assert error.value.field == "status"


def test_demo_agreements_load_once_with_overdue_commitments_and_one_expiring(db_ctx: Flask) -> None:
    assert load_demo(db.session) is True
    db.session.commit()
    assert load_demo(db.session) is False
    assert load_demo_agreements(db.session) is False
    agreements = {a.code: a for a in db.session.scalars(select(Agreement))}
    assert {code: a.status for code, a in agreements.items()} == {
        "MOU-DINAF-OMOA": AgreementStatus.SIGNED,
        "PREST-OABI-BELEN": AgreementStatus.NEGOTIATING,
        "CONV-17": AgreementStatus.SIGNED,
    }
    conv = agreements["CONV-17"]
    assert conv.document is not None and conv.project is not None and conv.project.code == "CAMR-SPS-01"
    manager = db.session.scalar(select(User).where(User.email == "manager@example.org"))
    donor = db.session.scalar(select(User).where(User.email == "donor@example.org"))
    due = commitments_due(db.session, manager, 14)
    assert any(c.is_overdue() and c.agreement.code == "CONV-17" for c in due)
    assert [a.code for a in agreements_expiring(db.session, manager, 30)] == ["MOU-DINAF-OMOA"]
    anonymous = db.session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(
            AuditEntry.entity_type.in_(["agreements", "agreement_parties", "commitments"]),
            AuditEntry.actor_id.is_(None),
        )
    )
    assert anonymous == 0
    # The demo donor (USAID) funds CAMR-SPS-01: it sees that signed agreement's commitments, no other.
    assert {c.agreement.code for c in commitments_due(db.session, donor, 14)} == {"CONV-17"}
