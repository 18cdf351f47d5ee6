from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DecimalField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional

from app.centers.geography import DEPARTMENTS
from app.centers.services import CenterValues
from app.core.enums import Population
from app.core.inputs import record_id


class CoordinateField(DecimalField):
    """A decimal that also accepts the comma people in Honduras type as the decimal mark."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist and isinstance(valuelist[0], str):
            valuelist = [valuelist[0].strip().replace(",", ".")]
        super().process_formdata(valuelist)


def _population_choices() -> list[tuple[str, str]]:
    return Population.choices()


def _department_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [(name, name) for name in DEPARTMENTS]


class CenterForm(FlaskForm):
    code = StringField(_l("Short code"), validators=[DataRequired(), Length(max=32)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    population = SelectField(_l("Population served"), choices=_population_choices, validators=[DataRequired()])
    administering_org_id = SelectField(_l("Administering organization"), coerce=record_id, validators=[Optional()])
    department = SelectField(_l("Department"), choices=_department_choices, validators=[DataRequired()])
    municipality = StringField(_l("Municipality"), validators=[DataRequired(), Length(max=120)])
    address = TextAreaField(_l("Address"), validators=[Optional(), Length(max=2000)])
    latitude = CoordinateField(_l("Latitude"), places=None, validators=[Optional()])
    longitude = CoordinateField(_l("Longitude"), places=None, validators=[Optional()])
    capacity = IntegerField(_l("Capacity (persons)"), validators=[Optional()])
    usual_occupancy = IntegerField(_l("Usual occupancy (persons)"), validators=[Optional()])
    contact_name = StringField(_l("Contact name"), validators=[Optional(), Length(max=120)])
    contact_phone = StringField(_l("Contact phone"), validators=[Optional(), Length(max=40)])
    contact_email = EmailField(_l("Contact e-mail"), validators=[Optional(), Email(), Length(max=254)])
    version = HiddenField()
    submit = SubmitField(_l("Save"))

    def values(self) -> CenterValues:
        """What the person typed, as the services take it."""
        latitude: Decimal | None = self.latitude.data
        longitude: Decimal | None = self.longitude.data
        return CenterValues(
            code=self.code.data or "",
            name=self.name.data or "",
            population=Population(self.population.data),
            department=self.department.data or "",
            municipality=self.municipality.data or "",
            administering_org_id=self.administering_org_id.data or None,
            address=self.address.data or "",
            latitude=latitude,
            longitude=longitude,
            capacity=self.capacity.data,
            usual_occupancy=self.usual_occupancy.data,
            contact_name=self.contact_name.data or "",
            contact_phone=self.contact_phone.data or "",
            contact_email=self.contact_email.data or "",
        )

    def expected_version(self) -> int | None:
        raw = str(self.version.data or "").strip()
        return int(raw) if raw.isdigit() else None
