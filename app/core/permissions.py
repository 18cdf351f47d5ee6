"""One permission predicate per action, used by views, templates and the API alike.

Each predicate takes the user (possibly anonymous) and the record, and answers yes or no. Views call
:func:`require` with the answer; templates call the same predicates to decide what to show.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from flask import Flask, abort

from app.core.enums import Role

if TYPE_CHECKING:
    from app.agreements.models import Agreement, Commitment
    from app.assessments.models import Assessment, Finding
    from app.centers.models import Center
    from app.documents.models import Document
    from app.downloads.models import Download
    from app.photos.models import Photo
    from app.projects.models import Milestone, Project
    from app.reports.models import Report

STAFF = (Role.ADMIN, Role.MANAGER, Role.ENGINEER)
STEERING = (Role.ADMIN, Role.MANAGER)


class Principal(Protocol):
    is_authenticated: bool
    role: Role
    organization_id: int | None
    id: int


def _is(user: Any, *roles: Role) -> bool:
    return bool(user is not None and user.is_authenticated and user.role in roles)


def require(allowed: bool) -> None:
    """Stop the request with 403 unless the predicate allowed it."""
    if not allowed:
        abort(403)


# --- administration -------------------------------------------------------------------------------------
def can_manage_users(user: Any) -> bool:
    return _is(user, Role.ADMIN)


def can_view_audit_log(user: Any) -> bool:
    return _is(user, Role.ADMIN)


def can_manage_organizations(user: Any) -> bool:
    return _is(user, Role.ADMIN)


def can_override_gate(user: Any) -> bool:
    return _is(user, Role.ADMIN)


# --- centers --------------------------------------------------------------------------------------------
def can_list_centers(user: Any) -> bool:
    return _is(user, *STAFF, Role.DONOR)


def can_view_center(user: Any, center: Center) -> bool:
    if _is(user, *STAFF):
        return True
    if _is(user, Role.DONOR):
        return any(can_view_project(user, project) for project in center.projects)
    return False


def can_edit_center(user: Any, center: Center | None = None) -> bool:
    return _is(user, *STEERING)


# --- projects -------------------------------------------------------------------------------------------
def can_list_projects(user: Any) -> bool:
    return _is(user, *STAFF, Role.DONOR)


def can_view_project(user: Any, project: Project) -> bool:
    if _is(user, *STAFF):
        return True
    if _is(user, Role.DONOR) and user.organization_id is not None:
        return user.organization_id in project.funder_ids
    return False


def can_create_project(user: Any) -> bool:
    return _is(user, *STEERING)


def can_edit_project(user: Any, project: Project) -> bool:
    return _is(user, *STEERING)


def can_change_phase(user: Any, project: Project) -> bool:
    return _is(user, *STEERING)


def can_log_milestone(user: Any, project: Project) -> bool:
    return _is(user, *STEERING)


def can_edit_milestone(user: Any, milestone: Milestone) -> bool:
    return _is(user, *STEERING)


def can_record_progress(user: Any, project: Project) -> bool:
    return _is(user, *STAFF)


# --- photos ---------------------------------------------------------------------------------------------
def can_upload_photo(user: Any, center: Center) -> bool:
    return _is(user, *STAFF)


def can_view_photo(user: Any, photo: Photo) -> bool:
    """Staff see every photo; a donor only shareable photos of projects it funds."""
    if _is(user, *STAFF):
        return True
    if _is(user, Role.DONOR) and photo.project is not None and photo.may_leave_app:
        return can_view_project(user, photo.project)
    return False


def can_view_photo_original(user: Any, photo: Photo) -> bool:
    return _is(user, *STAFF)


def can_edit_photo(user: Any, photo: Photo) -> bool:
    if _is(user, *STEERING):
        return True
    return _is(user, Role.ENGINEER) and photo.created_by_id == user.id


def can_redact_photo(user: Any, photo: Photo) -> bool:
    return _is(user, Role.ADMIN)


def can_delete_photo(user: Any, photo: Photo) -> bool:
    return _is(user, Role.ADMIN)


# --- documents ------------------------------------------------------------------------------------------
def can_upload_document(user: Any) -> bool:
    return _is(user, *STAFF)


def can_view_document(user: Any, document: Document) -> bool:
    if _is(user, *STAFF):
        return True
    if _is(user, Role.DONOR) and document.project is not None and document.status.value != "draft":
        return can_view_project(user, document.project)
    return False


def can_set_document_status(user: Any, document: Document) -> bool:
    return _is(user, *STEERING)


# --- budgets --------------------------------------------------------------------------------------------
def can_view_budget(user: Any, project: Project) -> bool:
    """Staff see every budget; a donor only the budgets of projects it funds, and there only the lines it funds
    (the budget services narrow the lines by ``budget_funder_scope``)."""
    return _is(user, *STAFF) or (_is(user, Role.DONOR) and can_view_project(user, project))


def budget_funder_scope(user: Any) -> int | None:
    """The funder whose lines alone ``user`` may see, or None for every line (staff)."""
    if _is(user, *STAFF):
        return None
    return int(user.organization_id) if _is(user, Role.DONOR) and user.organization_id is not None else -1


def can_edit_budget(user: Any, project: Project) -> bool:
    return _is(user, *STEERING)


def can_record_expenditure(user: Any, project: Project) -> bool:
    return _is(user, *STEERING)


def can_manage_exchange_rates(user: Any) -> bool:
    return _is(user, Role.ADMIN)


# --- partnership agreements -----------------------------------------------------------------------------
def can_list_agreements(user: Any) -> bool:
    return _is(user, *STAFF, Role.DONOR)


def can_view_agreement(user: Any, agreement: Agreement) -> bool:
    """Staff see every agreement; a donor only signed agreements of projects its organization funds."""
    from app.core.enums import AgreementStatus

    if _is(user, *STAFF):
        return True
    if _is(user, Role.DONOR) and agreement.status is AgreementStatus.SIGNED and agreement.project is not None:
        return can_view_project(user, agreement.project)
    return False


def can_edit_agreement(user: Any, agreement: Agreement | None = None) -> bool:
    """The agreement itself, its parties and its commitments."""
    return _is(user, *STEERING)


def can_mark_commitment_done(user: Any, commitment: Commitment) -> bool:
    return _is(user, *STAFF)


# --- assessments ----------------------------------------------------------------------------------------
def can_list_assessments(user: Any) -> bool:
    return _is(user, *STAFF, Role.DONOR)


def can_view_assessment(user: Any, assessment: Assessment) -> bool:
    """Staff see every assessment; a donor only approved assessments of projects its organization funds."""
    from app.core.enums import AssessmentStatus

    if _is(user, *STAFF):
        return True
    if _is(user, Role.DONOR) and assessment.status is AssessmentStatus.APPROVED and assessment.project is not None:
        return can_view_project(user, assessment.project)
    return False


def can_create_assessment(user: Any) -> bool:
    return _is(user, *STAFF)


def can_edit_assessment(user: Any, assessment: Assessment) -> bool:
    """Its author (or an administrator), and only while it is a draft or was returned with comments."""
    if not assessment.editable:
        return False
    return _is(user, Role.ADMIN) or (_is(user, *STAFF) and assessment.author_id == user.id)


def can_review_assessment(user: Any, assessment: Assessment) -> bool:
    """A manager or an administrator who is not its author: nobody approves their own assessment."""
    return _is(user, *STEERING) and assessment.author_id != user.id


def can_revise_assessment(user: Any, assessment: Assessment) -> bool:
    return _is(user, *STAFF)


def can_carry_finding(user: Any, finding: Finding) -> bool:
    """Turn a finding into a work item of a project's design phase."""
    return _is(user, *STEERING)


def can_manage_templates(user: Any) -> bool:
    """Checklist templates and the standards capacity is measured against."""
    return _is(user, Role.ADMIN)


def can_view_staff_only_data(user: Any) -> bool:
    """Exact positions, personal data of staff: never shown to donors."""
    return _is(user, *STAFF)


# --- organizations --------------------------------------------------------------------------------------
def can_list_organizations(user: Any) -> bool:
    """Read the register of organizations (names, acronyms, IATI identifiers): every page that shows a project
    names its funders and parties, so whoever may see projects may resolve those names; changing it is
    :func:`can_manage_organizations`."""
    return _is(user, *STAFF, Role.DONOR)


# --- API ------------------------------------------------------------------------------------------------
def can_manage_own_tokens(user: Any) -> bool:
    """Create, list and revoke one's own personal access tokens (the API then applies the same predicates)."""
    return _is(user, *STAFF, Role.DONOR)


# --- dashboard ------------------------------------------------------------------------------------------
def can_receive_notifications(user: Any) -> bool:
    """Due and overdue milestones in the app and by e-mail: staff only (donors follow reports)."""
    return _is(user, *STAFF)


# --- exports --------------------------------------------------------------------------------------------
def can_export(user: Any) -> bool:
    """Download the portfolio (IATI XML, XLSX, CSV): staff every project, a donor the projects it funds (the
    export services narrow what goes in, as the lists do)."""
    return _is(user, *STAFF, Role.DONOR)


def can_export_project(user: Any, project: Project) -> bool:
    return can_export(user) and can_view_project(user, project)


# --- donor reports --------------------------------------------------------------------------------------
def can_list_reports(user: Any) -> bool:
    return _is(user, *STAFF, Role.DONOR)


def can_generate_report(user: Any) -> bool:
    """Choose, write and build a donor progress report (and try again one that failed)."""
    return _is(user, *STEERING)


def can_view_report(user: Any, report: Report) -> bool:
    """Staff see every report; a donor only the reports made for its organization (which cover only what it
    funds)."""
    if _is(user, *STAFF):
        return True
    return bool(_is(user, Role.DONOR) and user.organization_id is not None and report.donor_id == user.organization_id)


# --- prepared downloads ---------------------------------------------------------------------------------
def can_list_downloads(user: Any) -> bool:
    return _is(user, *STAFF, Role.DONOR)


def can_view_download(user: Any, download: Download) -> bool:
    """A prepared file is its asker's alone: it was built with their permissions, which others may not have."""
    return bool(can_list_downloads(user) and download.user_id == user.id)


PREDICATES = {name: fn for name, fn in globals().items() if name.startswith("can_") and callable(fn)}


def register_permission_globals(app: Flask) -> None:
    app.jinja_env.globals.update(PREDICATES)
