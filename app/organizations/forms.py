from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from app.core.enums import OrganizationKind


def _kind_choices() -> list[tuple[str, str]]:
    return OrganizationKind.choices()


class OrganizationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    acronym = StringField(_l("Acronym"), validators=[DataRequired(), Length(max=40)])
    kind = SelectField(_l("Kind"), choices=_kind_choices, validators=[DataRequired()])
    country = StringField(
        _l("Country (ISO code)"),
        default="HN",
        validators=[DataRequired(), Regexp(r"^[A-Za-z]{2}$", message=_l("Two letters, for example HN."))],
    )
    iati_identifier = StringField(
        _l("IATI organisation identifier"),
        validators=[
            Optional(),
            Length(max=100),
            Regexp(r"^[A-Za-z0-9][A-Za-z0-9._-]*-[A-Za-z0-9._-]+$", message=_l("For example XM-DAC-47066.")),
        ],
    )
    version = HiddenField()
    submit = SubmitField(_l("Save"))
