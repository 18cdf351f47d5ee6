"""Forms of the assessments feature. The checklist form is built per template: one field per question."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    Field,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from app.assessments.findings import FindingValues
from app.assessments.indicators import Figures
from app.assessments.models import ChecklistQuestion
from app.assessments.services import AnswerInput, AnswerValue
from app.core.enums import AnswerType, AssessmentType, Severity
from app.core.inputs import record_id
from app.core.timeutil import today

NOT_NEGATIVE = _l("Cannot be negative.")
SCORES = ["0", "1", "2", "3", "4"]


def _count(label: Any) -> IntegerField:
    return IntegerField(label, validators=[Optional(), NumberRange(min=0, message=NOT_NEGATIVE)])


def _measure(label: Any) -> DecimalField:
    return DecimalField(label, places=2, validators=[Optional(), NumberRange(min=0, message=NOT_NEGATIVE)])


class NewAssessmentForm(FlaskForm):
    center_id = SelectField(_l("Center"), coerce=record_id, validators=[DataRequired()])
    project_id = SelectField(_l("Project (if there is one)"), coerce=record_id, validate_choice=False)
    assessment_type = SelectField(_l("Type"), choices=AssessmentType.choices, validators=[DataRequired()])
    template_id = SelectField(_l("Checklist"), coerce=record_id, validators=[DataRequired()])
    assessed_on = DateField(_l("Date of the visit"), default=today, validators=[InputRequired()])
    submit = SubmitField(_l("Start the assessment"))


FIGURE_LABELS = {
    "occupancy_peak": _l("Occupancy at peak (persons)"),
    "covered_area_m2": _l("Covered floor area (m²)"),
    "toilets": _l("Toilets"),
    "accessible_toilets": _l("Accessible toilets"),
    "showers": _l("Showers"),
    "taps": _l("Water taps"),
    "water_litres_per_day": _l("Water supply per day (litres)"),
}


class AssessmentForm(FlaskForm):
    """Date, summary and raw figures; :func:`checklist_form` adds one field (and a comment) per question."""

    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    assessed_on = DateField(_l("Date of the visit"), validators=[InputRequired()])
    summary = TextAreaField(_l("Summary and general observations"), validators=[Optional(), Length(max=20000)])
    occupancy_peak = _count(FIGURE_LABELS["occupancy_peak"])
    covered_area_m2 = _measure(FIGURE_LABELS["covered_area_m2"])
    toilets = _count(FIGURE_LABELS["toilets"])
    accessible_toilets = _count(FIGURE_LABELS["accessible_toilets"])
    showers = _count(FIGURE_LABELS["showers"])
    taps = _count(FIGURE_LABELS["taps"])
    water_litres_per_day = _measure(FIGURE_LABELS["water_litres_per_day"])
    submit = SubmitField(_l("Save"))

    question_ids: list[int]

    def figures(self) -> Figures:
        return Figures(**{name: self[name].data for name in FIGURE_LABELS})

    def answers(self) -> dict[int, AnswerInput]:
        """The answers sent. A question whose fields were not sent at all is left out, so it keeps its answer
        (a browser always sends the comment box; an unticked radio group alone means "no answer")."""
        answers = {}
        for qid in self.question_ids:
            value, comment = self[f"q_{qid}"], self[f"c_{qid}"]
            if value.raw_data or comment.raw_data:
                answers[qid] = AnswerInput(_answer_value(value), comment.data or "")
        return answers


def _answer_value(field: Field) -> AnswerValue:
    data = field.data
    if data is None or data == "":
        return None
    if isinstance(field, RadioField) and data in ("yes", "no"):
        return data == "yes"
    if isinstance(field, RadioField):
        return int(data)
    if isinstance(data, Decimal | str):
        return data
    return None


def _question_field(question: ChecklistQuestion, label: str) -> Field:
    kind = question.answer_type
    if kind is AnswerType.YES_NO:
        return RadioField(
            label,
            choices=[("yes", _l("Yes")), ("no", _l("No")), ("", _l("No answer"))],
            validate_choice=False,
            validators=[Optional(), AnyOf(["yes", "no"], message=_l("Answer yes or no."))],
        )
    if kind is AnswerType.SCORE:
        return RadioField(
            label,
            choices=[*((score, score) for score in SCORES), ("", _l("No answer"))],
            validate_choice=False,
            validators=[Optional(), AnyOf(SCORES, message=_l("A score goes from 0 to 4."))],
        )
    if kind is AnswerType.NUMBER:
        return DecimalField(label, places=2, validators=[Optional(), NumberRange(min=0, message=NOT_NEGATIVE)])
    return TextAreaField(label, validators=[Optional(), Length(max=4000)])


def checklist_form(questions: Iterable[ChecklistQuestion], language: str, **kwargs: Any) -> AssessmentForm:
    """An :class:`AssessmentForm` with fields ``q_<id>`` (the answer) and ``c_<id>`` (a comment) per question."""

    class _ChecklistForm(AssessmentForm):
        pass

    ids = []
    for question in questions:
        ids.append(question.id)
        setattr(_ChecklistForm, f"q_{question.id}", _question_field(question, question.text(language)))
        setattr(
            _ChecklistForm, f"c_{question.id}", StringField(_l("Comment"), validators=[Optional(), Length(max=4000)])
        )
    form = _ChecklistForm(**kwargs)
    form.question_ids = ids
    return form


def answer_form_data(question: ChecklistQuestion, answer: Any) -> Any:
    """The value of a saved answer as its form field expects it."""
    if answer is None:
        return None
    kind = question.answer_type
    if kind is AnswerType.YES_NO:
        return None if answer.value_bool is None else ("yes" if answer.value_bool else "no")
    if kind is AnswerType.SCORE:
        return None if answer.value_int is None else str(answer.value_int)
    if kind is AnswerType.NUMBER:
        return answer.value_decimal
    return answer.value_text


class FindingForm(FlaskForm):
    description = TextAreaField(_l("What was found"), validators=[DataRequired(), Length(max=4000)])
    location = StringField(_l("Where in the building"), validators=[Optional(), Length(max=200)])
    severity = SelectField(_l("Severity"), choices=Severity.choices, validators=[DataRequired()])
    recommended_action = TextAreaField(_l("Recommended action"), validators=[Optional(), Length(max=4000)])
    cost_estimate = DecimalField(
        _l("Cost estimate"), places=2, validators=[Optional(), NumberRange(min=0, message=NOT_NEGATIVE)]
    )
    currency = SelectField(
        _l("Currency"), choices=[("USD", _l("US dollars (USD)")), ("HNL", _l("Lempiras (HNL)"))], default="USD"
    )
    submit = SubmitField(_l("Save the finding"))

    def values(self) -> FindingValues:
        return FindingValues(
            description=self.description.data or "",
            location=self.location.data or "",
            severity=Severity(self.severity.data),
            recommended_action=self.recommended_action.data or "",
            cost_estimate=self.cost_estimate.data,
            currency=self.currency.data or "USD",
        )


class ReviewForm(FlaskForm):
    decision = RadioField(
        _l("Decision"),
        choices=[("approve", _l("Approve")), ("return", _l("Return with comments"))],
        validators=[DataRequired(message=_l("Approve or return the assessment."))],
    )
    comment = TextAreaField(_l("Comment for the author"), validators=[Optional(), Length(max=4000)])


class CarryForm(FlaskForm):
    project_id = SelectField(_l("Project"), coerce=record_id, validate_choice=False, validators=[DataRequired()])
    submit = SubmitField(_l("Carry into the design phase"))


class EvidencePhotoForm(FlaskForm):
    photo = FileField(_l("Photo"))
    target = SelectField(_l("The photo shows"), validate_choice=False)
    caption = StringField(_l("Caption"), validators=[Optional(), Length(max=2000)])
    identifiable_people = BooleanField(_l("Identifiable people appear in the photo"))
    consent_recorded = BooleanField(_l("Their consent is recorded"))
    submit = SubmitField(_l("Add the photo"))


# --- administration -------------------------------------------------------------------------------------
class TemplateForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    assessment_type = SelectField(_l("Type"), choices=AssessmentType.choices, validators=[DataRequired()])
    active = BooleanField(_l("Active (offered for new assessments)"), default=True)
    submit = SubmitField(_l("Save"))


class SectionForm(FlaskForm):
    title_es = StringField(_l("Title in Spanish"), validators=[DataRequired(), Length(max=200)])
    title_en = StringField(_l("Title in English"), validators=[DataRequired(), Length(max=200)])
    position = IntegerField(_l("Position"), validators=[Optional(), NumberRange(min=0, max=999)])
    submit = SubmitField(_l("Save"))


class QuestionForm(FlaskForm):
    text_es = TextAreaField(_l("Question in Spanish"), validators=[DataRequired(), Length(max=2000)])
    text_en = TextAreaField(_l("Question in English"), validators=[DataRequired(), Length(max=2000)])
    answer_type = SelectField(_l("Answer"), choices=AnswerType.choices, validators=[DataRequired()])
    evidence_photo_required = BooleanField(_l("An evidence photo is required"))
    active = BooleanField(_l("Active (asked in new assessments)"), default=True)
    position = IntegerField(_l("Position"), validators=[Optional(), NumberRange(min=0, max=999)])
    submit = SubmitField(_l("Save"))


def thresholds_form(keys_labels: Iterable[tuple[str, str]], **kwargs: Any) -> FlaskForm:
    """One decimal field per standard, named by its key."""

    class _ThresholdsForm(FlaskForm):
        submit = SubmitField(_l("Save the standards"))

    for key, label in keys_labels:
        setattr(
            _ThresholdsForm,
            key,
            DecimalField(
                label,
                places=2,
                validators=[InputRequired(), NumberRange(min=0, message=NOT_NEGATIVE)],
            ),
        )
    return _ThresholdsForm(**kwargs)
