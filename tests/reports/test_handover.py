"""The handover dossier: one PDF for a project at handover, ready to be signed."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.agreements.models import Agreement, AgreementParty
from app.core.enums import (
    AgreementKind,
    AgreementStatus,
    DocumentKind,
    DocumentStatus,
    OrganizationKind,
    PartyRole,
    PhaseKind,
    ReportKind,
    ReportScope,
    Role,
)
from app.core.errors import DomainError
from app.core.storage import storage
from app.documents.models import Document, DocumentVersion
from app.extensions import db
from app.reports import services
from app.reports.gather import HANDOVER_SECTIONS, ReportRequest
from app.reports.models import Report
from tests.conftest import login
from tests.factories import make_organization, make_project, make_user
from tests.reports.helpers import pdf_text


def _document(project: Any, kind: DocumentKind, status: DocumentStatus, title: str) -> None:
    document = Document(center_id=project.center_id, project_id=project.id, kind=kind, status=status, title=title)
    db.session.add(document)
    db.session.flush()
    db.session.add(
        DocumentVersion(
            document_id=document.id,
            number=1,
            storage_key="ab/none.pdf",
            sha256="f" * 64,
            content_type="application/pdf",
            extension="pdf",
            size_bytes=10,
        )
    )


def _project_at_handover() -> Any:
    make_organization(acronym="IOM", name="International Organization for Migration", kind=OrganizationKind.UN_AGENCY)
    state = make_organization(acronym="DINAF", name="Dirección de Niñez", kind=OrganizationKind.GOVERNMENT)
    project = make_project(code="PRJ-DONE", title="Family module")
    project.current_phase = PhaseKind.HANDOVER
    handover = project.phase(PhaseKind.HANDOVER)
    handover.actual_start = date(2025, 11, 3)
    handover.gate_evidence = "Act AE-01 <signed>"
    _document(project, DocumentKind.HANDOVER_ACT, DocumentStatus.SIGNED, "Acta de entrega AE-01")
    _document(project, DocumentKind.DRAWING, DocumentStatus.APPROVED, "As-built plan <A1>")
    _document(project, DocumentKind.DRAWING, DocumentStatus.DRAFT, "DRAFT-PLAN not final")
    agreement = Agreement(
        code="CONV-9",
        kind=AgreementKind.COOPERATION,
        subject="Cooperation for the family module",
        center_id=project.center_id,
        project_id=project.id,
        status=AgreementStatus.SIGNED,
        signed_on=date(2025, 2, 1),
        signature_evidence="original in the archive",
    )
    db.session.add(agreement)
    db.session.flush()
    db.session.add(AgreementParty(agreement_id=agreement.id, organization_id=state.id, role=PartyRole.SIGNATORY))
    db.session.commit()
    return project


def _request(project: Any, **values: Any) -> ReportRequest:
    return ReportRequest(
        kind=ReportKind.HANDOVER,
        scope=ReportScope.PROJECT,
        project_id=project.id,
        period_start=project.planned_start,
        period_end=date(2025, 12, 19),
        language=values.pop("language", "en"),
        sections=HANDOVER_SECTIONS,
        narrative="Keys given to <b>DINAF</b>",
        **values,
    )


def test_the_dossier_lists_the_act_the_documents_and_who_signs(db_ctx: Flask) -> None:
    project = _project_at_handover()
    text = pdf_text(services.report_build(db.session(), storage(), _request(project)))
    assert "Handover dossier" in text and "PRJ-DONE" in text
    assert "Acta de entrega AE-01" in text and "As-built plan <A1>" in text
    assert "DRAFT-PLAN" not in text
    assert "Act AE-01 <signed>" in text and "Keys given to <b>DINAF</b>" in text
    assert "International Organization for Migration" in text and "Dirección de Niñez" in text
    assert "Name, position and signature" in text
    assert "CONV-9" in text


def test_the_dossier_in_spanish_gives_the_same_bytes_twice(db_ctx: Flask) -> None:
    project = _project_at_handover()
    first = services.report_build(db.session(), storage(), _request(project, language="es"))
    second = services.report_build(db.session(), storage(), _request(project, language="es"))
    assert first == second
    assert "Expediente de entrega" in pdf_text(first) and "Firmas" in pdf_text(first)


def test_a_project_still_in_works_gets_no_dossier(db_ctx: Flask) -> None:
    project = make_project(code="PRJ-WORKS")
    with pytest.raises(DomainError) as error:
        services.report_create(db.session(), _request(project))
    assert error.value.field == "project_id"


def test_a_manager_prepares_a_dossier_from_the_page(app: Flask, inline_jobs: Flask, client: FlaskClient) -> None:
    with app.app_context():
        project_id = _project_at_handover().id
        make_user(Role.MANAGER, email="manager@example.org")
    login(client, "manager@example.org")
    page = client.get(f"/reports/handover/new?project_id={project_id}")
    assert page.status_code == 200 and b"PRJ-DONE" in page.data
    response = client.post(
        "/reports/handover/new", data={"project_id": str(project_id), "donor_id": "0", "language": "en"}
    )
    assert response.status_code == 302
    with app.app_context():
        report = db.session.scalar(select(Report))
        assert report is not None and report.kind is ReportKind.HANDOVER and report.ready
        report_id = report.id
    download = client.get(f"/reports/{report_id}/download")
    assert download.status_code == 200
    assert "handover-" in download.headers["Content-Disposition"]
    assert "Signatures" in pdf_text(download.data)
