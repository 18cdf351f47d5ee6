"""Demo assessments: the default checklist, the standards, and two assessments of the San Pedro Sula center —
an approved one before the works and a later one submitted for review, so the before/after table has data.

Idempotent: nothing is added when the center already has an assessment.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.assessments import findings, services
from app.assessments.checklists import thresholds_ensure_defaults
from app.assessments.indicators import Figures
from app.assessments.models import Assessment, ChecklistTemplate
from app.assessments.templates_default import template_ensure_default
from app.auth.models import User
from app.centers.models import Center
from app.core.audit.recorder import acting_as
from app.core.enums import AnswerType, AssessmentType, Severity
from app.core.timeutil import today
from app.projects.models import Project

CENTER_CODE = "CAMR-SPS"
PROJECT_CODE = "CAMR-SPS-01"

BEFORE = Figures(
    occupancy_peak=300,
    covered_area_m2=Decimal("820"),
    toilets=12,
    accessible_toilets=0,
    showers=6,
    taps=3,
    water_litres_per_day=Decimal("4200"),
)
AFTER = Figures(
    occupancy_peak=300,
    covered_area_m2=Decimal("1100"),
    toilets=16,
    accessible_toilets=2,
    showers=8,
    taps=4,
    water_litres_per_day=Decimal("6000"),
)
FINDINGS = (
    findings.FindingValues(
        description="Las puertas de los sanitarios de mujeres no tienen pasador.",
        location="Batería sanitaria, bloque B",
        severity=Severity.HIGH,
        recommended_action="Instalar pasadores interiores en 6 puertas y reparar las bisagras.",
        cost_estimate=Decimal("3600.00"),
        currency="HNL",
    ),
    findings.FindingValues(
        description="No hay sanitario accesible para personas con discapacidad.",
        location="Planta baja",
        severity=Severity.CRITICAL,
        recommended_action="Adecuar un sanitario con barras de apoyo, puerta de 90 cm y rampa de acceso.",
        cost_estimate=Decimal("2400.00"),
        currency="USD",
    ),
    findings.FindingValues(
        description="Filtraciones en el techo del dormitorio de familias.",
        location="Dormitorio 3",
        severity=Severity.MEDIUM,
        recommended_action="Sustituir 40 m² de lámina y sellar cumbreras.",
        cost_estimate=Decimal("1850.00"),
        currency="USD",
    ),
)


def _answers(assessment: Assessment, good: bool) -> dict[int, services.AnswerInput]:
    answers: dict[int, services.AnswerInput] = {}
    for index, question in enumerate(services.active_questions(assessment.template)):
        if question.answer_type is AnswerType.YES_NO:
            answers[question.id] = services.AnswerInput(good or index % 3 == 0)
        elif question.answer_type is AnswerType.SCORE:
            answers[question.id] = services.AnswerInput(3 if good else 1 + index % 2)
        elif question.answer_type is AnswerType.NUMBER:
            answers[question.id] = services.AnswerInput(Decimal(2 if good else 1))
    return answers


def load_demo_assessments(session: Session) -> bool:
    """Add the demo checklist, standards and assessments that are missing. Returns True when something changed."""
    changed = template_ensure_default(session)
    thresholds_ensure_defaults(session)
    center = session.scalar(select(Center).where(Center.code == CENTER_CODE))
    engineer = session.scalar(select(User).where(User.email == "engineer@example.org"))
    manager = session.scalar(select(User).where(User.email == "manager@example.org"))
    template = session.scalar(
        select(ChecklistTemplate).where(ChecklistTemplate.assessment_type == AssessmentType.WORKING_MODEL).limit(1)
    )
    if center is None or engineer is None or manager is None or template is None:
        return changed
    if session.scalar(select(Assessment.id).where(Assessment.center_id == center.id).limit(1)) is not None:
        return changed
    project = session.scalar(select(Project).where(Project.code == PROJECT_CODE))
    with acting_as(engineer.id):
        for days_ago, figures, good in ((290, BEFORE, False), (12, AFTER, True)):
            assessment = services.assessment_create(
                session,
                author_id=engineer.id,
                center_id=center.id,
                project_id=project.id if project else None,
                template_id=template.id,
                assessment_type=AssessmentType.WORKING_MODEL,
                assessed_on=today() - timedelta(days=days_ago),
            )
            services.assessment_save(
                session,
                assessment,
                version=None,
                assessed_on=assessment.assessed_on,
                summary="Visita con la administración del centro."
                if good
                else "Centro saturado en horas pico; protección y accesibilidad insuficientes.",
                figures=figures,
                answers=_answers(assessment, good),
            )
            if not good:
                for finding in FINDINGS:
                    findings.finding_add(session, assessment, finding)
            services.assessment_submit(session, assessment)
            if not good:
                with acting_as(manager.id):
                    services.assessment_approve(session, assessment, reviewer_id=manager.id)
    return True
