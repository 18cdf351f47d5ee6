"""Documents through the API: uploaded and versioned with the web form's content checks, approved or signed by a
manager, downloaded only as attachments; a donor sees only approved or signed documents of projects it funds."""

from __future__ import annotations

import hashlib
import io
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.core.enums import Role
from app.documents.models import Document, DocumentVersion
from app.extensions import db
from tests.api.conftest import bearer, problem_of, user_with_token
from tests.documents.test_documents import PDF, _ooxml
from tests.factories import make_organization, make_project, make_user


def _post(client: FlaskClient, url: str, headers: dict[str, str], data: bytes, name: str, **fields: str) -> Any:
    form = {"file": (io.BytesIO(data), name), **fields}
    return client.post(url, data=form, headers=headers, content_type="multipart/form-data", no_csrf=True)


def _counts(app: Flask) -> tuple[int, int]:
    with app.app_context():
        documents = db.session.scalar(select(func.count()).select_from(Document))
        versions = db.session.scalar(select(func.count()).select_from(DocumentVersion))
        return int(documents or 0), int(versions or 0)


def test_a_manager_uploads_versions_signs_and_a_donor_downloads(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        funder = make_organization(acronym="USAID")
        project_id = make_project(funder_ids=[funder.id]).id
        engineer = user_with_token(Role.ENGINEER)[1]
        manager = user_with_token(Role.MANAGER)[1]
        donor = bearer(make_user(Role.DONOR, organization_id=funder.id))
    url = f"/api/v1/projects/{project_id}/documents"
    created = _post(client, url, engineer, PDF, "plano.pdf", kind="drawing", title="Plano de planta")
    assert created.status_code == 201, created.get_json()
    document = created.get_json()
    assert (document["status"], document["latest_version"]["content_type"]) == ("draft", "application/pdf")
    assert document["latest_version"]["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert created.headers["Location"] == document["links"]["self"]
    self_url = document["links"]["self"]
    assert client.get(self_url, headers=donor).status_code == 404  # a draft stays inside

    assert client.post(f"{self_url}/status", json={"status": "signed"}, headers=engineer).status_code == 403
    signed = client.post(f"{self_url}/status", json={"status": "signed"}, headers=manager)
    assert signed.status_code == 200 and signed.get_json()["status"] == "signed"
    download = client.get(document["links"]["file"], headers=donor)
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert "sandbox" in download.headers["Content-Security-Policy"]
    listed = client.get(f"/api/v1/projects/{project_id}/documents", headers=donor).get_json()["items"]
    assert [d["id"] for d in listed] == [document["id"]]

    second = PDF + b"% v2\n%%EOF\n"
    versioned = _post(client, f"{self_url}/versions", engineer, second, "plano-v2.pdf", note="Cotas corregidas")
    assert versioned.status_code == 201, versioned.get_json()
    body = versioned.get_json()
    assert (body["status"], body["latest_version"]["number"]) == ("draft", 2)  # what was signed changed
    assert client.get(document["links"]["file"], headers=donor).status_code == 404
    assert client.get(document["links"]["file"], headers=manager).data == second
    assert _counts(app) == (1, 2)


def test_what_is_not_an_accepted_document_is_refused_and_nothing_is_kept(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        project_id = make_project().id
        headers = user_with_token(Role.MANAGER)[1]
    url = f"/api/v1/projects/{project_id}/documents"
    fields = {"kind": "drawing", "title": "Plano"}
    assert _post(client, url, headers, b"MZ\x90\x00 an exe", "plano.pdf", **fields).status_code == 422
    assert _post(client, url, headers, PDF[:20], "cortado.pdf", **fields).status_code == 422
    macro = _post(client, url, headers, _ooxml("word/", macro=True), "acta.docm", **fields)
    assert macro.status_code == 422 and "file" in problem_of(macro)["errors"]
    missing = _post(client, url, headers, PDF, "plano.pdf")
    assert {"kind", "title"} <= set(problem_of(missing)["errors"])
    blank = _post(client, url, headers, PDF, "plano.pdf", kind="drawing", title="   ")
    assert blank.status_code == 422 and "title" in problem_of(blank)["errors"]
    two = client.post(
        url,
        data={"file": [(io.BytesIO(PDF), "a.pdf"), (io.BytesIO(PDF), "b.pdf")], **fields},
        headers=headers,
        content_type="multipart/form-data",
        no_csrf=True,
    )
    assert two.status_code == 422
    as_json = client.post(url, json=fields, headers=headers)
    assert as_json.status_code == 415
    assert _counts(app) == (0, 0)
