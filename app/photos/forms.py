from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    IntegerField,
    MultipleFileField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from app.core.enums import PhaseKind, PhotoStage
from app.core.inputs import record_id


def _blank_is_none(value: str | None) -> str | None:
    return value.strip() or None if isinstance(value, str) else value


def _phase_choices() -> list[tuple[str, str]]:
    return [("", "—")] + PhaseKind.choices()


def _stage_choices() -> list[tuple[str, str]]:
    return [("", "—")] + PhotoStage.choices()


class PhotoDescriptionForm(FlaskForm):
    caption = TextAreaField(_l("Caption"), validators=[Optional(), Length(max=2000)])
    tags = StringField(_l("Tags (separated by commas)"), validators=[Optional(), Length(max=300)])
    location = StringField(_l("Place in the building"), validators=[Optional(), Length(max=200)])
    # Optional() lets blank input through without checking it against the choices: blank is then "none".
    phase = SelectField(_l("Phase"), choices=_phase_choices, validators=[Optional()], filters=[_blank_is_none])
    stage = SelectField(
        _l("Before or after the works"), choices=_stage_choices, validators=[Optional()], filters=[_blank_is_none]
    )
    identifiable_people = BooleanField(_l("Identifiable people appear in the photo"))
    consent_recorded = BooleanField(_l("Their consent is recorded"))


class PhotoUploadForm(PhotoDescriptionForm):
    project_id = SelectField(_l("Project"), coerce=record_id, validators=[Optional()])
    photos = MultipleFileField(_l("Photos"))
    submit = SubmitField(_l("Upload"))


class PhotoEditForm(PhotoDescriptionForm):
    pair_of_id = IntegerField(_l('Number of the "before" photo of the same spot'), validators=[Optional()])
    submit = SubmitField(_l("Save"))


class RedactForm(FlaskForm):
    mode = SelectField(_l("What to do"), choices=[("blur", _l("Blur the area")), ("crop", _l("Keep only the area"))])
    left = DecimalField(_l("Left (%)"), places=1, validators=[InputRequired(), NumberRange(0, 100)])
    top = DecimalField(_l("Top (%)"), places=1, validators=[InputRequired(), NumberRange(0, 100)])
    width = DecimalField(_l("Width (%)"), places=1, validators=[InputRequired(), NumberRange(1, 100)])
    height = DecimalField(_l("Height (%)"), places=1, validators=[InputRequired(), NumberRange(1, 100)])
    submit = SubmitField(_l("Apply"))
