"""The checklist shipped for the working-model evaluation: protection as well as buildings, in Spanish and English.

It is data: once created, an administrator edits it like any other template.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.assessments.models import ChecklistQuestion, ChecklistSection, ChecklistTemplate
from app.core.enums import AnswerType, AssessmentType

DEFAULT_TEMPLATE_NAME = "Evaluación del modelo de trabajo / Working-model evaluation"

YES_NO, SCORE, NUMBER, TEXT = AnswerType.YES_NO, AnswerType.SCORE, AnswerType.NUMBER, AnswerType.TEXT


@dataclass(frozen=True)
class Q:
    es: str
    en: str
    answer_type: AnswerType
    evidence: bool = False


@dataclass(frozen=True)
class S:
    es: str
    en: str
    questions: tuple[Q, ...]


DEFAULT_SECTIONS: tuple[S, ...] = (
    S(
        "Protección",
        "Protection",
        (
            Q(
                "Los servicios sanitarios están separados por sexo y señalizados.",
                "Toilets are separated by sex and clearly signposted.",
                YES_NO,
                True,
            ),
            Q(
                "Las puertas de sanitarios y duchas se pueden cerrar desde adentro (pasador o llave).",
                "Toilet and shower doors can be locked from the inside.",
                YES_NO,
                True,
            ),
            Q(
                "Sanitarios, duchas y los caminos hacia ellos están iluminados de noche.",
                "Toilets, showers and the paths to them are lit at night.",
                YES_NO,
                True,
            ),
            Q(
                "Las duchas están separadas por sexo y ofrecen privacidad.",
                "Showers are separated by sex and give privacy.",
                YES_NO,
                True,
            ),
            Q(
                "Los dormitorios están separados para mujeres, hombres y familias.",
                "Sleeping areas are separate for women, men and families.",
                YES_NO,
            ),
            Q(
                "Hay un espacio para entrevistas con privacidad (no se oye ni se ve desde afuera).",
                "There is a space for interviews with privacy (cannot be heard or seen from outside).",
                YES_NO,
                True,
            ),
            Q(
                "Condiciones generales de protección (0 = críticas, 4 = adecuadas).",
                "Overall protection conditions (0 = critical, 4 = adequate).",
                SCORE,
            ),
        ),
    ),
    S(
        "Espacios para niñez",
        "Spaces for children",
        (
            Q(
                "Hay espacios separados para niñas, niños y adolescentes no acompañados.",
                "There are separate spaces for unaccompanied children and adolescents.",
                YES_NO,
                True,
            ),
            Q(
                "Hay un espacio amigable para la niñez, seguro y con materiales de juego.",
                "There is a child-friendly space, safe and with play materials.",
                YES_NO,
                True,
            ),
            Q(
                "Superficie del espacio amigable para la niñez (m²).",
                "Floor area of the child-friendly space (m²).",
                NUMBER,
            ),
            Q(
                "Estado de los espacios para niñez (0 = crítico, 4 = adecuado).",
                "Condition of the spaces for children (0 = critical, 4 = adequate).",
                SCORE,
            ),
        ),
    ),
    S(
        "Agua y saneamiento",
        "Water and sanitation",
        (
            Q(
                "El suministro de agua es continuo (sin cortes en la última semana).",
                "The water supply is continuous (no cuts in the last week).",
                YES_NO,
            ),
            Q(
                "El agua para beber es segura (tratada o embotellada).",
                "Drinking water is safe (treated or bottled).",
                YES_NO,
            ),
            Q(
                "Hay lavamanos con jabón cerca de los sanitarios.",
                "There are handwashing points with soap near the toilets.",
                YES_NO,
                True,
            ),
            Q(
                "Estado de sanitarios y duchas (0 = crítico, 4 = adecuado).",
                "Condition of toilets and showers (0 = critical, 4 = adequate).",
                SCORE,
                True,
            ),
            Q(
                "Las aguas residuales van a la red o a un sistema de tratamiento, sin fugas.",
                "Wastewater goes to the sewer or to a treatment system, without leaks.",
                YES_NO,
            ),
        ),
    ),
    S(
        "Estructura",
        "Structure",
        (
            Q(
                "Estado de techos y cubiertas, sin filtraciones (0 = crítico, 4 = adecuado).",
                "Condition of roofs, free of leaks (0 = critical, 4 = adequate).",
                SCORE,
                True,
            ),
            Q(
                "Estado de paredes, columnas y vigas, sin grietas (0 = crítico, 4 = adecuado).",
                "Condition of walls, columns and beams, free of cracks (0 = critical, 4 = adequate).",
                SCORE,
                True,
            ),
            Q(
                "Ventilación de dormitorios y áreas comunes (0 = insuficiente, 4 = adecuada).",
                "Ventilation of sleeping and common areas (0 = insufficient, 4 = adequate).",
                SCORE,
            ),
        ),
    ),
    S(
        "Electricidad",
        "Electrical",
        (
            Q(
                "Estado de la instalación eléctrica: tableros, cables expuestos (0 = peligrosa, 4 = adecuada).",
                "Condition of the electrical installation: panels, exposed wiring (0 = dangerous, 4 = adequate).",
                SCORE,
                True,
            ),
            Q(
                "Hay iluminación suficiente en áreas comunes y exteriores.",
                "Common and outdoor areas are sufficiently lit.",
                YES_NO,
            ),
            Q(
                "Hay una fuente de energía de respaldo (generador o solar).",
                "There is a backup power source (generator or solar).",
                YES_NO,
            ),
        ),
    ),
    S(
        "Incendios y evacuación",
        "Fire and evacuation",
        (
            Q("Número de salidas de emergencia utilizables.", "Number of usable emergency exits.", NUMBER),
            Q(
                "Las salidas de emergencia están señalizadas y libres de obstáculos.",
                "Emergency exits are signposted and free of obstacles.",
                YES_NO,
                True,
            ),
            Q(
                "Hay extintores vigentes y accesibles.",
                "Fire extinguishers are in date and within reach.",
                YES_NO,
                True,
            ),
            Q(
                "Hay un plan de evacuación visible y practicado.",
                "An evacuation plan is posted and has been practised.",
                YES_NO,
            ),
        ),
    ),
    S(
        "Accesibilidad",
        "Accessibility",
        (
            Q(
                "El acceso al centro no tiene escalones o tiene rampa.",
                "The entrance has no steps or has a ramp.",
                YES_NO,
                True,
            ),
            Q(
                "Hay un sanitario accesible para personas con discapacidad (barras, espacio de giro).",
                "There is a toilet accessible to people with disabilities (grab bars, turning space).",
                YES_NO,
                True,
            ),
            Q(
                "Puertas y pasillos permiten el paso de una silla de ruedas (90 cm o más).",
                "Doors and corridors let a wheelchair through (90 cm or more).",
                YES_NO,
            ),
        ),
    ),
    S(
        "Cocina y comedor",
        "Kitchen and dining",
        (
            Q(
                "Estado de la cocina: higiene, superficies lavables, ventilación (0 = crítico, 4 = adecuado).",
                "Condition of the kitchen: hygiene, washable surfaces, ventilation (0 = critical, 4 = adequate).",
                SCORE,
                True,
            ),
            Q(
                "El comedor tiene capacidad para el turno de mayor ocupación.",
                "The dining area seats the busiest shift.",
                YES_NO,
            ),
            Q(
                "Los alimentos se almacenan protegidos de plagas y la refrigeración funciona.",
                "Food is stored safe from pests and refrigeration works.",
                YES_NO,
            ),
        ),
    ),
    S(
        "Salud y atención psicosocial",
        "Health and psychosocial care",
        (
            Q(
                "Hay un consultorio médico o un espacio de primeros auxilios.",
                "There is a medical room or a first-aid space.",
                YES_NO,
                True,
            ),
            Q(
                "Hay un espacio privado para la atención psicosocial.",
                "There is a private room for psychosocial care.",
                YES_NO,
            ),
            Q("Observaciones sobre la atención de salud.", "Remarks on health care.", TEXT),
        ),
    ),
)


def template_ensure_default(session: Session) -> bool:
    """Create the default working-model checklist unless one exists. Returns True when it was created.

    Any template of the working-model type counts as existing, so a template the administrator renamed or
    deactivated is never brought back behind their back.
    """
    existing = session.scalar(
        select(ChecklistTemplate.id).where(ChecklistTemplate.assessment_type == AssessmentType.WORKING_MODEL).limit(1)
    )
    if existing is not None:
        return False
    template = ChecklistTemplate(name=DEFAULT_TEMPLATE_NAME, assessment_type=AssessmentType.WORKING_MODEL, active=True)
    for s_index, spec in enumerate(DEFAULT_SECTIONS, start=1):
        section = ChecklistSection(position=s_index, title_es=spec.es, title_en=spec.en)
        for q_index, question in enumerate(spec.questions, start=1):
            section.questions.append(
                ChecklistQuestion(
                    position=q_index,
                    text_es=question.es,
                    text_en=question.en,
                    answer_type=question.answer_type,
                    evidence_photo_required=question.evidence,
                    active=True,
                )
            )
        template.sections.append(section)
    session.add(template)
    session.flush()
    return True
