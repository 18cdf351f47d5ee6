from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional

from app.auth.passwords import MIN_PASSWORD_LENGTH
from app.core.enums import Role
from app.core.inputs import record_id


def _role_choices() -> list[tuple[str, str]]:
    return Role.choices()


class UserForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    role = SelectField(_l("Role"), choices=_role_choices, validators=[DataRequired()])
    organization_id = SelectField(_l("Organization"), coerce=record_id, validators=[Optional()])
    active = BooleanField(_l("Active (can sign in)"), default=True)
    submit = SubmitField(_l("Save"))


class NewUserForm(UserForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(
        _l("Initial password"), validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)]
    )


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)])
    submit = SubmitField(_l("Set password"))
