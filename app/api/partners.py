"""``/api/v1/organizations`` and ``/api/v1/agreements``: read-only, with the predicates of the web pages."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers.response import Response

from app.agreements import services as agreements
from app.agreements.models import Agreement
from app.api.blueprint import bp
from app.api.http import page, single, visible_or_404
from app.api.inputs import query_choice, query_int
from app.api.serializers import iso
from app.core.enums import AgreementKind, AgreementStatus, OrganizationKind
from app.core.permissions import can_list_agreements, can_list_organizations, can_view_agreement, require
from app.organizations.models import Organization

AGREEMENT_FILTERS = ("center_id", "status", "kind", "organization_id")


def organization_json(organization: Organization) -> dict[str, Any]:
    return {
        "id": organization.id,
        "name": organization.name,
        "acronym": organization.acronym,
        "kind": organization.kind.value,
        "country": organization.country,
        "iati_identifier": organization.iati_identifier,
    }


@bp.get("/organizations")
def organizations_list() -> Response:
    require(can_list_organizations(current_user))
    kind = query_choice("kind", tuple(OrganizationKind))
    query = select(Organization)
    if kind:
        query = query.where(Organization.kind == OrganizationKind(kind))
    render = lambda rows: [organization_json(o) for o in rows]  # noqa: E731
    return page(query, Organization.id, render, "api.organizations_list", ("kind",))


def agreement_json(agreement: Agreement) -> dict[str, Any]:
    return {
        "id": agreement.id,
        "code": agreement.code,
        "kind": agreement.kind.value,
        "subject": agreement.subject,
        "center_id": agreement.center_id,
        "project_id": agreement.project_id,
        "status": agreement.effective_status().value,
        "signed_on": iso(agreement.signed_on),
        "starts_on": iso(agreement.starts_on),
        "ends_on": iso(agreement.ends_on),
        "signature_evidence": agreement.signature_evidence,
        "notes": agreement.notes,
        "parties": [
            {"organization_id": party.organization_id, "role": party.role.value} for party in agreement.parties
        ],
        "commitments": [
            {
                "id": commitment.id,
                "organization_id": commitment.organization_id,
                "description": commitment.description,
                "due_on": iso(commitment.due_on),
                "done_on": iso(commitment.done_on),
                "overdue": commitment.is_overdue(),
                "notes": commitment.notes,
            }
            for commitment in agreement.commitments
        ],
        "created_at": iso(agreement.created_at),
        "updated_at": iso(agreement.updated_at),
        "version": agreement.version,
        "links": {"self": url_for("api.agreement_get", agreement_id=agreement.id)},
    }


@bp.get("/agreements")
def agreements_list() -> Response:
    require(can_list_agreements(current_user))
    status, kind = query_choice("status", tuple(AgreementStatus)), query_choice("kind", tuple(AgreementKind))
    filters = agreements.AgreementFilter(
        center_id=query_int("center_id"),
        status=AgreementStatus(status) if status else None,
        kind=AgreementKind(kind) if kind else None,
        organization_id=query_int("organization_id"),
    )
    query = agreements.agreements_filtered_query(current_user, filters).options(
        selectinload(Agreement.parties), selectinload(Agreement.commitments)
    )
    render = lambda rows: [agreement_json(a) for a in rows]  # noqa: E731
    return page(query, Agreement.id, render, "api.agreements_list", AGREEMENT_FILTERS)


@bp.get("/agreements/<int:agreement_id>")
def agreement_get(agreement_id: int) -> Response:
    agreement = visible_or_404(Agreement, agreement_id, lambda agreement: can_view_agreement(current_user, agreement))
    return single(agreement, agreement_json(agreement))
