"""Agreements as a manager would register them, with the parts each test changes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from app.agreements.models import Agreement
from app.agreements.services import AgreementValues, agreement_create, agreement_update, commitment_add, party_add
from app.centers.models import Center
from app.core.enums import AgreementKind, AgreementStatus, DocumentKind, DocumentStatus, PartyRole
from app.core.storage import storage
from app.core.timeutil import today
from app.documents.models import Document
from app.documents.services import document_create, document_set_status
from app.extensions import db
from app.organizations.models import Organization
from tests.factories import make_center, make_organization

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def days(n: int) -> date:
    return today() + timedelta(days=n)


def values_for(center: Center, **changes: Any) -> AgreementValues:
    base = AgreementValues(
        code=changes.pop("code", "conv-17"),
        kind=AgreementKind.COOPERATION,
        subject="Cooperación para la rehabilitación del CAMR",
        center_id=center.id,
        starts_on=days(-30),
        ends_on=days(365),
    )
    return replace(base, **changes)


def values_of(agreement: Agreement, **changes: Any) -> AgreementValues:
    """The agreement as its edit form would send it back, with some changes."""
    current = AgreementValues(
        code=agreement.code,
        kind=agreement.kind,
        subject=agreement.subject,
        center_id=agreement.center_id,
        project_id=agreement.project_id,
        status=agreement.status,
        signed_on=agreement.signed_on,
        starts_on=agreement.starts_on,
        ends_on=agreement.ends_on,
        document_id=agreement.document_id,
        signature_evidence=agreement.signature_evidence,
        notes=agreement.notes,
    )
    return replace(current, **changes)


def make_agreement(
    center: Center | None = None,
    parties: tuple[Organization, ...] = (),
    status: AgreementStatus = AgreementStatus.DRAFT,
    **changes: Any,
) -> Agreement:
    """An agreement with its parties (signatories), signed on request with a written confirmation."""
    center = center or make_center()
    signing = {
        "signed_on": changes.pop("signed_on", days(-10)),
        "signature_evidence": changes.pop("signature_evidence", "Original en la oficina de OIM, ref. 17"),
    }
    agreement = agreement_create(db.session, values_for(center, **changes))
    for organization in parties:
        party_add(db.session, agreement, organization.id, PartyRole.SIGNATORY)
    if status is not AgreementStatus.DRAFT:
        extra = signing if status is AgreementStatus.SIGNED else {}
        agreement_update(db.session, agreement, values_of(agreement, status=status, **extra), agreement.version)
    db.session.commit()
    return agreement


def make_signed(center: Center | None = None, **changes: Any) -> Agreement:
    parties = (make_organization(), make_organization())
    return make_agreement(center, parties=parties, status=AgreementStatus.SIGNED, **changes)


def add_commitment(agreement: Agreement, due: date, organization_id: int | None = None, **values: Any) -> Any:
    commitment = commitment_add(
        db.session,
        agreement,
        organization_id=organization_id or agreement.parties[0].organization_id,
        description=values.pop("description", "Designar un punto focal"),
        due_on=due,
        **values,
    )
    db.session.commit()
    return commitment


def make_document(center: Center, status: DocumentStatus = DocumentStatus.SIGNED, **values: Any) -> Document:
    document = document_create(
        db.session,
        storage(),
        center_id=center.id,
        project_id=values.pop("project_id", None),
        kind=values.pop("kind", DocumentKind.AGREEMENT),
        title=values.pop("title", "Convenio firmado"),
        description="",
        data=PDF,
        filename="convenio.pdf",
        max_bytes=1_000_000,
    )
    if status is not DocumentStatus.DRAFT:
        document_set_status(db.session, document, status)
    db.session.commit()
    return document
