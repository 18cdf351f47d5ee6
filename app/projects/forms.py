"""Forms of the projects feature, and the side-by-side view shown when an edit collides with another."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import (
    DateField,
    DecimalField,
    Field,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from app.core.enums import MilestoneStatus, PhaseKind, PhaseStatus, ProjectKind, ProjectState
from app.core.inputs import record_id
from app.core.timeutil import today
from app.projects.services import ProjectFilter

NONE_CHOICE = (0, "—")


def _version_field() -> IntegerField:
    # The version the user read: saving compares it with the record's (optimistic locking).
    return IntegerField(widget=HiddenInput(), validators=[Optional()])


class ProjectForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    objective = TextAreaField(_l("Objective"), validators=[Optional(), Length(max=4000)])
    kind = SelectField(_l("Kind of works"), choices=ProjectKind.choices, validators=[DataRequired()])
    center_id = SelectField(_l("Center"), coerce=record_id, validators=[DataRequired()])
    manager_id = SelectField(_l("Project manager"), coerce=record_id, validators=[Optional()])
    funder_ids = SelectMultipleField(
        _l("Funding organizations"), coerce=record_id, validators=[Optional()], render_kw={"size": 6}
    )
    planned_start = DateField(_l("Planned start"), validators=[InputRequired()])
    planned_end = DateField(_l("Planned end"), validators=[InputRequired()])
    version = _version_field()
    submit = SubmitField(_l("Save"))


class PhaseForm(FlaskForm):
    status = SelectField(_l("Status"), choices=PhaseStatus.choices, validators=[DataRequired()])
    planned_start = DateField(_l("Planned start"), validators=[Optional()])
    planned_end = DateField(_l("Planned end"), validators=[Optional()])
    actual_start = DateField(_l("Actual start"), validators=[Optional()])
    actual_end = DateField(_l("Actual end"), validators=[Optional()])
    # The view replaces the label by what this phase's gate expects.
    gate_evidence = TextAreaField(_l("Gate evidence"), validators=[Optional(), Length(max=2000)])
    override_reason = TextAreaField(
        _l("Reason to close the phase although its gate does not hold"),
        validators=[Optional(), Length(max=2000)],
    )
    version = _version_field()
    submit = SubmitField(_l("Save"))


class MilestoneForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    # The service checks that the phase belongs to this project, with a message of its own.
    phase_id = SelectField(_l("Phase"), coerce=record_id, validate_choice=False, validators=[InputRequired()])
    owner_id = SelectField(_l("Owner"), coerce=record_id, validate_choice=False, validators=[Optional()])
    planned_date = DateField(_l("Planned date"), validators=[InputRequired()])
    status = SelectField(_l("Status"), choices=MilestoneStatus.choices, validators=[DataRequired()])
    actual_date = DateField(_l("Actual date"), validators=[Optional()])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=4000)])
    version = _version_field()
    submit = SubmitField(_l("Save"))


class MilestoneCloseForm(FlaskForm):
    actual_date = DateField(_l("Done on"), validators=[Optional()])
    version = _version_field()


class ProgressForm(FlaskForm):
    reading_date = DateField(_l("Date of the reading"), default=today, validators=[InputRequired()])
    percent = DecimalField(_l("Physical progress (%)"), places=2, validators=[InputRequired()])
    contractor = StringField(_l("Contractor or supervisor"), validators=[DataRequired(), Length(max=200)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=4000)])
    submit = SubmitField(_l("Record"))


# --- list filters ---------------------------------------------------------------------------------------
def project_filter_from_args(args: MultiDict[str, str]) -> ProjectFilter:
    """The filters of the project list and timeline, read from the query string; unknown values ignored."""
    center = args.get("center_id", type=record_id)
    phase = args.get("phase", "")
    status = args.get("status", "")
    return ProjectFilter(
        center_id=center or None,
        phase=PhaseKind(phase) if phase in {k.value for k in PhaseKind} else None,
        status=ProjectState(status) if status in {s.value for s in ProjectState} else None,
    )


# --- edit conflicts -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ConflictRow:
    label: str
    saved: str
    submitted: str

    @property
    def differs(self) -> bool:
        return self.saved != self.submitted


def _display(field: Field, value: Any) -> str:
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, set | frozenset):
        value = sorted(value)
    choices = getattr(field, "choices", None)
    if callable(choices):
        choices = choices()
    if choices is not None:
        names = {str(key): str(label) for key, label in choices}
        if isinstance(value, list | tuple):
            return ", ".join(names.get(str(v), str(v)) for v in value) or "—"
        return names.get(str(value if value is not None else 0), "—" if value in (None, "") else str(value))
    if isinstance(value, date):
        return str(format_date(value))
    if value is None or value == "":
        return "—"
    return str(value)


def conflict_rows(form: FlaskForm, record: Any) -> list[ConflictRow]:
    """Per field of ``form`` that the record also has: the value saved now and the value the user sent."""
    rows = []
    for field in form:
        if field.name in {"version", "submit", "csrf_token"} or not hasattr(record, field.name):
            continue
        rows.append(
            ConflictRow(
                label=str(field.label.text),
                saved=_display(field, getattr(record, field.name)),
                submitted=_display(field, field.data),
            )
        )
    return rows
