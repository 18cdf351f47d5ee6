"""Documents are checked by their content, kept in versions, and only ever served as downloads."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.core.enums import Role
from app.documents.models import Document, DocumentVersion
from app.documents.sniffing import DocumentRejected, sniff_document
from app.extensions import db
from tests.conftest import login
from tests.factories import make_center, make_project, make_user

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _ooxml(prefix: str, macro: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(f"{prefix}document.xml", "<doc/>")
        if macro:
            z.writestr(f"{prefix}vbaProject.bin", b"\x00")
    return out.getvalue()


@pytest.mark.parametrize(
    "data,extension",
    [
        (PDF, ".pdf"),
        (_ooxml("word/"), ".docx"),
        (_ooxml("xl/"), ".xlsx"),
        (b"AC1027" + b"\x00" * 100, ".dwg"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".doc"),
    ],
)
def test_accepted_formats_are_recognised_by_content(data: bytes, extension: str) -> None:
    assert sniff_document(data).extension == extension


@pytest.mark.parametrize(
    "data",
    [
        b"<html><script>alert(1)</script>",
        b"MZ\x90\x00executable",
        _ooxml("word/", macro=True),
        PDF[:20],
        b"PK\x03\x04 not really a zip",
        b"#!/bin/sh\nrm -rf /",
    ],
)
def test_other_files_are_refused(app_ctx: Flask, data: bytes) -> None:
    with pytest.raises(DocumentRejected):
        sniff_document(data)


def _setup(app: Flask) -> dict[str, Any]:
    with app.app_context():
        make_user(Role.ENGINEER, email="eng@example.org")
        make_user(Role.MANAGER, email="manager@example.org")
        donor = make_user(Role.DONOR, email="donor@example.org")
        center = make_center()
        project = make_project(center, funder_ids=[donor.organization_id])
        return {"center": center.id, "project": project.id}


def test_versions_are_kept_and_downloads_never_render_inline(app: Flask, client: FlaskClient) -> None:
    ids = _setup(app)
    login(client, "eng@example.org")
    response = client.post(
        f"/documents/new?center_id={ids['center']}",
        data={
            "title": "Acta de entrega",
            "kind": "handover_act",
            "project_id": str(ids["project"]),
            "file": (io.BytesIO(PDF), "acta.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    with app.app_context():
        document_id = db.session.scalar(select(Document.id))
    client.post(
        f"/documents/{document_id}",
        data={"version-file": (io.BytesIO(PDF + b"% v2\n%%EOF"), "acta-firmada.pdf"), "version-note": "firmada"},
        content_type="multipart/form-data",
    )
    with app.app_context():
        versions = db.session.scalars(select(DocumentVersion).order_by(DocumentVersion.number)).all()
        assert [v.number for v in versions] == [1, 2]
        first_id = versions[0].id
    download = client.get(f"/documents/{document_id}/versions/{first_id}")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download.headers["Content-Security-Policy"]
    assert download.data == PDF


def test_refused_file_is_explained_and_nothing_is_saved(app: Flask, client: FlaskClient) -> None:
    ids = _setup(app)
    login(client, "eng@example.org")
    client.post("/language", data={"lang": "en"})
    response = client.post(
        f"/documents/new?center_id={ids['center']}",
        data={
            "title": "Plano",
            "kind": "drawing",
            "project_id": "0",
            "file": (io.BytesIO(b"<svg onload=alert(1)>"), "plano.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "This file type is not accepted." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Document)) == 0


def test_donor_sees_only_signed_documents_of_funded_projects(app: Flask, client: FlaskClient) -> None:
    ids = _setup(app)
    login(client, "eng@example.org")
    client.post(
        f"/documents/new?center_id={ids['center']}",
        data={
            "title": "Convenio",
            "kind": "agreement",
            "project_id": str(ids["project"]),
            "file": (io.BytesIO(PDF), "convenio.pdf"),
        },
        content_type="multipart/form-data",
    )
    with app.app_context():
        document_id = db.session.scalar(select(Document.id))
    client.post("/logout", data={})
    login(client, "donor@example.org")
    assert client.get(f"/documents/{document_id}").status_code == 404
    client.post("/logout", data={})
    login(client, "manager@example.org")
    assert client.post(f"/documents/{document_id}/status", data={"status-status": "signed"}).status_code == 302
    client.post("/logout", data={})
    login(client, "donor@example.org")
    assert client.get(f"/documents/{document_id}").status_code == 200
    assert client.post(f"/documents/{document_id}/status", data={"status-status": "draft"}).status_code == 403
