"""Forms of the agreements feature: the agreement, a party, a commitment, and the list filters."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import DateField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from app.agreements.services import STORED_STATUSES, AgreementFilter, AgreementValues
from app.core.enums import AgreementKind, AgreementStatus, PartyRole
from app.core.inputs import record_id


def _stored_status_choices() -> list[tuple[str, str]]:
    return [(status.value, status.label) for status in STORED_STATUSES]


class AgreementForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32)])
    kind = SelectField(_l("Kind of agreement"), choices=AgreementKind.choices, validators=[DataRequired()])
    subject = StringField(_l("Subject"), validators=[DataRequired(), Length(max=300)])
    center_id = SelectField(_l("Center"), coerce=record_id, validators=[DataRequired()])
    # The services check that the project and the document belong to the center, with messages of their own.
    project_id = SelectField(_l("Project"), coerce=record_id, validate_choice=False, validators=[Optional()])
    status = SelectField(_l("Status"), choices=_stored_status_choices, validators=[DataRequired()])
    signed_on = DateField(_l("Signed on"), validators=[Optional()])
    starts_on = DateField(_l("Starts on"), validators=[Optional()])
    ends_on = DateField(_l("Ends on"), validators=[Optional()])
    document_id = SelectField(_l("Signed document"), coerce=record_id, validate_choice=False, validators=[Optional()])
    signature_evidence = TextAreaField(
        _l("Where the signed original is kept"), validators=[Optional(), Length(max=2000)]
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=4000)])
    # The version the user read: saving compares it with the record's (optimistic locking).
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    submit = SubmitField(_l("Save"))

    def values(self) -> AgreementValues:
        """What the person typed, as the services take it."""
        return AgreementValues(
            code=self.code.data or "",
            kind=AgreementKind(self.kind.data),
            subject=self.subject.data or "",
            center_id=self.center_id.data or 0,
            project_id=self.project_id.data or None,
            status=AgreementStatus(self.status.data),
            signed_on=self.signed_on.data,
            starts_on=self.starts_on.data,
            ends_on=self.ends_on.data,
            document_id=self.document_id.data or None,
            signature_evidence=self.signature_evidence.data or "",
            notes=self.notes.data or "",
        )


class PartyForm(FlaskForm):
    organization_id = SelectField(_l("Organization"), coerce=record_id, validators=[DataRequired()])
    role = SelectField(_l("Role"), choices=PartyRole.choices, validators=[DataRequired()])
    submit = SubmitField(_l("Add party"))


class CommitmentForm(FlaskForm):
    # Only the agreement's parties are offered; the service refuses anyone else with its own message.
    organization_id = SelectField(_l("Party"), coerce=record_id, validate_choice=False, validators=[InputRequired()])
    description = TextAreaField(_l("What is committed"), validators=[DataRequired(), Length(max=2000)])
    due_on = DateField(_l("Due on"), validators=[InputRequired()])
    done_on = DateField(_l("Done on"), validators=[Optional()])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=4000)])
    submit = SubmitField(_l("Save"))


class CommitmentDoneForm(FlaskForm):
    done_on = DateField(_l("Done on"), validators=[Optional()])


class ConfirmForm(FlaskForm):
    """A button that changes something: only its CSRF token."""


def agreement_filter_from_args(args: MultiDict[str, str]) -> AgreementFilter:
    """The list filters read from the query string; unknown values are ignored."""
    status = args.get("status", "")
    kind = args.get("kind", "")
    return AgreementFilter(
        center_id=args.get("center_id", type=record_id) or None,
        status=AgreementStatus(status) if status in {s.value for s in AgreementStatus} else None,
        kind=AgreementKind(kind) if kind in {k.value for k in AgreementKind} else None,
        organization_id=args.get("organization_id", type=record_id) or None,
    )
