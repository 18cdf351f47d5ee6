from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.core.enums import ReportScope, ReportSection
from app.core.inputs import record_id


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ReportForm(FlaskForm):
    scope = SelectField(_l("The report covers"), choices=ReportScope.choices, validators=[DataRequired()])
    project_id = SelectField(_l("Project"), coerce=record_id, validators=[Optional()])
    center_id = SelectField(_l("Center"), coerce=record_id, validators=[Optional()])
    donor_id = SelectField(_l("Prepared for (donor)"), coerce=record_id, validators=[Optional()])
    period_start = DateField(_l("Period from"), validators=[DataRequired(_l("Give the first day of the period."))])
    period_end = DateField(_l("Period to"), validators=[DataRequired(_l("Give the last day of the period."))])
    language = SelectField(
        _l("Language of the report"), choices=[("es", "Español"), ("en", "English")], validators=[DataRequired()]
    )
    sections = CheckboxesField(
        _l("Sections"),
        choices=ReportSection.choices,
        default=[section.value for section in ReportSection],
        validators=[DataRequired(_l("Choose at least one section."))],
    )
    narrative = TextAreaField(_l("Summary (your narrative)"), validators=[Optional(), Length(max=20000)])
    next_steps = TextAreaField(_l("Next steps"), validators=[Optional(), Length(max=10000)])
    submit = SubmitField(_l("Generate the report"))

    def validate_period_end(self, field: Any) -> None:
        if field.data and self.period_start.data and field.data < self.period_start.data:
            raise ValidationError(_l("The end of the period must not be before its start."))


class HandoverForm(FlaskForm):
    project_id = SelectField(_l("Project"), coerce=record_id, validators=[DataRequired(_l("Choose the project."))])
    donor_id = SelectField(_l("Prepared for (donor)"), coerce=record_id, validators=[Optional()])
    language = SelectField(
        _l("Language of the report"), choices=[("es", "Español"), ("en", "English")], validators=[DataRequired()]
    )
    narrative = TextAreaField(_l("Notes on the handover"), validators=[Optional(), Length(max=20000)])
    submit = SubmitField(_l("Prepare the dossier"))


class RetryForm(FlaskForm):
    submit = SubmitField(_l("Try again"))
