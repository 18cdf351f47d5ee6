"""Partnership agreements written through the API: the agreement, its parties (DINAF, SRECI, OABI, the
municipality...) and the commitments each party takes on, with the agreement pages' rules — a signed agreement has
two parties, proof of signature and its signed document; a commitment belongs to a party.

Every change to an agreement, its parties or its commitments names the version of the agreement it was made on
(``If-Match`` with the agreement's ETag; 428 without it, 412 when someone changed the agreement meanwhile) and answers
the whole agreement with its new ETag.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers.response import Response

from app.agreements import services
from app.agreements.models import Agreement, Commitment
from app.api.blueprint import bp
from app.api.http import created, expected_version, single, visible_or_404
from app.api.inputs import MAX_ID, Field, json_body, parse_fields
from app.api.partners import agreement_json
from app.core.enums import AgreementKind, PartyRole
from app.core.errors import DomainError
from app.core.permissions import can_edit_agreement, can_mark_commitment_done, can_view_agreement, require
from app.extensions import db

AGREEMENT_FIELDS = {
    "code": Field("string", required=True, max_length=32, description="Unique, for example CONV-DINAF-2025-01."),
    "kind": Field("enum", required=True, enum_type=AgreementKind),
    "subject": Field("string", required=True, max_length=300),
    "center_id": Field("integer", required=True, minimum=1, maximum=MAX_ID),
    "project_id": Field("integer", nullable=True, minimum=1, maximum=MAX_ID),
    "status": Field(
        "enum",
        choices=tuple(s.value for s in services.STORED_STATUSES),
        description="Signing needs two parties, the date, proof of signature and the signed document.",
    ),
    "signed_on": Field("date", nullable=True),
    "starts_on": Field("date", nullable=True),
    "ends_on": Field("date", nullable=True),
    "document_id": Field("integer", nullable=True, minimum=1, maximum=MAX_ID, description="The signed document."),
    "signature_evidence": Field("string", max_length=2000),
    "notes": Field("string", max_length=4000),
}
PARTY_FIELDS = {
    "organization_id": Field("integer", required=True, minimum=1, maximum=MAX_ID),
    "role": Field("enum", required=True, enum_type=PartyRole),
}
COMMITMENT_FIELDS = {
    "organization_id": Field("integer", required=True, minimum=1, maximum=MAX_ID, description="A party."),
    "description": Field("string", required=True, max_length=2000),
    "due_on": Field("date", required=True),
    "notes": Field("string", max_length=4000),
}
DONE_FIELDS = {"done_on": Field("date", nullable=True, description="Today when left out; not in the future.")}


def _values(values: dict[str, Any]) -> services.AgreementValues:
    status = values.get("status")
    if isinstance(status, str):  # from the body: one of the stored statuses' values
        values["status"] = next(s for s in services.STORED_STATUSES if s.value == status)
    return services.AgreementValues(**values)


def editable_agreement(agreement_id: int) -> tuple[Agreement, int]:
    """The agreement and the version the client changes, once this user may edit it: 428 without If-Match, 412
    when the agreement changed since. A change made meanwhile by another request (between this check and the
    commit) moves the version too, and the commit fails as stale (412)."""
    agreement = visible_or_404(Agreement, agreement_id, lambda a: can_view_agreement(current_user, a))
    require(can_edit_agreement(current_user, agreement))
    return agreement, expected_version(agreement)


def _answer(agreement: Agreement) -> Response:
    db.session.commit()
    db.session.refresh(agreement)
    return single(agreement, agreement_json(agreement))


@bp.post("/agreements")
def agreement_create() -> Response:
    """A new agreement without parties yet: add them, then sign it."""
    require(can_edit_agreement(current_user))
    agreement = services.agreement_create(db.session(), _values(parse_fields(json_body(), AGREEMENT_FIELDS)))
    db.session.commit()
    return created(agreement, agreement_json(agreement))


@bp.patch("/agreements/<int:agreement_id>")
def agreement_patch(agreement_id: int) -> Response:
    agreement, version = editable_agreement(agreement_id)
    changes = parse_fields(json_body(), AGREEMENT_FIELDS, partial=True)
    current = {name: getattr(agreement, name) for name in services.AGREEMENT_FIELDS}
    services.agreement_update(db.session(), agreement, _values(current | changes), version)
    return _answer(agreement)


@bp.post("/agreements/<int:agreement_id>/parties")
def party_add(agreement_id: int) -> Response:
    agreement, _version = editable_agreement(agreement_id)
    values = parse_fields(json_body(), PARTY_FIELDS)
    services.party_add(db.session(), agreement, values["organization_id"], values["role"])
    return _answer(agreement)


@bp.delete("/agreements/<int:agreement_id>/parties/<int:organization_id>")
def party_remove(agreement_id: int, organization_id: int) -> Response:
    agreement, _version = editable_agreement(agreement_id)
    party = next((p for p in agreement.parties if p.organization_id == organization_id), None)
    if party is None:
        raise DomainError(_("This organization is not a party to the agreement."), field="organization_id")
    services.party_remove(db.session(), agreement, party)
    return _answer(agreement)


@bp.post("/agreements/<int:agreement_id>/commitments")
def commitment_add(agreement_id: int) -> Response:
    agreement, _version = editable_agreement(agreement_id)
    values = parse_fields(json_body(), COMMITMENT_FIELDS)
    services.commitment_add(db.session(), agreement, **values)
    return _answer(agreement)


def visible_commitment(commitment_id: int) -> Commitment:
    return visible_or_404(Commitment, commitment_id, lambda c: can_view_agreement(current_user, c.agreement))


@bp.post("/commitments/<int:commitment_id>/done")
def commitment_done(commitment_id: int) -> Response:
    """Record that a commitment was fulfilled (engineers too: they see it on site)."""
    commitment = visible_commitment(commitment_id)
    require(can_mark_commitment_done(current_user, commitment))
    expected_version(commitment.agreement)
    values = parse_fields(json_body(), DONE_FIELDS)
    services.commitment_mark_done(db.session(), commitment, values.get("done_on"))
    return _answer(commitment.agreement)


@bp.post("/commitments/<int:commitment_id>/reopen")
def commitment_reopen(commitment_id: int) -> Response:
    commitment = visible_commitment(commitment_id)
    require(can_mark_commitment_done(current_user, commitment))
    expected_version(commitment.agreement)
    services.commitment_reopen(db.session(), commitment)
    return _answer(commitment.agreement)


@bp.delete("/commitments/<int:commitment_id>")
def commitment_remove(commitment_id: int) -> Response:
    commitment = visible_commitment(commitment_id)
    agreement = commitment.agreement
    require(can_edit_agreement(current_user, agreement))
    expected_version(agreement)
    services.commitment_remove(db.session(), commitment)
    return _answer(agreement)
