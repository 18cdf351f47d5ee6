"""Demo agreements for the demo centers: a framework MoU about to expire, a property loan under negotiation, and
the signed cooperation agreement of the works at San Pedro Sula, with commitments done, due soon and overdue.

Dates are relative to today, like the demo projects. Idempotent, keyed by agreement code.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.agreements.models import Agreement
from app.agreements.services import (
    AgreementValues,
    agreement_create,
    agreement_update,
    commitment_add,
    commitment_mark_done,
    party_add,
)
from app.auth.models import User
from app.centers.models import Center
from app.core.audit.recorder import acting_as
from app.core.enums import AgreementKind, AgreementStatus, DocumentKind, DocumentStatus, PartyRole
from app.core.timeutil import today
from app.organizations.models import Organization
from app.projects.models import Project

MANAGER_EMAIL = "manager@example.org"
MAX_DEMO_DOCUMENT_BYTES = 5_000_000


@dataclass(frozen=True)
class DemoCommitment:
    party: str
    description: str
    due: int
    done: int | None = None
    notes: str = ""


@dataclass(frozen=True)
class DemoAgreement:
    code: str
    kind: AgreementKind
    subject: str
    center: str
    project: str | None
    status: AgreementStatus
    parties: tuple[tuple[str, PartyRole], ...]
    signed: int | None = None
    period: tuple[int | None, int | None] = (None, None)
    evidence: str = ""
    signed_scan: bool = False
    notes: str = ""
    commitments: tuple[DemoCommitment, ...] = ()


AGREEMENTS = (
    DemoAgreement(
        code="MOU-DINAF-OMOA",
        kind=AgreementKind.MEMORANDUM,
        subject="Memorando de entendimiento OIM-DINAF para la adecuación del CAMR Omoa",
        center="CAMR-OMOA",
        project=None,
        status=AgreementStatus.SIGNED,
        parties=(("IOM", PartyRole.SIGNATORY), ("DINAF", PartyRole.SIGNATORY)),
        signed=-340,
        period=(-340, 25),
        evidence="Original firmado archivado en la oficina de OIM en Tegucigalpa, ref. MOU-2024-07.",
        notes="Marco general; el convenio de obra del proyecto CAMR-OMOA-01 está en negociación.",
        commitments=(
            DemoCommitment("DINAF", "Designar un punto focal para la rehabilitación del centro", -320, -322),
            DemoCommitment("IOM", "Compartir el informe de evaluación del modelo de atención", -90, -70),
            DemoCommitment("DINAF", "Facilitar el acceso al centro para las visitas técnicas", 20),
        ),
    ),
    DemoAgreement(
        code="PREST-OABI-BELEN",
        kind=AgreementKind.PROPERTY_LOAN,
        subject="Préstamo de uso del inmueble incautado contiguo al CANFM Belén",
        center="CANFM-BELEN",
        project=None,
        status=AgreementStatus.NEGOTIATING,
        parties=(("OABI", PartyRole.SIGNATORY), ("DINAF", PartyRole.BENEFICIARY), ("IOM", PartyRole.IMPLEMENTING)),
        period=(30, 30 + 5 * 365),
        notes="OABI pide un inventario del inmueble antes de firmar.",
        commitments=(
            DemoCommitment("OABI", "Entregar la certificación registral del inmueble", 20),
            DemoCommitment("IOM", "Levantar el inventario y el estado físico del inmueble", 15),
        ),
    ),
    DemoAgreement(
        code="CONV-17",
        kind=AgreementKind.COOPERATION,
        subject="Convenio de cooperación OIM-SRECI-Municipalidad de San Pedro Sula para la rehabilitación del CAMR",
        center="CAMR-SPS",
        project="CAMR-SPS-01",
        status=AgreementStatus.SIGNED,
        parties=(
            ("IOM", PartyRole.IMPLEMENTING),
            ("SRECI", PartyRole.SIGNATORY),
            ("MSPS", PartyRole.SIGNATORY),
        ),
        signed=-196,
        period=(-195, 540),
        signed_scan=True,
        commitments=(
            DemoCommitment("MSPS", "Emitir el permiso de construcción sin costo", -150, -158),
            DemoCommitment("SRECI", "Mantener el personal del centro durante las obras", -60, -62),
            DemoCommitment(
                "MSPS",
                "Conectar el centro a la red municipal de alcantarillado",
                -12,
                notes="La cuadrilla municipal está asignada a otra obra.",
            ),
            DemoCommitment("SRECI", "Reubicar temporalmente a las personas albergadas en el módulo de dormitorios", -5),
            DemoCommitment("SRECI", "Asignar el presupuesto anual de mantenimiento del centro", 10),
            DemoCommitment("IOM", "Entregar planos finales y manuales de mantenimiento", 75),
        ),
    ),
)


def _day(offset: int | None) -> date | None:
    return None if offset is None else today() + timedelta(days=offset)


def _signed_scan_pdf(spec: DemoAgreement) -> bytes:
    """A one-page PDF standing in for the scan of the signed agreement."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    canvas.setFont("Helvetica-Bold", 14)
    canvas.drawString(72, 770, f"{spec.code} — copia de demostración")
    canvas.setFont("Helvetica", 10)
    canvas.drawString(72, 750, spec.subject[:95])
    canvas.drawString(72, 730, "Firmado por: " + ", ".join(acronym for acronym, _role in spec.parties))
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _signed_document(session: Session, spec: DemoAgreement, center: Center, project: Project | None) -> int:
    from app.core.storage import storage
    from app.documents.services import document_create, document_set_status

    document = document_create(
        session,
        storage(),
        center_id=center.id,
        project_id=project.id if project else None,
        kind=DocumentKind.AGREEMENT,
        title=f"Convenio {spec.code} firmado",
        description=spec.subject,
        data=_signed_scan_pdf(spec),
        filename=f"{spec.code}.pdf",
        max_bytes=MAX_DEMO_DOCUMENT_BYTES,
    )
    document_set_status(session, document, DocumentStatus.SIGNED)
    return document.id


def _create(
    session: Session, spec: DemoAgreement, center: Center, project: Project | None, orgs: dict[str, Organization]
) -> None:
    # Registered as a draft, parties and commitments added, then signed: the same path a manager takes.
    values = AgreementValues(
        code=spec.code,
        kind=spec.kind,
        subject=spec.subject,
        center_id=center.id,
        project_id=project.id if project else None,
        status=AgreementStatus.DRAFT,
        starts_on=_day(spec.period[0]),
        ends_on=_day(spec.period[1]),
        notes=spec.notes,
    )
    agreement = agreement_create(session, values)
    for acronym, role in spec.parties:
        party_add(session, agreement, orgs[acronym].id, role)
    for item in spec.commitments:
        due = _day(item.due)
        assert due
        commitment = commitment_add(
            session,
            agreement,
            organization_id=orgs[item.party].id,
            description=item.description,
            due_on=due,
            notes=item.notes,
        )
        if item.done is not None:
            commitment_mark_done(session, commitment, _day(item.done))
    document_id = _signed_document(session, spec, center, project) if spec.signed_scan else None
    final = replace(
        values,
        status=spec.status,
        signed_on=_day(spec.signed),
        document_id=document_id,
        signature_evidence=spec.evidence,
    )
    agreement_update(session, agreement, final, agreement.version)


def load_demo_agreements(session: Session) -> bool:
    """Add the demo agreements that are missing. Returns False when they were all there already."""
    existing = set(session.scalars(select(Agreement.code)))
    missing = [spec for spec in AGREEMENTS if spec.code not in existing]
    if not missing:
        return False
    manager = session.scalar(select(User).where(User.email == MANAGER_EMAIL))
    centers = {center.code: center for center in session.scalars(select(Center))}
    projects = {project.code: project for project in session.scalars(select(Project))}
    orgs = {org.acronym: org for org in session.scalars(select(Organization))}
    changed = False
    for spec in missing:
        if spec.center not in centers or any(acronym not in orgs for acronym, _role in spec.parties):
            continue
        project = projects.get(spec.project) if spec.project else None
        with acting_as(manager.id if manager else None):
            _create(session, spec, centers[spec.center], project, orgs)
        changed = True
    session.flush()
    return changed
