from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.core.enums import DocumentKind, DocumentStatus
from app.core.inputs import record_id


class DocumentForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=DocumentKind.choices, validators=[DataRequired()])
    project_id = SelectField(_l("Project"), coerce=record_id, validators=[Optional()])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000)])
    file = FileField(_l("File"), validators=[FileRequired(_l("Choose a file."))])
    submit = SubmitField(_l("Upload"))


class VersionForm(FlaskForm):
    file = FileField(_l("New version"), validators=[FileRequired(_l("Choose a file."))])
    note = StringField(_l("What changed"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Upload version"))


class StatusForm(FlaskForm):
    status = SelectField(_l("Status"), choices=DocumentStatus.choices, validators=[DataRequired()])
    submit = SubmitField(_l("Change status"))
