"""The gate of the Evaluation phase, answered by the assessments: it holds once the project's center has an
approved assessment linked to the project, or not linked to any project and dated within the project's span.

Installed into :mod:`app.projects.gates` when the assessments blueprint is imported. Until every team records
assessments in the app, the gate it replaces (typed evidence of an assessment made elsewhere) still counts;
``install_evaluation_gate(strict=True)`` drops that.
"""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from app.assessments.services import approved_assessment_for_project
from app.core.enums import PhaseKind
from app.projects.gates import Gate, GateResult, gate_for, register_gate
from app.projects.models import Phase


class ApprovedAssessmentGate:
    def __init__(self, fallback: Gate | None = None) -> None:
        self._fallback = fallback
        self.needs_evidence = bool(fallback is not None and fallback.needs_evidence)

    def requirement(self) -> str:
        if self._fallback is None:
            return _(
                "An approved assessment of the center in Rehabilita, linked to this project or dated within its "
                "planned span."
            )
        return _(
            "An approved assessment of the center in Rehabilita (linked to this project or dated within its planned "
            "span), or else the date and reference of an assessment approved outside Rehabilita."
        )

    def check(self, session: Session, phase: Phase) -> GateResult:
        assessment = approved_assessment_for_project(session, phase.project)
        if assessment is not None:
            return GateResult(
                True,
                _(
                    "Assessment approved: %(type)s of %(date)s.",
                    type=assessment.assessment_type.label,
                    date=format_date(assessment.assessed_on),
                ),
            )
        if self._fallback is not None:
            fallback = self._fallback.check(session, phase)
            if fallback.ok:
                return fallback
        return GateResult(False, _("This phase cannot be closed yet: %(requirement)s", requirement=self.requirement()))


def install_evaluation_gate(strict: bool = False) -> None:
    """Make the Evaluation phase's gate look for an approved assessment (once; later calls change nothing)."""
    current = gate_for(PhaseKind.EVALUATION)
    if isinstance(current, ApprovedAssessmentGate):
        return
    register_gate(PhaseKind.EVALUATION, ApprovedAssessmentGate(None if strict else current))
