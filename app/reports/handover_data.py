"""What a handover dossier adds to a report's data: the act, the documents as built, and who signs."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.agreements.models import Agreement
from app.core.enums import AgreementStatus, DocumentKind, DocumentStatus, PhaseKind
from app.documents.models import Document
from app.organizations.models import Organization
from app.projects.models import Project
from app.reports.snapshot import DocumentLine, HandoverBlock, ProjectBlock, Signatory

AS_BUILT = (DocumentKind.HANDOVER_ACT, DocumentKind.DRAWING, DocumentKind.DESIGN, DocumentKind.BILL_OF_QUANTITIES)


def _document_line(document: Document) -> DocumentLine:
    latest = document.latest
    return DocumentLine(
        kind=document.kind.label,
        title=document.title,
        status=document.status.label,
        version=latest.number if latest else None,
        dated=latest.created_at.date() if latest else None,
        sha256=latest.sha256[:12] if latest else "",
    )


def handover_block(session: Session, project: Project, block: ProjectBlock) -> HandoverBlock:
    """The act, the as-built documents (approved or signed only) and who signs, for ``project``."""
    documents = session.scalars(
        select(Document)
        .where(
            Document.project_id == project.id,
            Document.kind.in_(AS_BUILT),
            Document.status != DocumentStatus.DRAFT,
        )
        .order_by(Document.kind, Document.title, Document.id)
    ).all()
    phase = project.phase(PhaseKind.HANDOVER)
    signatories: list[Signatory] = []
    seen: set[str] = set()
    iom = session.scalar(select(Organization).where(Organization.acronym.in_(("IOM", "OIM"))))
    if iom is not None:
        seen.add(iom.name)
        signatories.append(Signatory(iom.name, _("Hands over the building")))
    agreement_rows = session.scalars(
        select(Agreement)
        .where(Agreement.project_id == project.id, Agreement.status == AgreementStatus.SIGNED)
        .order_by(Agreement.code)
    ).unique()
    for agreement in agreement_rows:
        for party in sorted(agreement.parties, key=lambda p: (p.organization.acronym, p.id)):
            if party.organization.name not in seen:
                seen.add(party.organization.name)
                signatories.append(Signatory(party.organization.name, party.role.label))
    receiver = project.center.administering_org
    if receiver is not None and receiver.name not in seen:
        signatories.append(Signatory(receiver.name, _("Receives the building")))
    return HandoverBlock(
        project=block,
        started=phase.actual_start,
        finished=phase.actual_end,
        evidence=phase.gate_evidence,
        acts=tuple(_document_line(d) for d in documents if d.kind is DocumentKind.HANDOVER_ACT),
        documents=tuple(_document_line(d) for d in documents),
        signatories=tuple(signatories),
    )
