"""Assessment pages as each role uses them: engineers record, managers review, donors read, admins set standards."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.assessments import findings, services
from app.assessments.models import Answer, Assessment, ChecklistQuestion, ChecklistSection, ChecklistTemplate, Finding
from app.auth.models import User
from app.core.audit.models import AuditEntry
from app.core.audit.recorder import acting_as
from app.core.enums import AnswerType, AssessmentStatus, Role, Severity
from app.extensions import db
from app.photos.models import Photo
from tests.assessments.conftest import CROWDED, approved_assessment, make_site, new_assessment, question_of, save
from tests.conftest import login
from tests.factories import make_user
from tests.photos.conftest import make_jpeg


def _sign_in(client: FlaskClient, email: str) -> None:
    login(client, email)
    client.post("/language", data={"lang": "en"})


def _ids(app: Flask, **kwargs: Any) -> dict[str, int]:
    """A site with a draft (by the engineer), a submitted and an approved assessment; their ids."""
    with app.app_context():
        site = make_site()
        draft = new_assessment(site)
        submitted = new_assessment(site, on="2025-03-05")
        services.assessment_submit(db.session, submitted)
        db.session.commit()
        approved = approved_assessment(site, CROWDED, on="2025-02-01")
        return {
            "center": site.center_id,
            "project": site.project_id,
            "template": site.template_id,
            "draft": draft.id,
            "submitted": submitted.id,
            "approved": approved.id,
            "score_q": question_of(draft, AnswerType.SCORE).id,
            "number_q": question_of(draft, AnswerType.NUMBER).id,
            "yes_no_q": question_of(draft, AnswerType.YES_NO, evidence=True).id,
        }


def _edit_data(**changes: Any) -> dict[str, Any]:
    return {"assessed_on": "2025-03-02", "summary": "", **changes}


def _status(app: Flask, assessment_id: int) -> AssessmentStatus:
    with app.app_context():
        return db.session.get(Assessment, assessment_id).status


def test_new_assessment_page_creates_the_default_checklist_once(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        make_user(Role.ENGINEER, email="eng@example.org")
        from tests.factories import make_center

        center_id = make_center().id
    _sign_in(client, "eng@example.org")
    assert client.get(f"/assessments/new?center_id={center_id}").status_code == 200
    assert client.get("/assessments/new").status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ChecklistTemplate)) == 1
        template_id = db.session.scalar(select(ChecklistTemplate.id))
    response = client.post(
        "/assessments/new",
        data={
            "center_id": center_id,
            "project_id": 0,
            "assessment_type": "working_model",
            "template_id": template_id,
            "assessed_on": "2025-03-02",
        },
    )
    assert response.status_code == 302 and "/edit" in response.headers["Location"]


def test_engineer_fills_in_an_assessment_and_submits_it(app: Flask, client: FlaskClient) -> None:
    ids = _ids(app)
    _sign_in(client, "eng@example.org")
    page = client.get(f"/assessments/{ids['draft']}/edit").get_data(as_text=True)
    assert "Toilets are separated by sex and clearly signposted." in page  # English text of the checklist
    assert "An evidence photo is required and none is linked yet." in page
    response = client.post(
        f"/assessments/{ids['draft']}/edit",
        data=_edit_data(
            occupancy_peak="50",
            toilets="2",
            covered_area_m2="150.5",
            **{f"q_{ids['score_q']}": "3", f"c_{ids['score_q']}": "small leaks", f"q_{ids['yes_no_q']}": "no"},
        ),
    )
    assert response.status_code == 302
    response = client.post(
        f"/assessments/{ids['draft']}/findings",
        data={"description": "No bolts", "severity": "high", "cost_estimate": "120.50", "currency": "HNL"},
    )
    assert response.status_code == 302
    response = client.post(
        f"/assessments/{ids['draft']}/edit", data=_edit_data(occupancy_peak="50", toilets="2", submit_for_review="1")
    )
    assert response.status_code == 302
    with app.app_context():
        assessment = db.session.get(Assessment, ids["draft"])
        assert assessment.status is AssessmentStatus.SUBMITTED
        assert (assessment.occupancy_peak, assessment.toilets) == (50, 2)
        assert assessment.answer_for(ids["score_q"]).value_int == 3
        assert assessment.answer_for(ids["yes_no_q"]).value_bool is False
        finding = assessment.findings[0]
        assert (finding.cost_estimate, finding.currency) == (Decimal("120.50"), "HNL")
    # Submitted: the author can no longer edit.
    assert client.get(f"/assessments/{ids['draft']}/edit").status_code == 403


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("toilets", "-4", "Cannot be negative."),
        ("occupancy_peak", "many", "Not a valid integer value."),
        ("water_litres_per_day", "12,5 litres", "Not a valid decimal value."),
        ("score", "5", "A score goes from 0 to 4."),
        ("number", "-1", "Cannot be negative."),
        ("yes_no", "maybe", "Answer yes or no."),
    ],
)
def test_bad_input_is_refused_on_its_field_and_nothing_is_saved(
    app: Flask, client: FlaskClient, field: str, value: str, message: str
) -> None:
    ids = _ids(app)
    _sign_in(client, "eng@example.org")
    name = {"score": f"q_{ids['score_q']}", "number": f"q_{ids['number_q']}", "yes_no": f"q_{ids['yes_no_q']}"}.get(
        field, field
    )
    good_score = {} if field == "score" else {f"q_{ids['score_q']}": "2"}
    response = client.post(
        f"/assessments/{ids['draft']}/edit",
        data=_edit_data(summary="typed text", showers="3", **good_score, **{name: value}),
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert "typed text" in page  # what the user typed is kept
    with app.app_context():
        assessment = db.session.get(Assessment, ids["draft"])
        assert assessment.showers is None and assessment.summary == ""
        assert (
            db.session.scalar(select(func.count()).select_from(Answer).where(Answer.assessment_id == ids["draft"])) == 0
        )


def test_more_accessible_toilets_than_toilets_is_refused_by_the_service(app: Flask, client: FlaskClient) -> None:
    ids = _ids(app)
    _sign_in(client, "eng@example.org")
    response = client.post(f"/assessments/{ids['draft']}/edit", data=_edit_data(toilets="2", accessible_toilets="3"))
    assert response.status_code == 400
    assert "There cannot be more accessible toilets than toilets." in response.get_data(as_text=True)


def test_engineer_cannot_review_and_manager_approves(app: Flask, client: FlaskClient) -> None:
    ids = _ids(app)
    _sign_in(client, "eng@example.org")
    page = client.get(f"/assessments/{ids['submitted']}").get_data(as_text=True)
    assert 'name="decision"' not in page
    assert client.post(f"/assessments/{ids['submitted']}/review", data={"decision": "approve"}).status_code == 403
    assert _status(app, ids["submitted"]) is AssessmentStatus.SUBMITTED

    client.post("/logout", data={})
    _sign_in(client, "mgr@example.org")
    assert 'name="decision"' in client.get(f"/assessments/{ids['submitted']}").get_data(as_text=True)
    assert client.post(f"/assessments/{ids['submitted']}/review", data={"decision": "approve"}).status_code == 302
    assert _status(app, ids["submitted"]) is AssessmentStatus.APPROVED


def test_manager_cannot_review_their_own_assessment(app: Flask, client: FlaskClient) -> None:
    ids = _ids(app)
    with app.app_context():
        manager = db.session.scalar(select(User).where(User.email == "mgr@example.org"))
        assessment = db.session.get(Assessment, ids["submitted"])
        assessment.author_id = manager.id
        db.session.commit()
    _sign_in(client, "mgr@example.org")
    assert client.post(f"/assessments/{ids['submitted']}/review", data={"decision": "approve"}).status_code == 403
    assert _status(app, ids["submitted"]) is AssessmentStatus.SUBMITTED


def test_returning_without_a_comment_is_refused(app: Flask, client: FlaskClient) -> None:
    ids = _ids(app)
    _sign_in(client, "mgr@example.org")
    response = client.post(f"/assessments/{ids['submitted']}/review", data={"decision": "return", "comment": " "})
    assert response.status_code == 400
    assert "Say what must change before the assessment can be approved." in response.get_data(as_text=True)
    assert _status(app, ids["submitted"]) is AssessmentStatus.SUBMITTED
    response = client.post(
        f"/assessments/{ids['submitted']}/review", data={"decision": "return", "comment": "Count the taps"}
    )
    assert response.status_code == 302
    assert _status(app, ids["submitted"]) is AssessmentStatus.RETURNED


def test_approved_assessment_cannot_be_edited_only_revised(app: Flask, client: FlaskClient) -> None:
    ids = _ids(app)
    _sign_in(client, "eng@example.org")
    assert client.get(f"/assessments/{ids['approved']}/edit").status_code == 403
    assert client.post(f"/assessments/{ids['approved']}/edit", data=_edit_data(toilets="99")).status_code == 403
    assert (
        client.post(
            f"/assessments/{ids['approved']}/findings", data={"description": "x", "severity": "low"}
        ).status_code
        == 403
    )
    response = client.post(f"/assessments/{ids['approved']}/revise", data={})
    assert response.status_code == 302
    revision_id = int(re.search(r"/assessments/(\d+)/edit", response.headers["Location"]).group(1))
    with app.app_context():
        assert db.session.get(Assessment, ids["approved"]).toilets == 8
        revision = db.session.get(Assessment, revision_id)
        assert revision.supersedes_id == ids["approved"] and revision.status is AssessmentStatus.DRAFT


def test_donor_reads_approved_assessments_of_funded_projects_only(app: Flask, client: FlaskClient) -> None:
    ids = _ids(app)
    with app.app_context():
        make_user(Role.DONOR, email="stranger@example.org")
    _sign_in(client, "donor@example.org")
    page = client.get(f"/assessments/{ids['approved']}").get_data(as_text=True)
    assert "Capacity against standards" in page
    assert "Elena Ingeniera" not in page and "Mario Gerente" not in page  # no staff names
    assert "Revise" not in page and "/edit" not in page
    for hidden in ("draft", "submitted"):
        assert client.get(f"/assessments/{ids[hidden]}").status_code == 404
    listing = client.get("/assessments/").get_data(as_text=True)
    assert f'/assessments/{ids["approved"]}"' in listing
    assert f'/assessments/{ids["draft"]}"' not in listing
    assert client.post(f"/assessments/{ids['approved']}/revise", data={}).status_code == 403
    assert client.get("/assessments/new").status_code == 403
    client.post("/logout", data={})
    _sign_in(client, "stranger@example.org")
    assert client.get(f"/assessments/{ids['approved']}").status_code == 404
    assert client.get(f"/assessments/?center_id={ids['center']}").status_code == 404
    assert "CAMR-SPS" not in client.get("/assessments/").get_data(as_text=True)  # not even in the center filter


@pytest.mark.parametrize(
    ("email", "status"),
    [("admin@example.org", 200), ("mgr@example.org", 403), ("eng@example.org", 403), ("donor@example.org", 403)],
)
def test_only_administrators_manage_checklists_and_standards(
    app: Flask, client: FlaskClient, email: str, status: int
) -> None:
    ids = _ids(app)
    _sign_in(client, email)
    for path in ("/admin/checklists/", f"/admin/checklists/{ids['template']}", "/admin/checklists/standards"):
        assert client.get(path).status_code == status


def test_admin_changes_a_standard_and_the_assessment_shows_the_new_verdict(app: Flask, client: FlaskClient) -> None:
    ids = _ids(app)
    with app.app_context():
        assessment = db.session.get(Assessment, ids["draft"])
        save(assessment, services.Figures(occupancy_peak=36, toilets=2))  # 18 persons per toilet
    _sign_in(client, "admin@example.org")
    verdict = re.compile(r'data-indicator="persons_per_toilet" data-ok="(\w+)"')
    assert verdict.search(client.get(f"/assessments/{ids['draft']}").get_data(as_text=True)).group(1) == "yes"
    form = client.get("/admin/checklists/standards").get_data(as_text=True)
    assert 'value="20.00"' in form
    values = {
        "persons_per_toilet": "15",
        "persons_per_shower": "50",
        "persons_per_tap": "250",
        "litres_per_person_day": "15",
        "covered_area_per_person": "3.5",
        "accessible_toilet_share": "15",
    }
    assert client.post("/admin/checklists/standards", data={**values, "persons_per_tap": "-1"}).status_code == 400
    assert client.post("/admin/checklists/standards", data=values).status_code == 302
    page = client.get(f"/assessments/{ids['draft']}").get_data(as_text=True)
    assert verdict.search(page).group(1) == "no"
    assert "≤ 15" in page


def test_admin_edits_a_checklist(app: Flask, client: FlaskClient) -> None:
    ids = _ids(app)
    _sign_in(client, "admin@example.org")
    base = f"/admin/checklists/{ids['template']}"
    assert client.post(f"{base}/sections", data={"title_es": "Lavandería", "title_en": ""}).status_code == 400
    assert client.post(f"{base}/sections", data={"title_es": "Lavandería", "title_en": "Laundry"}).status_code == 302
    with app.app_context():
        section = db.session.scalar(select(ChecklistSection).where(ChecklistSection.title_en == "Laundry"))
        section_id = section.id
    response = client.post(
        f"{base}/sections/{section_id}/questions",
        data={"text_es": "¿Hay lavadoras?", "text_en": "Are there washing machines?", "answer_type": "yes_no"},
    )
    assert response.status_code == 302
    response = client.post(
        f"{base}/sections/{section_id}", data={"title_es": "Lavandería", "title_en": "Laundry room", "position": "20"}
    )
    assert response.status_code == 302
    with app.app_context():
        question = db.session.scalar(select(ChecklistQuestion).where(ChecklistQuestion.section_id == section_id))
        question_id = question.id
        assert db.session.get(ChecklistSection, section_id).title_en == "Laundry room"
    response = client.post(
        f"/admin/checklists/questions/{question_id}",
        data={
            "text_es": "¿Hay lavadoras?",
            "text_en": "Washing machines work",
            "answer_type": "score",
            "evidence_photo_required": "y",
            "position": "1",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        question = db.session.get(ChecklistQuestion, question_id)
        assert question.answer_type is AnswerType.SCORE and question.evidence_photo_required
        assert question.active is False  # the box was not ticked: deactivated
    assert "Laundry room" in client.get(base).get_data(as_text=True)


def test_evidence_photo_links_to_the_question_and_clears_the_warning(app: Flask, client: FlaskClient) -> None:
    ids = _ids(app)
    _sign_in(client, "eng@example.org")
    anchor = f'href="/assessments/{ids["draft"]}/edit?target=q-{ids["yes_no_q"]}#photos"'
    assert anchor in client.get(f"/assessments/{ids['draft']}/edit").get_data(as_text=True)
    response = client.post(
        f"/assessments/{ids['draft']}/photos",
        data={"target": f"q-{ids['yes_no_q']}", "caption": "Baños", "photo": (io.BytesIO(make_jpeg()), "bano.jpg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    with app.app_context():
        photo = db.session.scalar(select(Photo))
        assert photo.assessment_id == ids["draft"] and photo.project_id == ids["project"]
        answer = db.session.get(Assessment, ids["draft"]).answer_for(ids["yes_no_q"])
        assert answer.evidence_photo_id == photo.id
    assert anchor not in client.get(f"/assessments/{ids['draft']}/edit").get_data(as_text=True)
    # The same photo sent again for a finding is linked to it, not stored twice.
    client.post(f"/assessments/{ids['draft']}/findings", data={"description": "No bolts", "severity": "high"})
    with app.app_context():
        finding_id = db.session.scalar(select(Finding.id))
    again = client.post(
        f"/assessments/{ids['draft']}/photos",
        data={"target": f"f-{finding_id}", "photo": (io.BytesIO(make_jpeg()), "again.jpg")},
        content_type="multipart/form-data",
    )
    assert again.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Photo.finding_id)) == finding_id
    refused = client.post(
        f"/assessments/{ids['draft']}/photos",
        data={"target": "", "photo": (io.BytesIO(b"<html>no</html>"), "x.jpg")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Photo)) == 1


def test_a_stale_edit_shows_both_versions_and_saves_nothing(app: Flask, client: FlaskClient) -> None:
    ids = _ids(app)
    _sign_in(client, "eng@example.org")
    with app.app_context():
        read_version = db.session.get(Assessment, ids["draft"]).version
        with acting_as(None):
            save(db.session.get(Assessment, ids["draft"]), services.Figures(toilets=4))
    response = client.post(f"/assessments/{ids['draft']}/edit", data=_edit_data(version=str(read_version), toilets="9"))
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "This record was changed by someone else while you edited it." in page
    assert 'value="9"' in page
    with app.app_context():
        assert db.session.get(Assessment, ids["draft"]).toilets == 4


def test_manager_carries_a_finding_into_the_projects_design(app: Flask, client: FlaskClient) -> None:
    ids = _ids(app)
    with app.app_context():
        revision = services.assessment_revise(
            db.session,
            db.session.get(Assessment, ids["approved"]),
            author_id=db.session.get(Assessment, ids["draft"]).author_id,
        )
        findings.finding_add(
            db.session,
            revision,
            findings.FindingValues("No ramp", "Entrance", Severity.CRITICAL, "Build a ramp", None, "USD"),
        )
        services.assessment_submit(db.session, revision)
        manager = db.session.scalar(select(User).where(User.email == "mgr@example.org"))
        services.assessment_approve(db.session, revision, reviewer_id=manager.id)
        db.session.commit()
        revision_id, finding_id = revision.id, revision.findings[0].id
    _sign_in(client, "eng@example.org")
    url = f"/assessments/{revision_id}/findings/{finding_id}/carry"
    assert client.post(url, data={"project_id": ids["project"]}).status_code == 403
    client.post("/logout", data={})
    _sign_in(client, "mgr@example.org")
    assert "Make it a work item" in client.get(f"/assessments/{revision_id}").get_data(as_text=True)
    assert client.post(url, data={"project_id": ids["project"]}).status_code == 302
    with app.app_context():
        assert [f.id for f in findings.work_items_for_project(db.session, ids["project"])] == [finding_id]
        assert db.session.get(Finding, finding_id).carried_at is not None
    assert "Work items carried into design" in client.get(f"/assessments/{revision_id}").get_data(as_text=True)


def test_spanish_users_see_the_checklist_in_spanish(app: Flask, client: FlaskClient) -> None:
    ids = _ids(app)
    login(client, "eng@example.org")
    client.post("/language", data={"lang": "es"})
    page = client.get(f"/assessments/{ids['draft']}/edit").get_data(as_text=True)
    assert "Los servicios sanitarios están separados por sexo y señalizados." in page
    assert "Toilets are separated by sex and clearly signposted." not in page


def test_engineer_edits_and_deletes_a_finding_of_a_draft(app: Flask, client: FlaskClient) -> None:
    ids = _ids(app)
    _sign_in(client, "eng@example.org")
    client.post(f"/assessments/{ids['draft']}/findings", data={"description": "Leak", "severity": "medium"})
    with app.app_context():
        finding_id = db.session.scalar(select(Finding.id))
    url = f"/assessments/{ids['draft']}/findings/{finding_id}"
    assert "Leak" in client.get(url).get_data(as_text=True)
    refused = client.post(url, data={"description": "Leak", "severity": "medium", "cost_estimate": "-5"})
    assert refused.status_code == 400 and "Cannot be negative." in refused.get_data(as_text=True)
    saved = client.post(url, data={"description": "Roof leak", "severity": "high", "currency": "HNL"})
    assert saved.status_code == 302
    with app.app_context():
        assert db.session.get(Finding, finding_id).description == "Roof leak"
    assert client.post(f"{url}/delete", data={}).status_code == 302
    with app.app_context():
        assert db.session.get(Finding, finding_id) is None
        deleted = db.session.scalar(
            select(AuditEntry).where(AuditEntry.entity_type == "assessment_findings", AuditEntry.action == "delete")
        )
        assert deleted is not None and deleted.center_id == ids["center"]  # in the center's activity feed
