"""Pages of the budgets feature: a project's budget against actual, its lines, commitments and expenditures,
corrections, spreadsheet import and exports, and the exchange rates."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, URLSafeTimedSerializer
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers.response import Response

from app.budgets import services
from app.budgets.analysis import budget_report
from app.budgets.chart import ChartLabels, budget_chart_svg
from app.budgets.exports import budget_sheet, entries_sheet
from app.budgets.forms import (
    NONE_CHOICE,
    BudgetLineForm,
    CorrectionForm,
    DeleteForm,
    EntryForm,
    ExchangeRateForm,
    ImportConfirmForm,
    ImportForm,
    ReverseForm,
)
from app.budgets.models import BudgetLine, Expenditure
from app.budgets.money import CURRENCIES, REPORTING_CURRENCY
from app.budgets.xlsx_io import SpreadsheetRejected, column_labels, read_budget
from app.core.enums import BudgetCategory, PhaseKind, SpendKind
from app.core.errors import Conflict, DomainError
from app.core.i18n import money
from app.core.inputs import record_id
from app.core.permissions import (
    budget_funder_scope,
    can_edit_budget,
    can_manage_exchange_rates,
    can_record_expenditure,
    can_view_budget,
    require,
)
from app.core.spreadsheets import CSV_MIMETYPE, XLSX_MIMETYPE, attachment, to_csv, to_xlsx
from app.core.storage import storage
from app.documents.models import Document
from app.extensions import db
from app.projects.forms import conflict_rows
from app.projects.models import Project

bp = Blueprint("budgets", __name__, url_prefix="/budgets", template_folder="templates")

CONFLICT_STATUS = 409
RECENT_ENTRIES = 10
IMPORT_TOKEN_MAX_AGE = 3600


# --- helpers --------------------------------------------------------------------------------------------
def _project(project_id: int) -> Project:
    project = db.session.scalar(select(Project).where(Project.id == project_id).options(selectinload(Project.fundings)))
    if project is None:
        abort(404)
    require(can_view_budget(current_user, project))
    return project


def _line_of(project: Project, line_id: int) -> BudgetLine:
    line = db.session.get(BudgetLine, line_id)
    if line is None or line.project_id != project.id:
        abort(404)
    return line


def _entry_of(project: Project, entry_id: int) -> Expenditure:
    entry = db.session.get(Expenditure, entry_id)
    if entry is None or entry.project_id != project.id:
        abort(404)
    return entry


def _put_error(form: FlaskForm, error: DomainError, default: str) -> None:
    """Show a service's refusal on the field it names (or on ``default``), keeping what the user typed."""
    field = form._fields.get(error.field or "") or form[default]
    field.errors = [*field.errors, error.message]


def _currency_arg() -> str:
    code = request.args.get("currency", REPORTING_CURRENCY).upper()
    return code if code in CURRENCIES else REPORTING_CURRENCY


def _funder_choices(form: BudgetLineForm, project: Project) -> None:
    form.funder_id.choices = [(org.id, f"{org.acronym} — {org.name}") for org in project.funders]


def _line_input(form: BudgetLineForm) -> services.LineInput:
    return services.LineInput(
        phase=PhaseKind(form.phase.data),
        category=BudgetCategory(form.category.data),
        description=form.description.data or "",
        quantity=form.quantity.data or "",
        unit=form.unit.data or "",
        unit_cost=form.unit_cost.data or "",
        currency=form.currency.data or "",
        funder_id=form.funder_id.data,
    )


def _entry_choices(form: EntryForm, project: Project) -> None:
    lines = db.session.scalars(select(BudgetLine).where(BudgetLine.project_id == project.id).order_by(BudgetLine.id))
    form.line_id.choices = [(line.id, f"{line.phase.label} · {line.description} ({line.currency})") for line in lines]
    form.commitment_id.choices = [NONE_CHOICE] + [
        (c.id, f"{c.document_number or c.supplier} · {c.amount} {c.currency} · {c.line.description}")
        for c in services.commitments_open(db.session(), project)
    ]
    documents = db.session.scalars(select(Document).where(Document.project_id == project.id).order_by(Document.title))
    form.document_id.choices = [NONE_CHOICE] + [(doc.id, doc.title) for doc in documents]


def _entry_input(form: EntryForm) -> services.EntryInput:
    return services.EntryInput(
        line_id=form.line_id.data or None,
        kind=SpendKind(form.kind.data),
        spent_on=form.spent_on.data,
        supplier=form.supplier.data or "",
        amount=form.amount.data or "",
        currency=form.currency.data or "",
        document_number=form.document_number.data or "",
        document_id=form.document_id.data or None,
        commitment_id=form.commitment_id.data or None,
        note=form.note.data or "",
    )


def _chart_labels() -> ChartLabels:
    return ChartLabels(
        title=_("Budget against actual per phase"),
        budget=_("Budget"),
        spent=_("Spent"),
        committed=_("Committed (not yet paid)"),
        over=_("over budget"),
        empty=_("No budget lines yet."),
    )


# --- the budget page ------------------------------------------------------------------------------------
@bp.get("/project/<int:project_id>")
@login_required
def project_budget(project_id: int) -> str:
    project = _project(project_id)
    currency = _currency_arg()
    funder_id = budget_funder_scope(current_user)
    report = budget_report(db.session(), project, currency=currency, funder_id=funder_id)
    entries = services.entries_for_project(db.session(), project, funder_id=funder_id, limit=RECENT_ENTRIES)
    chart = budget_chart_svg(report.by_phase, _chart_labels(), lambda amount: money(amount, currency))
    return render_template(
        "budgets/project.html",
        project=project,
        report=report,
        entries=entries,
        currencies=CURRENCIES,
        chart=Markup(chart),  # noqa: S704  (budget_chart_svg escapes every label)
        donor_view=funder_id is not None,
    )


@bp.get("/project/<int:project_id>/entries")
@login_required
def entries(project_id: int) -> str:
    project = _project(project_id)
    items = services.entries_for_project(db.session(), project, funder_id=budget_funder_scope(current_user))
    reversed_ids = services.expenditure_is_reversed(db.session(), [entry.id for entry in items])
    return render_template("budgets/entries.html", project=project, entries=items, reversed_ids=reversed_ids)


# --- lines ----------------------------------------------------------------------------------------------
@bp.route("/project/<int:project_id>/lines/new", methods=["GET", "POST"])
@login_required
def line_create(project_id: int) -> str | Response:
    project = _project(project_id)
    require(can_edit_budget(current_user, project))
    form = BudgetLineForm()
    _funder_choices(form, project)
    if request.method == "GET":
        form.phase.data = project.current_phase.value
    if form.validate_on_submit():
        try:
            line = services.budget_line_create(db.session(), project, _line_input(form))
        except DomainError as error:
            db.session.rollback()
            _put_error(form, error, "description")
        else:
            db.session.commit()
            flash(_("Line “%(description)s” added to the budget.", description=line.description), "success")
            return redirect(url_for("budgets.project_budget", project_id=project.id, _anchor="lines"))
    return render_template("budgets/line_form.html", project=project, form=form, line=None, conflict=None)


@bp.route("/project/<int:project_id>/lines/<int:line_id>", methods=["GET", "POST"])
@login_required
def line_edit(project_id: int, line_id: int) -> str | Response | tuple[str, int]:
    project = _project(project_id)
    require(can_edit_budget(current_user, project))
    line = _line_of(project, line_id)
    form = BudgetLineForm(obj=line)
    _funder_choices(form, project)
    if request.method == "GET":
        form.phase.data, form.category.data = line.phase.value, line.category.value
        form.quantity.data = f"{line.quantity.normalize():f}"
        form.unit_cost.data = f"{line.unit_cost:f}"
    if form.validate_on_submit():
        try:
            services.budget_line_update(db.session(), line, version=form.version.data, data=_line_input(form))
            db.session.commit()
        except (Conflict, StaleDataError):
            db.session.rollback()
            form.version.data = line.version
            form.version.raw_data = [str(line.version)]
            rows = conflict_rows(form, line)
            page = render_template(
                "budgets/line_form.html", project=project, form=form, line=line, conflict=rows, delete_form=None
            )
            return page, CONFLICT_STATUS
        except DomainError as error:
            db.session.rollback()
            _put_error(form, error, "description")
        else:
            flash(_("Line “%(description)s” saved.", description=line.description), "success")
            return redirect(url_for("budgets.project_budget", project_id=project.id, _anchor="lines"))
    return render_template(
        "budgets/line_form.html", project=project, form=form, line=line, conflict=None, delete_form=DeleteForm()
    )


@bp.post("/project/<int:project_id>/lines/<int:line_id>/delete")
@login_required
def line_delete(project_id: int, line_id: int) -> Response:
    project = _project(project_id)
    require(can_edit_budget(current_user, project))
    line = _line_of(project, line_id)
    if not DeleteForm().validate_on_submit():
        abort(400)
    description = line.description
    try:
        services.budget_line_delete(db.session(), line)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for("budgets.line_edit", project_id=project.id, line_id=line_id))
    db.session.commit()
    flash(_("Line “%(description)s” deleted.", description=description), "success")
    return redirect(url_for("budgets.project_budget", project_id=project.id, _anchor="lines"))


# --- commitments and expenditures -----------------------------------------------------------------------
@bp.route("/project/<int:project_id>/entries/new", methods=["GET", "POST"])
@login_required
def entry_create(project_id: int) -> str | Response:
    project = _project(project_id)
    require(can_record_expenditure(current_user, project))
    form = EntryForm()
    _entry_choices(form, project)
    if request.method == "GET":
        form.kind.data = request.args.get("kind", SpendKind.EXPENDITURE.value)
        form.line_id.data = request.args.get("line_id", type=record_id) or 0
    if form.validate_on_submit():
        try:
            entry = services.expenditure_record(db.session(), project, _entry_input(form))
        except DomainError as error:
            db.session.rollback()
            _put_error(form, error, "amount")
        else:
            db.session.commit()
            flash(
                _(
                    "%(kind)s of %(amount)s recorded.",
                    kind=entry.kind.label,
                    amount=money(entry.amount, entry.currency),
                ),
                "success",
            )
            return redirect(url_for("budgets.project_budget", project_id=project.id, _anchor="entries"))
    return render_template("budgets/entry_form.html", project=project, form=form, entry=None)


@bp.route("/project/<int:project_id>/entries/<int:entry_id>/correct", methods=["GET", "POST"])
@login_required
def entry_correct(project_id: int, entry_id: int) -> str | Response:
    project = _project(project_id)
    require(can_record_expenditure(current_user, project))
    entry = _entry_of(project, entry_id)
    form = CorrectionForm(obj=entry if request.method == "GET" else None)
    _entry_choices(form, project)
    if request.method == "GET":
        form.kind.data = entry.kind.value
        form.amount.data = f"{entry.amount:f}"
        form.commitment_id.data = entry.commitment_id or 0
        form.document_id.data = entry.document_id or 0
        form.note.data = ""
    if form.validate_on_submit():
        try:
            services.expenditure_correct(db.session(), entry, reason=form.reason.data or "", data=_entry_input(form))
        except DomainError as error:
            db.session.rollback()
            _put_error(form, error, "reason")
        else:
            db.session.commit()
            flash(_("Entry reversed and the correction recorded."), "success")
            return redirect(url_for("budgets.entries", project_id=project.id))
    return render_template(
        "budgets/entry_form.html", project=project, form=form, entry=entry, reverse_form=ReverseForm()
    )


@bp.post("/project/<int:project_id>/entries/<int:entry_id>/reverse")
@login_required
def entry_reverse(project_id: int, entry_id: int) -> str | Response:
    project = _project(project_id)
    require(can_record_expenditure(current_user, project))
    entry = _entry_of(project, entry_id)
    form = ReverseForm()
    if form.validate_on_submit():
        try:
            services.expenditure_reverse(db.session(), entry, reason=form.reason.data or "")
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "danger")
        else:
            db.session.commit()
            flash(_("Entry reversed."), "success")
    else:
        flash(_("Write why this entry is reversed."), "danger")
    return redirect(url_for("budgets.entries", project_id=project.id))


# --- spreadsheets ---------------------------------------------------------------------------------------
def _token_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="budget-import")


def _import_token(key: str, project: Project) -> str:
    return str(_token_serializer().dumps({"key": key, "user": current_user.id, "project": project.id}))


def _import_key(token: str, project: Project) -> str | None:
    """The stored upload a confirmation refers to, if the token is ours, recent, for this user and project."""
    try:
        payload: Any = _token_serializer().loads(token, max_age=IMPORT_TOKEN_MAX_AGE)
    except BadSignature:
        return None
    if payload.get("user") != current_user.id or payload.get("project") != project.id:
        return None
    key = payload.get("key")
    return key if isinstance(key, str) else None


@bp.route("/project/<int:project_id>/import", methods=["GET", "POST"])
@login_required
def import_budget(project_id: int) -> str | tuple[str, int]:
    project = _project(project_id)
    require(can_edit_budget(current_user, project))
    form = ImportForm()
    if form.validate_on_submit():
        data = form.file.data.read(5 * 1024 * 1024 + 1)
        try:
            preview = read_budget(data, project)
        except SpreadsheetRejected as error:
            form.file.errors = [*form.file.errors, error.message]
            return render_template(
                "budgets/import.html", labels=column_labels(), project=project, form=form, preview=None
            ), 400
        confirm = ImportConfirmForm()
        if preview.ok:
            confirm.token.data = _import_token(storage().put(data, ".xlsx"), project)
        return render_template(
            "budgets/import.html",
            labels=column_labels(),
            project=project,
            form=ImportForm(formdata=None),
            preview=preview,
            confirm=confirm,
        )
    return render_template("budgets/import.html", labels=column_labels(), project=project, form=form, preview=None)


@bp.post("/project/<int:project_id>/import/confirm")
@login_required
def import_confirm(project_id: int) -> str | Response | tuple[str, int]:
    project = _project(project_id)
    require(can_edit_budget(current_user, project))
    confirm = ImportConfirmForm()
    key = _import_key(confirm.token.data or "", project) if confirm.validate_on_submit() else None
    if key is None or not storage().exists(key):
        flash(_("This import expired or is not yours; send the file again."), "warning")
        return redirect(url_for("budgets.import_budget", project_id=project.id))
    data = storage().read(key)
    try:
        preview = read_budget(data, project)
    except SpreadsheetRejected as error:
        flash(error.message, "danger")
        return redirect(url_for("budgets.import_budget", project_id=project.id))
    if not preview.ok:
        # Something changed since the preview (a funder removed, say): show what is wrong now, save nothing.
        page = render_template(
            "budgets/import.html",
            labels=column_labels(),
            project=project,
            form=ImportForm(formdata=None),
            preview=preview,
            confirm=None,
        )
        return page, 400
    lines = services.budget_lines_create_all(db.session(), project, preview.values)
    db.session.commit()
    storage().delete(key)
    flash(_("%(count)s lines imported into the budget.", count=len(lines)), "success")
    return redirect(url_for("budgets.project_budget", project_id=project.id, _anchor="lines"))


@bp.get("/project/<int:project_id>/export/<string:what>.<string:fmt>")
@login_required
def export(project_id: int, what: str, fmt: str) -> Response:
    if what not in {"budget", "expenditures", "all"} or fmt not in {"xlsx", "csv"} or (what, fmt) == ("all", "csv"):
        abort(404)
    project = _project(project_id)
    funder_id = budget_funder_scope(current_user)
    sheets = []
    if what in {"budget", "all"}:
        sheets.append(budget_sheet(budget_report(db.session(), project, funder_id=funder_id)))
    if what in {"expenditures", "all"}:
        sheets.append(entries_sheet(services.entries_for_project(db.session(), project, funder_id=funder_id)))
    name = f"{project.code}-{what}.{fmt}".replace('"', "")
    if fmt == "csv":
        return attachment(to_csv(sheets[0]), CSV_MIMETYPE, name)
    return attachment(to_xlsx(sheets), XLSX_MIMETYPE, name)


# --- exchange rates -------------------------------------------------------------------------------------
@bp.route("/rates", methods=["GET", "POST"])
@login_required
def rates() -> str | Response:
    require(can_manage_exchange_rates(current_user))
    form = ExchangeRateForm()
    if request.method == "GET":
        form.from_currency.data, form.to_currency.data = "USD", "HNL"
    if form.validate_on_submit():
        try:
            rate = services.exchange_rate_create(
                db.session(),
                from_currency=form.from_currency.data or "",
                to_currency=form.to_currency.data or "",
                rate=form.rate.data or "",
                valid_on=form.valid_on.data,
                source=form.source.data or "",
            )
        except DomainError as error:
            db.session.rollback()
            _put_error(form, error, "rate")
        else:
            db.session.commit()
            flash(_("Rate recorded: %(rate)s.", rate=rate.audit_label()), "success")
            return redirect(url_for("budgets.rates"))
    return render_template("budgets/rates.html", form=form, rates=services.exchange_rates_list(db.session()))
