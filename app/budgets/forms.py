"""Forms of the budgets feature. Amounts are text fields parsed with ``Decimal`` by the services, never floats."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from app.budgets.money import CURRENCIES
from app.core.enums import BudgetCategory, PhaseKind, SpendKind
from app.core.inputs import record_id
from app.core.timeutil import today

NONE_CHOICE = (0, "—")


def _currency_choices() -> list[tuple[str, str]]:
    return [(code, code) for code in CURRENCIES]


class BudgetLineForm(FlaskForm):
    phase = SelectField(_l("Phase"), choices=PhaseKind.choices, validators=[DataRequired()])
    category = SelectField(_l("Category"), choices=BudgetCategory.choices, validators=[DataRequired()])
    description = StringField(_l("Description"), validators=[DataRequired(), Length(max=300)])
    quantity = StringField(_l("Quantity"), validators=[InputRequired()])
    unit = StringField(_l("Unit"), validators=[Optional(), Length(max=30)])
    unit_cost = StringField(_l("Unit cost"), validators=[InputRequired()])
    currency = SelectField(_l("Currency"), choices=_currency_choices, validators=[DataRequired()])
    funder_id = SelectField(_l("Funded by"), coerce=record_id, validators=[InputRequired()])
    # The version the user read: saving compares it with the line's (optimistic locking).
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    submit = SubmitField(_l("Save"))


class EntryForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=SpendKind.choices, validators=[DataRequired()])
    line_id = SelectField(_l("Budget line"), coerce=record_id, validate_choice=False, validators=[InputRequired()])
    spent_on = DateField(_l("Date"), default=today, validators=[InputRequired()])
    supplier = StringField(_l("Supplier"), validators=[DataRequired(), Length(max=200)])
    document_number = StringField(
        _l("Document number (order, contract, invoice)"), validators=[Optional(), Length(max=60)]
    )
    amount = StringField(_l("Amount"), validators=[InputRequired()])
    currency = SelectField(_l("Currency"), choices=_currency_choices, validators=[DataRequired()])
    commitment_id = SelectField(
        _l("Pays the commitment"), coerce=record_id, validate_choice=False, validators=[Optional()]
    )
    document_id = SelectField(_l("Attachment"), coerce=record_id, validate_choice=False, validators=[Optional()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Record"))


class CorrectionForm(EntryForm):
    reason = TextAreaField(_l("Why is this entry corrected?"), validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField(_l("Reverse and record the correction"))


class ReverseForm(FlaskForm):
    reason = TextAreaField(_l("Why is this entry reversed?"), validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField(_l("Reverse"))


class ExchangeRateForm(FlaskForm):
    from_currency = SelectField(_l("One unit of"), choices=_currency_choices, validators=[DataRequired()])
    to_currency = SelectField(_l("is worth, in"), choices=_currency_choices, validators=[DataRequired()])
    rate = StringField(_l("Rate"), validators=[InputRequired(), Length(max=30)])
    valid_on = DateField(_l("Valid from"), default=today, validators=[InputRequired()])
    source = StringField(_l("Source"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Add rate"))


class ImportForm(FlaskForm):
    file = FileField(_l("Workbook (.xlsx)"), validators=[FileRequired(_l("Choose a file."))])
    submit = SubmitField(_l("Check the file"))


class ImportConfirmForm(FlaskForm):
    token = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Save every line"))


class DeleteForm(FlaskForm):
    submit = SubmitField(_l("Delete"))
