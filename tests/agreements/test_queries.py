"""What the dashboard and the notifications ask: commitments due or overdue, agreements about to expire, and
who may see which agreement."""

from __future__ import annotations

from flask import Flask

from app.agreements.services import (
    AgreementFilter,
    agreements_expiring,
    agreements_filtered_query,
    agreements_visible_query,
    commitments_due,
)
from app.core.enums import AgreementKind, AgreementStatus, Role
from app.core.permissions import can_view_agreement
from app.extensions import db
from tests.agreements.helpers import add_commitment, days, make_agreement, make_signed
from tests.factories import make_center, make_organization, make_project, make_user

WITHIN = 14


def test_commitments_due_are_the_open_ones_overdue_or_due_within_the_days_given(db_ctx: Flask) -> None:
    agreement = make_signed()
    overdue = add_commitment(agreement, days(-30), description="overdue")
    due_today = add_commitment(agreement, days(0), description="today")
    last_day = add_commitment(agreement, days(WITHIN), description="last day")
    add_commitment(agreement, days(WITHIN + 1), description="one day too late")
    done = add_commitment(agreement, days(-2), description="done")
    done.done_on = days(-3)
    db.session.commit()

    manager = make_user(Role.MANAGER)
    found = commitments_due(db.session, manager, WITHIN)
    assert [c.description for c in found] == ["overdue", "today", "last day"]
    assert [c.is_overdue() for c in found] == [True, False, False]
    assert {c.id for c in found} == {overdue.id, due_today.id, last_day.id}
    assert [c.description for c in commitments_due(db.session, manager, 0)] == ["overdue", "today"]


def test_commitments_of_unsigned_or_terminated_agreements_are_not_due(db_ctx: Flask) -> None:
    parties = (make_organization(), make_organization())
    negotiating = make_agreement(parties=parties, status=AgreementStatus.NEGOTIATING, code="NEG-1")
    terminated = make_agreement(parties=parties, status=AgreementStatus.TERMINATED, code="TER-1")
    add_commitment(negotiating, days(-5))
    add_commitment(terminated, days(-5))
    assert commitments_due(db.session, make_user(Role.ENGINEER), WITHIN) == []


def test_agreements_expiring_are_signed_ones_still_in_force_ending_within_the_days_given(db_ctx: Flask) -> None:
    center = make_center()
    make_signed(center, code="ENDS-TODAY", ends_on=days(0))
    make_signed(center, code="LAST-DAY", ends_on=days(WITHIN))
    make_signed(center, code="TOO-LATE", ends_on=days(WITHIN + 1))
    make_signed(center, code="ENDED-YESTERDAY", ends_on=days(-1))
    make_signed(center, code="OPEN-ENDED", ends_on=None)
    make_agreement(center, code="DRAFT", ends_on=days(3))
    found = agreements_expiring(db.session, make_user(Role.MANAGER), WITHIN)
    assert [a.code for a in found] == ["ENDS-TODAY", "LAST-DAY"]


def test_status_filter_reads_expired_from_the_end_date(db_ctx: Flask) -> None:
    center = make_center()
    make_signed(center, code="IN-FORCE", ends_on=days(0))
    make_signed(center, code="LAPSED", ends_on=days(-1))
    make_agreement(center, code="DRAFT")
    manager = make_user(Role.MANAGER)

    def codes(status: AgreementStatus) -> set[str]:
        query = agreements_filtered_query(manager, AgreementFilter(status=status))
        return {a.code for a in db.session.scalars(query)}

    assert codes(AgreementStatus.SIGNED) == {"IN-FORCE"}
    assert codes(AgreementStatus.EXPIRED) == {"LAPSED"}
    assert codes(AgreementStatus.DRAFT) == {"DRAFT"}


def test_list_filters_by_center_kind_and_party(db_ctx: Flask) -> None:
    sps, omoa = make_center(), make_center()
    dinaf, oabi = make_organization(acronym="DINAF"), make_organization(acronym="OABI")
    make_agreement(sps, code="A", parties=(dinaf,))
    make_agreement(omoa, code="B", parties=(oabi,), kind=AgreementKind.PROPERTY_LOAN)
    manager = make_user(Role.MANAGER)

    def codes(**filters: object) -> set[str]:
        return {a.code for a in db.session.scalars(agreements_filtered_query(manager, AgreementFilter(**filters)))}

    assert codes() == {"A", "B"}
    assert codes(center_id=omoa.id) == {"B"}
    assert codes(kind=AgreementKind.PROPERTY_LOAN) == {"B"}
    assert codes(organization_id=dinaf.id) == {"A"}


def test_donor_sees_only_signed_agreements_of_projects_it_funds(db_ctx: Flask) -> None:
    usaid = make_organization(acronym="USAID")
    donor = make_user(Role.DONOR, organization_id=usaid.id)
    center = make_center()
    funded, other = make_project(center, funder_ids=[usaid.id]), make_project(center)
    parties = (make_organization(), make_organization())
    signed = make_signed(center, code="SIGNED-FUNDED", project_id=funded.id)
    make_agreement(
        center, code="NEGOTIATING-FUNDED", project_id=funded.id, parties=parties, status=AgreementStatus.NEGOTIATING
    )
    make_signed(center, code="SIGNED-OTHER", project_id=other.id)
    make_signed(center, code="SIGNED-NO-PROJECT")
    add_commitment(signed, days(-1), description="visible")
    everything = db.session.scalars(agreements_visible_query(make_user(Role.ENGINEER))).all()

    visible = db.session.scalars(agreements_visible_query(donor)).all()
    assert [a.code for a in visible] == ["SIGNED-FUNDED"]
    assert len(everything) == 4
    assert [a.code for a in everything if can_view_agreement(donor, a)] == ["SIGNED-FUNDED"]
    assert [c.description for c in commitments_due(db.session, donor, WITHIN)] == ["visible"]
    assert [a.code for a in agreements_expiring(db.session, donor, 400)] == ["SIGNED-FUNDED"]
