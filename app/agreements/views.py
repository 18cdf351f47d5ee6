"""Pages of the agreements feature: list, agreement page with its parties and commitments, and the forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers.response import Response

from app.agreements import (
    gates,  # noqa: F401  (registers the partnership phase's gate)
    services,
)
from app.agreements.forms import (
    AgreementForm,
    CommitmentDoneForm,
    CommitmentForm,
    ConfirmForm,
    PartyForm,
    agreement_filter_from_args,
)
from app.agreements.models import Agreement, AgreementParty, Commitment
from app.centers.models import Center
from app.core.enums import AgreementKind, AgreementStatus, DocumentKind, PartyRole
from app.core.errors import Conflict, DomainError
from app.core.inputs import record_id
from app.core.permissions import (
    can_edit_agreement,
    can_list_agreements,
    can_mark_commitment_done,
    can_view_agreement,
    require,
)
from app.core.timeutil import today
from app.documents.models import Document
from app.extensions import db
from app.organizations.models import Organization
from app.projects.forms import conflict_rows
from app.projects.models import Project

bp = Blueprint("agreements", __name__, url_prefix="/agreements", template_folder="templates")

CONFLICT_STATUS = 409
NONE_CHOICE = (0, "—")


# --- helpers --------------------------------------------------------------------------------------------
def _visible_agreement(agreement_id: int) -> Agreement:
    agreement = services.agreement_for_page(db.session(), agreement_id) or abort(404)
    require(can_view_agreement(current_user, agreement))
    return agreement


def _commitment_of(agreement: Agreement, commitment_id: int) -> Commitment:
    commitment = next((c for c in agreement.commitments if c.id == commitment_id), None)
    return commitment or abort(404)


def _put_error(form: FlaskForm, error: DomainError, default: str) -> None:
    """Show a service's refusal on the field it names (or on ``default``), keeping what the user typed."""
    field = form._fields.get(error.field or "") or form[default]
    field.errors = [*field.errors, error.message]


def _organization_choices() -> list[tuple[int, str]]:
    organizations = db.session.scalars(select(Organization).order_by(Organization.acronym))
    return [(org.id, f"{org.acronym} — {org.name}") for org in organizations]


def _agreement_choices(form: AgreementForm, agreement: Agreement | None = None) -> None:
    current_center = agreement.center_id if agreement else 0
    centers = db.session.scalars(
        select(Center).where(Center.archived_at.is_(None) | (Center.id == current_center)).order_by(Center.code)
    )
    form.center_id.choices = [(center.id, f"{center.code} — {center.name}") for center in centers]
    projects = db.session.scalars(select(Project).order_by(Project.code))
    form.project_id.choices = [NONE_CHOICE] + [(p.id, f"{p.code} — {p.title}") for p in projects]
    documents = db.session.scalars(
        select(Document).where(Document.kind == DocumentKind.AGREEMENT).order_by(Document.title)
    )
    form.document_id.choices = [NONE_CHOICE] + [
        (doc.id, f"{doc.center.code} · {doc.title} ({doc.status.label})") for doc in documents
    ]


def _commitment_choices(form: CommitmentForm, agreement: Agreement) -> None:
    parties = sorted(agreement.parties, key=lambda party: party.organization.acronym)
    form.organization_id.choices = [(p.organization_id, p.organization.acronym) for p in parties]


def _show_page(
    agreement: Agreement,
    party_form: PartyForm | None = None,
    commitment_form: CommitmentForm | None = None,
    status: int = 200,
) -> tuple[str, int]:
    if party_form is None:
        party_form = PartyForm(formdata=None)
        party_form.role.data = PartyRole.SIGNATORY.value
    taken = agreement.party_ids()
    party_form.organization_id.choices = [c for c in _organization_choices() if c[0] not in taken]
    if commitment_form is None:
        commitment_form = CommitmentForm(formdata=None)
    _commitment_choices(commitment_form, agreement)
    page = render_template(
        "agreements/show.html",
        agreement=agreement,
        parties=sorted(agreement.parties, key=lambda party: (party.role.value, party.organization.acronym)),
        party_form=party_form,
        commitment_form=commitment_form,
        today=today(),
    )
    return page, status


# --- lists ----------------------------------------------------------------------------------------------
@bp.get("/")
@login_required
def index() -> str:
    require(can_list_agreements(current_user))
    filters = agreement_filter_from_args(request.args)
    page = db.paginate(
        services.agreements_filtered_query(current_user, filters),
        per_page=current_app.config["ITEMS_PER_PAGE"],
        error_out=False,
    )
    visible = services.agreements_visible_query(current_user)
    centers = db.session.scalars(
        select(Center).where(Center.id.in_(visible.with_only_columns(Agreement.center_id))).order_by(Center.code)
    )
    parties = db.session.scalars(
        select(Organization)
        .where(
            Organization.id.in_(
                select(AgreementParty.organization_id).where(
                    AgreementParty.agreement_id.in_(visible.with_only_columns(Agreement.id))
                )
            )
        )
        .order_by(Organization.acronym)
    )
    return render_template(
        "agreements/index.html",
        page=page,
        filters=filters,
        centers=list(centers),
        parties=list(parties),
        statuses=list(AgreementStatus),
        kinds=list(AgreementKind),
        today=today(),
    )


# --- agreements -----------------------------------------------------------------------------------------
@bp.route("/new", methods=["GET", "POST"])
@login_required
def create() -> str | Response:
    require(can_edit_agreement(current_user))
    form = AgreementForm()
    _agreement_choices(form)
    if request.method == "GET":
        form.center_id.data = request.args.get("center_id", type=record_id) or 0
        form.project_id.data = request.args.get("project_id", type=record_id) or 0
        form.status.data = AgreementStatus.DRAFT.value
    if form.validate_on_submit():
        try:
            agreement = services.agreement_create(db.session(), form.values())
        except DomainError as error:
            db.session.rollback()
            _put_error(form, error, "code")
        else:
            db.session.commit()
            flash(_("Agreement %(code)s registered; add its parties below.", code=agreement.code), "success")
            return redirect(url_for("agreements.show", agreement_id=agreement.id))
    return render_template("agreements/form.html", form=form, agreement=None, conflict=None)


@bp.get("/<int:agreement_id>")
@login_required
def show(agreement_id: int) -> tuple[str, int]:
    return _show_page(_visible_agreement(agreement_id))


@bp.route("/<int:agreement_id>/edit", methods=["GET", "POST"])
@login_required
def edit(agreement_id: int) -> str | Response | tuple[str, int]:
    agreement = _visible_agreement(agreement_id)
    require(can_edit_agreement(current_user, agreement))
    # On a post only what was sent counts: a missing version must not be filled in from the record.
    form = AgreementForm(obj=agreement if request.method == "GET" else None)
    _agreement_choices(form, agreement)
    if request.method == "GET":
        form.kind.data = agreement.kind.value
        form.status.data = agreement.status.value
        form.project_id.data = agreement.project_id or 0
        form.document_id.data = agreement.document_id or 0
        form.version.data = agreement.version
    if form.validate_on_submit():
        try:
            services.agreement_update(db.session(), agreement, form.values(), form.version.data)
            db.session.commit()
        except (Conflict, StaleDataError):
            db.session.rollback()
            # Keep what they typed, show what is saved now, and let them save again knowingly.
            form.version.data = agreement.version
            form.version.raw_data = [str(agreement.version)]
            rows = conflict_rows(form, agreement)
            page = render_template("agreements/form.html", form=form, agreement=agreement, conflict=rows)
            return page, CONFLICT_STATUS
        except DomainError as error:
            db.session.rollback()
            _put_error(form, error, "status")
        else:
            flash(_("Changes to %(code)s saved.", code=agreement.code), "success")
            return redirect(url_for("agreements.show", agreement_id=agreement.id))
    return render_template("agreements/form.html", form=form, agreement=agreement, conflict=None)


# --- parties --------------------------------------------------------------------------------------------
@bp.post("/<int:agreement_id>/parties")
@login_required
def party_add(agreement_id: int) -> Response | tuple[str, int]:
    agreement = _visible_agreement(agreement_id)
    require(can_edit_agreement(current_user, agreement))
    form = PartyForm()
    form.organization_id.choices = _organization_choices()
    if form.validate_on_submit():
        try:
            party = services.party_add(db.session(), agreement, form.organization_id.data, PartyRole(form.role.data))
        except DomainError as error:
            db.session.rollback()
            _put_error(form, error, "organization_id")
        else:
            db.session.commit()
            flash(_("%(acronym)s added as a party.", acronym=party.organization.acronym), "success")
            return redirect(url_for("agreements.show", agreement_id=agreement.id, _anchor="parties"))
    return _show_page(agreement, party_form=form, status=400)


@bp.post("/<int:agreement_id>/parties/<int:party_id>/remove")
@login_required
def party_remove(agreement_id: int, party_id: int) -> Response:
    agreement = _visible_agreement(agreement_id)
    require(can_edit_agreement(current_user, agreement))
    party = next((p for p in agreement.parties if p.id == party_id), None) or abort(404)
    message = _("%(acronym)s is no longer a party.", acronym=party.organization.acronym)
    _apply(ConfirmForm(), lambda: services.party_remove(db.session(), agreement, party), message)
    return redirect(url_for("agreements.show", agreement_id=agreement_id, _anchor="parties"))


# --- commitments ----------------------------------------------------------------------------------------
def _commitment_values(form: CommitmentForm) -> dict[str, Any]:
    return {
        "organization_id": form.organization_id.data or None,
        "description": form.description.data or "",
        "due_on": form.due_on.data,
        "notes": form.notes.data or "",
    }


@bp.post("/<int:agreement_id>/commitments")
@login_required
def commitment_add(agreement_id: int) -> Response | tuple[str, int]:
    agreement = _visible_agreement(agreement_id)
    require(can_edit_agreement(current_user, agreement))
    form = CommitmentForm()
    _commitment_choices(form, agreement)
    if form.validate_on_submit():
        try:
            services.commitment_add(db.session(), agreement, **_commitment_values(form))
        except DomainError as error:
            db.session.rollback()
            _put_error(form, error, "description")
        else:
            db.session.commit()
            flash(_("Commitment added."), "success")
            return redirect(url_for("agreements.show", agreement_id=agreement.id, _anchor="commitments"))
    return _show_page(agreement, commitment_form=form, status=400)


@bp.route("/<int:agreement_id>/commitments/<int:commitment_id>", methods=["GET", "POST"])
@login_required
def commitment_edit(agreement_id: int, commitment_id: int) -> str | Response | tuple[str, int]:
    agreement = _visible_agreement(agreement_id)
    require(can_edit_agreement(current_user, agreement))
    commitment = _commitment_of(agreement, commitment_id)
    form = CommitmentForm(obj=commitment if request.method == "GET" else None)
    _commitment_choices(form, agreement)
    if form.validate_on_submit():
        try:
            services.commitment_update(db.session(), commitment, done_on=form.done_on.data, **_commitment_values(form))
        except DomainError as error:
            db.session.rollback()
            _put_error(form, error, "description")
        else:
            db.session.commit()
            flash(_("Commitment saved."), "success")
            return redirect(url_for("agreements.show", agreement_id=agreement.id, _anchor="commitments"))
    page = render_template(
        "agreements/commitment_form.html",
        agreement=agreement,
        commitment=commitment,
        form=form,
    )
    return page, (400 if form.errors else 200)


def _apply(form: FlaskForm, change: Callable[[], object], success: str) -> None:
    """A button's change: run it once the form (its CSRF token) is valid, commit, and say how it went."""
    if not form.validate_on_submit():
        flash(_("That did not work; please try again."), "danger")
        return
    try:
        change()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "warning")
    else:
        db.session.commit()
        flash(success, "success")


def _to_commitments(agreement_id: int) -> Response:
    return redirect(url_for("agreements.show", agreement_id=agreement_id, _anchor="commitments"))


@bp.post("/<int:agreement_id>/commitments/<int:commitment_id>/done")
@login_required
def commitment_done(agreement_id: int, commitment_id: int) -> Response:
    commitment = _commitment_of(_visible_agreement(agreement_id), commitment_id)
    require(can_mark_commitment_done(current_user, commitment))
    form = CommitmentDoneForm()
    _apply(
        form,
        lambda: services.commitment_mark_done(db.session(), commitment, form.done_on.data),
        _("Commitment marked done."),
    )
    return _to_commitments(agreement_id)


@bp.post("/<int:agreement_id>/commitments/<int:commitment_id>/reopen")
@login_required
def commitment_reopen(agreement_id: int, commitment_id: int) -> Response:
    commitment = _commitment_of(_visible_agreement(agreement_id), commitment_id)
    require(can_mark_commitment_done(current_user, commitment))
    _apply(ConfirmForm(), lambda: services.commitment_reopen(db.session(), commitment), _("Commitment reopened."))
    return _to_commitments(agreement_id)


@bp.post("/<int:agreement_id>/commitments/<int:commitment_id>/remove")
@login_required
def commitment_remove(agreement_id: int, commitment_id: int) -> Response:
    agreement = _visible_agreement(agreement_id)
    require(can_edit_agreement(current_user, agreement))
    commitment = _commitment_of(agreement, commitment_id)
    _apply(ConfirmForm(), lambda: services.commitment_remove(db.session(), commitment), _("Commitment removed."))
    return _to_commitments(agreement_id)
