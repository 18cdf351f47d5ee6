from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from app.api.tokens import NAME_MAX

EXPIRY_CHOICES = [
    ("", _l("Never")),
    ("30", _l("In 30 days")),
    ("90", _l("In 90 days")),
    ("365", _l("In a year")),
]


class TokenForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=NAME_MAX)],
        description=_l("What the token is for, for example the system that will use it."),
    )
    expires = SelectField(_l("Expires"), choices=EXPIRY_CHOICES, default="90")
    submit = SubmitField(_l("Create token"))


class RevokeTokenForm(FlaskForm):
    token_id = IntegerField(validators=[DataRequired()])
    submit = SubmitField(_l("Revoke"))
