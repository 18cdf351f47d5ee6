"""Every route, walked with every role, answers as designed: 200, 302, 403 or 404 — never a 500.

The table below is the design. A new route that is not in it makes this test fail until someone decides who may
use it. Objects are taken from the demo data, on the CAMR San Pedro Sula project that the demo donor (USAID) funds.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from app import create_app
from app.extensions import db
from tests.conftest import FormClient, base_config
from tests.factories import upload_photo

ROLES = ("anon", "admin", "manager", "engineer", "donor")
EMAILS = {role: f"{role}@example.org" for role in ROLES if role != "anon"}

# GET: expected status for (admin, manager, engineer, donor); anonymous visitors are always sent to sign in.
OK4 = (200, 200, 200, 200)
STAFF = (200, 200, 200, 403)
STEER = (200, 200, 403, 403)
ADMIN = (200, 403, 403, 403)
GET: dict[str, tuple[int, int, int, int]] = {
    "dashboard.index": OK4,
    "dashboard.search": OK4,
    "dashboard.notifications_page": STAFF,
    "auth.change_password": OK4,
    "users.index": ADMIN,
    "users.create": ADMIN,
    "users.edit": ADMIN,
    "organizations.index": ADMIN,
    "organizations.create": ADMIN,
    "organizations.edit": ADMIN,
    "audit.index": ADMIN,
    "centers.index": OK4,
    "centers.map": OK4,
    "centers.map_json": OK4,
    "centers.show": OK4,
    "centers.create": STEER,
    "centers.edit": STEER,
    "projects.index": OK4,
    "projects.timeline": OK4,
    "projects.view": OK4,
    "projects.create": STEER,
    "projects.edit": STEER,
    "projects.phase_edit": STEER,
    "projects.milestone_create": STEER,
    "projects.milestone_edit": STEER,
    "projects.progress_create": STAFF,
    "photos.index": OK4,
    "photos.show": OK4,
    "photos.thumb": OK4,
    "photos.display": OK4,
    "photos.original": STAFF,
    "photos.upload": STAFF,
    "documents.index": OK4,
    "documents.show": OK4,
    "documents.download": OK4,
    "documents.create": STAFF,
    "assessments.index": OK4,
    "assessments.show": OK4,
    "assessments.create": STAFF,
    # The demo assessment has been submitted: read-only for everyone until it is returned.
    "assessments.edit": (403, 403, 403, 403),
    "assessments.finding_edit": (403, 403, 403, 403),
    "assessment_admin.index": ADMIN,
    "assessment_admin.create": ADMIN,
    "assessment_admin.edit": ADMIN,
    "assessment_admin.question_edit": ADMIN,
    "assessment_admin.standards": ADMIN,
    "agreements.index": OK4,
    "agreements.show": OK4,
    "agreements.create": STEER,
    "agreements.edit": STEER,
    "agreements.commitment_edit": STEER,
    "budgets.project_budget": OK4,
    "budgets.entries": OK4,
    "budgets.export": OK4,
    "budgets.line_create": STEER,
    "budgets.line_edit": STEER,
    "budgets.entry_create": STEER,
    "budgets.entry_correct": STEER,
    "budgets.import_budget": STEER,
    "budgets.rates": ADMIN,
    "exports.index": OK4,
    "exports.iati_project": OK4,
    "exports.portfolio_table": OK4,
    "downloads.index": OK4,
    # The walk's prepared download is the demo donor's: nobody else reaches it, administrators included.
    "downloads.show": (404, 404, 404, 200),
    "downloads.status": (404, 404, 404, 200),
    "downloads.file": (404, 404, 404, 200),
    "reports.index": OK4,
    "reports.create": STEER,
    "reports.handover_create": STEER,
    # The walk's report is made for USAID, the demo donor's organization.
    "reports.show": OK4,
    "reports.status": OK4,
    "reports.download": OK4,
    "tokens.index": OK4,
}
# Pages anyone may open: (anonymous, signed in).
PUBLIC = {"auth.login": (200, 302), "dashboard.home": (302, 302), "operations.healthz": (200, 200)}
# Routes that take the center they work on from the query string.
QUERY = {"photos.upload": "center_id", "documents.create": "center_id"}
# POST-only routes. Donors are read-only: every write is refused them (404 where even the record is not theirs to
# see). Listed here: the roles besides donors that must also be refused, and the status they get.
POST_REFUSED: dict[str, dict[str, int]] = {
    "users.reset_password": {"manager": 403, "engineer": 403},
    "centers.archive": {"engineer": 403},
    "centers.restore": {"engineer": 403},
    "projects.milestone_close": {"engineer": 403},
    "photos.delete": {"manager": 403, "engineer": 403},
    "photos.redact_view": {"manager": 403, "engineer": 403},
    # Making a large photo's copies again: its uploader (the demo engineer uploaded the walk's photo) or a manager.
    "photos.copies_retry": {},
    "documents.set_status": {"engineer": 403},
    "assessments.submit": {},
    "assessments.review": {},
    "assessments.revise": {},
    "assessments.finding_add": {},
    "assessments.finding_carry": {},
    "assessments.finding_delete": {},
    "assessments.photo_add": {},
    "assessment_admin.ensure_default": {"manager": 403, "engineer": 403},
    "assessment_admin.section_add": {"manager": 403, "engineer": 403},
    "assessment_admin.section_edit": {"manager": 403, "engineer": 403},
    "assessment_admin.question_add": {"manager": 403, "engineer": 403},
    "agreements.party_add": {"engineer": 403},
    "agreements.party_remove": {"engineer": 403},
    "agreements.commitment_add": {"engineer": 403},
    "agreements.commitment_remove": {"engineer": 403},
    "agreements.commitment_done": {},
    "agreements.commitment_reopen": {},
    "budgets.line_delete": {"engineer": 403},
    "budgets.entry_reverse": {"engineer": 403},
    "budgets.import_confirm": {"engineer": 403},
    "reports.retry": {"engineer": 403},
}
# Writes a donor may make: signing out, choosing a language, asking for files (photos, its portfolio).
DONOR_WRITES = {
    "auth.logout",
    "auth.set_language",
    "auth.change_password",
    "photos.download_zip",
    "exports.prepare_portfolio",
    "downloads.retry",
    "tokens.index",
    "tokens.revoke",
}
IGNORED = {"static", "bootstrap.static"}

# The JSON API (/api/v1) authenticates by bearer token only, never by the session cookie: the pages' walk above
# expects every API route to answer 401 to a signed-in browser (and to anonymous visitors), so a cookie alone can
# neither read nor write through the API. API_TOKEN is the API's own design, walked with a bearer token per role:
# the status each role gets from an empty request — reads of the walk's objects succeed for everyone (the demo
# donor funds the walk's project), writes are refused (403) to engineers and donors and, for those allowed, stop
# at validation (422: empty body) or at the missing If-Match (428). Nothing is written by the walk.
API_PUBLIC = {"api.openapi": 200, "api.tokens_create": 415}
API_TOKEN: dict[str, tuple[int, int, int, int]] = {
    "api.openapi": OK4,
    "api.tokens_create": (422, 422, 422, 422),
    "api.centers_list": OK4,
    "api.center_create": (422, 422, 403, 403),
    "api.center_get": OK4,
    "api.center_patch": (428, 428, 403, 403),
    "api.projects_list": OK4,
    "api.project_create": (422, 422, 403, 403),
    "api.project_get": OK4,
    "api.project_patch": (428, 428, 403, 403),
    "api.phases_list": OK4,
    "api.milestones_list": OK4,
    "api.milestone_create": (422, 422, 403, 403),
    "api.milestone_get": OK4,
    "api.milestone_patch": (428, 428, 403, 403),
    # Staff upload photos (415: the walk sends JSON, not multipart); donors are read-only.
    "api.photo_create": (415, 415, 415, 403),
    "api.project_iati": OK4,
    "api.budget_lines_list": OK4,
    "api.organizations_list": OK4,
    "api.agreements_list": OK4,
    "api.agreement_get": OK4,
    "api.reports_list": OK4,
    "api.report_create": (422, 422, 403, 403),
    # The walk's report is made for USAID, the demo donor's organization, and is built.
    "api.report_get": OK4,
    "api.report_file": OK4,
    "api.documents_list": OK4,
    "api.assessments_list": OK4,
    "api.expenditures_list": OK4,
    "api.agreement_create": (422, 422, 403, 403),
    # Every change to an agreement, its parties or its commitments needs the agreement's ETag (If-Match).
    "api.agreement_patch": (428, 428, 403, 403),
    "api.assessment_create": (422, 422, 422, 403),
    "api.assessment_get": OK4,
    # The walk's assessment is approved: read-only for everyone, administrators included.
    "api.assessment_patch": (403, 403, 403, 403),
    "api.assessment_review": (422, 422, 403, 403),
    "api.assessment_submit": (403, 403, 403, 403),
    "api.budget_line_create": (422, 422, 403, 403),
    "api.budget_line_delete": (428, 428, 403, 403),
    "api.budget_line_get": OK4,
    "api.budget_line_patch": (428, 428, 403, 403),
    "api.checklists_list": (200, 200, 200, 403),
    "api.commitment_add": (428, 428, 403, 403),
    "api.commitment_done": (428, 428, 428, 403),
    "api.commitment_remove": (428, 428, 403, 403),
    "api.commitment_reopen": (428, 428, 428, 403),
    # Documents are multipart uploads (415: the walk sends JSON).
    "api.document_create": (415, 415, 415, 403),
    "api.document_file": OK4,
    "api.document_get": OK4,
    "api.document_status_set": (422, 422, 403, 403),
    "api.document_version_add": (415, 415, 415, 403),
    "api.expenditure_create": (422, 422, 403, 403),
    "api.expenditure_get": OK4,
    "api.expenditure_reversal": (422, 422, 403, 403),
    "api.party_add": (428, 428, 403, 403),
    "api.party_remove": (428, 428, 403, 403),
    "api.phase_get": OK4,
    "api.phase_patch": (428, 428, 403, 403),
    "api.photo_get": OK4,
    "api.photo_image": OK4,
    "api.photos_list": OK4,
    "api.portfolio_iati": OK4,
    "api.portfolio_table": OK4,
    "api.portfolio_workbook": OK4,
    "api.portfolio_zip": OK4,
    "api.downloads_list": OK4,
    "api.download_create": (422, 422, 422, 422),
    # The walk's prepared download is the demo donor's: nobody else reaches it.
    "api.download_get": (404, 404, 404, 200),
    "api.download_file": (404, 404, 404, 200),
}


def _first(model: Any, *where: Any) -> int:
    value = db.session.scalar(select(model.id).where(*where).order_by(model.id))
    assert value is not None, f"no {model.__tablename__} in the demo data"
    return int(value)


def _arguments() -> dict[str, Any]:
    from app.agreements.models import Agreement, AgreementParty, Commitment
    from app.assessments.models import Assessment, ChecklistQuestion, ChecklistSection, ChecklistTemplate, Finding
    from app.auth.models import User
    from app.budgets.models import BudgetLine, Expenditure
    from app.centers.models import Center
    from app.documents.models import Document, DocumentVersion
    from app.downloads.models import Download
    from app.organizations.models import Organization
    from app.photos.models import Photo
    from app.projects.models import Milestone, Phase, Project
    from app.reports.models import Report

    project = _first(Project, Project.code == "CAMR-SPS-01")
    agreement = _first(Agreement, Agreement.project_id == project)
    assessment = _first(Assessment, Assessment.project_id == project)
    template = _first(ChecklistTemplate)
    section = _first(ChecklistSection, ChecklistSection.template_id == template)
    document = _first(Document, Document.project_id == project)
    return {
        "center_id": _first(Center, Center.code == "CAMR-SPS"),
        "project_id": project,
        "user_id": _first(User, User.email == "engineer@example.org"),
        "organization_id": _first(Organization, Organization.acronym == "DINAF"),
        "phase_id": _first(Phase, Phase.project_id == project),
        "milestone_id": _first(Milestone, Milestone.project_id == project),
        "photo_id": _first(Photo, Photo.project_id == project),
        "document_id": document,
        "version_id": _first(DocumentVersion, DocumentVersion.document_id == document),
        "assessment_id": assessment,
        "finding_id": _first(Finding, Finding.assessment_id == assessment),
        "template_id": template,
        "section_id": section,
        "question_id": _first(ChecklistQuestion, ChecklistQuestion.section_id == section),
        "agreement_id": agreement,
        "party_id": _first(AgreementParty, AgreementParty.agreement_id == agreement),
        "commitment_id": _first(Commitment, Commitment.agreement_id == agreement),
        "line_id": _first(BudgetLine, BudgetLine.project_id == project),
        "entry_id": _first(Expenditure, Expenditure.project_id == project),
        "report_id": _first(Report),
        "download_id": _first(Download),
        "kind": "portfolio_xlsx",
        "what": "budget",
        "fmt": "csv",
        "table": "projects",
    }


@pytest.fixture(scope="module")
def walk(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[tuple[Flask, dict[str, Any]]]:
    folder = tmp_path_factory.mktemp("walk")
    shutil.copy(sqlite_template, folder / "walk.db")
    app = create_app(base_config(folder, f"sqlite:///{folder / 'walk.db'}"))
    app.test_client_class = FormClient
    with app.app_context():
        from app.demo import load_demo
        from app.projects.models import Project

        load_demo(db.session())
        db.session.commit()
        project = db.session.scalar(select(Project).where(Project.code == "CAMR-SPS-01"))
        upload_photo(project, "walk.jpg")
        _donor_report(project)
        _donor_download()
        arguments = _arguments()
    yield app, arguments
    with app.app_context():
        db.engine.dispose()


def _donor_report(project: Any) -> None:
    """A finished report for USAID on the walk's project, built in this thread."""
    from datetime import date

    from app.core.enums import ReportScope, ReportSection
    from app.core.jobs.runner import run_job
    from app.organizations.models import Organization
    from app.reports.gather import ReportRequest
    from app.reports.services import report_create

    usaid = db.session.scalar(select(Organization.id).where(Organization.acronym == "USAID"))
    request = ReportRequest(
        scope=ReportScope.PROJECT,
        project_id=project.id,
        donor_id=usaid,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
        sections=(ReportSection.SUMMARY,),
    )
    report = report_create(db.session(), request)
    db.session.commit()
    from flask import current_app

    run_job(current_app._get_current_object(), report.job_id or 0)  # type: ignore[attr-defined]


def _donor_download() -> None:
    """A ZIP of the walk's photos, prepared for the demo donor and built in this thread."""
    from flask import current_app

    from app.auth.models import User
    from app.core.enums import DownloadKind
    from app.core.jobs.runner import run_job
    from app.downloads.services import download_create
    from app.photos.models import Photo

    donor = db.session.scalar(select(User).where(User.email == EMAILS["donor"]))
    assert donor is not None
    photos = list(db.session.scalars(select(Photo.id)))
    download = download_create(
        db.session(), donor, DownloadKind.PHOTOS_ZIP, {"photo_ids": photos}, language="en", base_url="http://localhost/"
    )
    db.session.commit()
    run_job(current_app._get_current_object(), download.job_id or 0)  # type: ignore[attr-defined]


def _client(app: Flask, role: str) -> Any:
    client = app.test_client()
    if role != "anon":
        response = client.post("/login", data={"email": EMAILS[role], "password": "rehabilita-demo"})
        assert response.status_code == 302, f"{role} could not sign in"
    return client


def _rules(app: Flask, method: str) -> list[Any]:
    return sorted(
        (r for r in app.url_map.iter_rules() if r.endpoint not in IGNORED and method in r.methods),
        key=lambda r: r.endpoint,
    )


def _url(app: Flask, rule: Any, arguments: dict[str, Any]) -> str:
    with app.test_request_context():
        from flask import url_for

        values = {name: arguments[name] for name in rule.arguments}
        if rule.endpoint in QUERY:
            values[QUERY[rule.endpoint]] = arguments[QUERY[rule.endpoint]]
        return url_for(rule.endpoint, **values, _external=False)


def test_every_route_is_in_the_design(walk: tuple[Flask, dict[str, Any]]) -> None:
    app, _ = walk
    designed = set(GET) | set(PUBLIC) | set(POST_REFUSED) | DONOR_WRITES | set(API_TOKEN)
    routes = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint not in IGNORED}
    gets_and_forms = {r.endpoint for r in _rules(app, "GET") if r.endpoint not in API_TOKEN}
    missing = sorted((routes - designed) | {e for e in gets_and_forms if e not in GET and e not in PUBLIC})
    assert not missing, f"routes without a designed answer: {missing}"


@pytest.mark.parametrize("role", ROLES)
def test_pages_answer_each_role_as_designed(walk: tuple[Flask, dict[str, Any]], role: str) -> None:
    app, arguments = walk
    client = _client(app, role)
    wrong = []
    for rule in _rules(app, "GET"):
        if rule.endpoint in API_TOKEN:
            expected = API_PUBLIC.get(rule.endpoint, 401)
        elif rule.endpoint in PUBLIC:
            expected = PUBLIC[rule.endpoint][0 if role == "anon" else 1]
        elif rule.endpoint not in GET:
            continue
        elif role == "anon":
            expected = 302
        else:
            expected = GET[rule.endpoint][ROLES.index(role) - 1]
        url = _url(app, rule, arguments)
        status = client.get(url).status_code
        if status != expected:
            wrong.append(f"{rule.endpoint} {url}: {status}, designed {expected}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", ["anon", "donor", "engineer", "manager"])
def test_writes_are_refused_to_those_not_allowed(walk: tuple[Flask, dict[str, Any]], role: str) -> None:
    app, arguments = walk
    client = _client(app, role)
    wrong = []
    for rule in _rules(app, "POST"):
        if rule.endpoint in ("auth.login",) or (role != "anon" and rule.endpoint in DONOR_WRITES):
            continue
        if rule.endpoint in API_TOKEN:
            # A signed-in browser's cookie does not open the API: every write is refused as unauthenticated.
            allowed = {API_PUBLIC.get(rule.endpoint, 401)}
        elif role == "anon":
            allowed = {302, 400} if rule.endpoint in ("auth.set_language",) else {302}
        elif role == "donor":
            allowed = {403, 404}
        else:
            refused = POST_REFUSED.get(rule.endpoint, {})
            if role not in refused and not (rule.endpoint in GET and GET[rule.endpoint][ROLES.index(role) - 1] == 403):
                continue
            allowed = {refused.get(role, 403)}
        url = _url(app, rule, arguments)
        status = client.post(url, data={}).status_code
        if status not in allowed:
            wrong.append(f"{rule.endpoint} {url}: {status}, designed {sorted(allowed)}")
    assert not wrong, "\n".join(wrong)


def _token(app: Flask, role: str) -> str:
    from app.api.tokens import token_create
    from app.auth.models import User

    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == EMAILS[role]))
        _token, secret = token_create(db.session(), user, f"walk {role}")
        db.session.commit()
    return secret


@pytest.mark.parametrize("role", ROLES)
def test_api_answers_each_role_as_designed(walk: tuple[Flask, dict[str, Any]], role: str) -> None:
    app, arguments = walk
    client = app.test_client()
    headers = {"Authorization": f"Bearer {_token(app, role)}"} if role != "anon" else {}
    wrong = []
    for rule in sorted((r for r in app.url_map.iter_rules() if r.endpoint in API_TOKEN), key=lambda r: r.endpoint):
        (method,) = rule.methods - {"HEAD", "OPTIONS"}
        if role == "anon":
            # Without a token only the description of the API and the token exchange answer (here: 422, no
            # e-mail or password in the empty body).
            expected = {"api.openapi": 200, "api.tokens_create": 422}.get(rule.endpoint, 401)
        else:
            expected = API_TOKEN[rule.endpoint][ROLES.index(role) - 1]
        url = _url(app, rule, arguments)
        body = None if method == "GET" else {}
        status = client.open(url, method=method, json=body, headers=headers).status_code
        if status != expected:
            wrong.append(f"{method} {rule.endpoint} {url}: {status}, designed {expected}")
    assert not wrong, "\n".join(wrong)
