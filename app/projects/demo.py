"""Demo projects for the demo centers: one in works, one in partnership, one handed over.

Dates are relative to today, so the demo always has overdue milestones, milestones due soon and a works bar
that reaches today. Idempotent, keyed by project code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.centers.models import Center
from app.core.audit.recorder import acting_as
from app.core.enums import MilestoneStatus, PhaseKind, PhaseStatus, ProjectKind
from app.core.timeutil import today
from app.organizations.models import Organization
from app.projects.models import Project
from app.projects.services import project_create, project_refresh_summary
from app.projects.tracking import milestone_create, progress_record

MANAGER_EMAIL = "manager@example.org"
ENGINEER_EMAIL = "engineer@example.org"


@dataclass(frozen=True)
class DemoPhase:
    kind: PhaseKind
    planned: tuple[int, int]  # days from today
    actual: tuple[int | None, int | None] = (None, None)
    status: PhaseStatus = PhaseStatus.NOT_STARTED
    evidence: str = ""


@dataclass(frozen=True)
class DemoMilestone:
    title: str
    phase: PhaseKind
    planned: int
    done: int | None = None
    status: MilestoneStatus = MilestoneStatus.OPEN
    by_engineer: bool = False
    notes: str = ""


@dataclass(frozen=True)
class DemoProject:
    code: str
    center: str
    title: str
    objective: str
    kind: ProjectKind
    funders: tuple[str, ...]
    planned: tuple[int, int]
    phases: tuple[DemoPhase, ...]
    milestones: tuple[DemoMilestone, ...]
    readings: tuple[tuple[int, str], ...] = field(default=())
    contractor: str = ""


DONE = PhaseStatus.DONE
ACTIVE = PhaseStatus.IN_PROGRESS
CLOSED = MilestoneStatus.DONE

PROJECTS = (
    DemoProject(
        code="CAMR-SPS-01",
        center="CAMR-SPS",
        title="Rehabilitación del CAMR San Pedro Sula",
        objective=(
            "Recuperar dormitorios, baterías sanitarias y red de agua del centro para recibir con dignidad "
            "a 300 personas retornadas por día."
        ),
        kind=ProjectKind.REHABILITATION,
        funders=("USAID", "SIDA"),
        planned=(-300, 90),
        phases=(
            DemoPhase(PhaseKind.EVALUATION, (-300, -240), (-298, -245), DONE, "Evaluación aprobada, ref. EV-SPS-01"),
            DemoPhase(
                PhaseKind.PARTNERSHIP, (-240, -200), (-244, -195), DONE, "Convenio firmado con SRECI, ref. CONV-17"
            ),
            DemoPhase(
                PhaseKind.DESIGN, (-200, -140), (-194, -130), DONE, "Diseño DIS-SPS-03 y presupuesto PRES-SPS-03"
            ),
            DemoPhase(PhaseKind.WORKS, (-140, 60), (-125, None), ACTIVE),
            DemoPhase(PhaseKind.HANDOVER, (60, 90)),
        ),
        milestones=(
            DemoMilestone("Acta de inicio y replanteo de obra", PhaseKind.WORKS, -125, -125, CLOSED),
            DemoMilestone("Demolición de cubiertas dañadas", PhaseKind.WORKS, -90, -84, CLOSED, True),
            DemoMilestone(
                "Instalación eléctrica del módulo de dormitorios",
                PhaseKind.WORKS,
                -10,
                by_engineer=True,
                notes="Falta el tablero principal; proveedor confirma entrega.",
            ),
            DemoMilestone("Sustitución de la red de agua potable", PhaseKind.WORKS, -3, by_engineer=True),
            DemoMilestone("Baterías sanitarias accesibles terminadas", PhaseKind.WORKS, 9, by_engineer=True),
            DemoMilestone("Inspección de seguridad contra incendios", PhaseKind.WORKS, 25),
            DemoMilestone("Recepción provisional de la obra", PhaseKind.HANDOVER, 65),
        ),
        readings=((-100, "10"), (-70, "25"), (-45, "38"), (-20, "52"), (-5, "60")),
        contractor="Constructora Valle de Sula S. de R.L.",
    ),
    DemoProject(
        code="CAMR-OMOA-01",
        center="CAMR-OMOA",
        title="Adecuación del CAMR Omoa para niñez no acompañada",
        objective="Espacios separados por edad, área de juego y consultorio psicosocial.",
        kind=ProjectKind.REHABILITATION,
        funders=("GAC",),
        planned=(-120, 280),
        phases=(
            DemoPhase(
                PhaseKind.EVALUATION, (-120, -60), (-118, -70), DONE, "Evaluación aprobada por DINAF, ref. EV-OM-02"
            ),
            DemoPhase(PhaseKind.PARTNERSHIP, (-60, 10), (-65, None), ACTIVE),
            DemoPhase(PhaseKind.DESIGN, (10, 70)),
            DemoPhase(PhaseKind.WORKS, (70, 250)),
            DemoPhase(PhaseKind.HANDOVER, (250, 280)),
        ),
        milestones=(
            DemoMilestone("Visita técnica de evaluación", PhaseKind.EVALUATION, -110, -108, CLOSED, True),
            DemoMilestone("Informe de evaluación aprobado", PhaseKind.EVALUATION, -75, -70, CLOSED),
            DemoMilestone("Borrador de convenio enviado a DINAF", PhaseKind.PARTNERSHIP, -30, -28, CLOSED),
            DemoMilestone(
                "Revisión legal del convenio", PhaseKind.PARTNERSHIP, -6, notes="Pendiente de la asesoría legal."
            ),
            DemoMilestone("Firma del convenio con DINAF y la Municipalidad de Omoa", PhaseKind.PARTNERSHIP, 12),
            DemoMilestone("Términos de referencia del diseño", PhaseKind.DESIGN, 30, by_engineer=True),
        ),
    ),
    DemoProject(
        code="CANFM-BELEN-01",
        center="CANFM-BELEN",
        title="Reconstrucción del módulo familiar del CANFM Belén",
        objective="Módulo familiar nuevo con ocho habitaciones, cocina comunitaria y lactario.",
        kind=ProjectKind.RECONSTRUCTION,
        funders=("LUX", "USAID"),
        planned=(-600, -60),
        phases=(
            DemoPhase(PhaseKind.EVALUATION, (-600, -540), (-598, -545), DONE, "Evaluación aprobada, ref. EV-BEL-01"),
            DemoPhase(PhaseKind.PARTNERSHIP, (-540, -490), (-544, -488), DONE, "Convenio firmado, ref. CONV-09"),
            DemoPhase(PhaseKind.DESIGN, (-490, -420), (-487, -410), DONE, "Diseño DIS-BEL-02, presupuesto PRES-BEL-02"),
            DemoPhase(PhaseKind.WORKS, (-420, -120), (-405, -108), DONE),
            DemoPhase(
                PhaseKind.HANDOVER,
                (-120, -60),
                (-107, -75),
                DONE,
                "Acta de entrega firmada con DINAF, ref. AE-BEL-01; fotos finales archivadas",
            ),
        ),
        milestones=(
            DemoMilestone("Licencia de construcción municipal", PhaseKind.DESIGN, -430, -425, CLOSED),
            DemoMilestone("Fundaciones y losa terminadas", PhaseKind.WORKS, -330, -322, CLOSED, True),
            DemoMilestone("Cubierta instalada", PhaseKind.WORKS, -230, -236, CLOSED, True),
            DemoMilestone(
                "Cocina comunitaria equipada",
                PhaseKind.WORKS,
                -140,
                status=MilestoneStatus.CANCELLED,
                notes="La equipa UNICEF con fondos propios.",
            ),
            DemoMilestone("Acta de entrega firmada", PhaseKind.HANDOVER, -80, -75, CLOSED),
            DemoMilestone("Visita de seguimiento a los 90 días", PhaseKind.HANDOVER, 11),
        ),
        readings=((-300, "20"), (-220, "55"), (-150, "85"), (-110, "100")),
        contractor="Inversiones y Construcciones Belén S.A.",
    ),
)


def load_demo_projects(session: Session) -> bool:
    """Add the demo projects that are missing. Returns False when they were all there already."""
    existing = set(session.scalars(select(Project.code)))
    missing = [spec for spec in PROJECTS if spec.code not in existing]
    if not missing:
        return False
    manager = session.scalar(select(User).where(User.email == MANAGER_EMAIL))
    engineer = session.scalar(select(User).where(User.email == ENGINEER_EMAIL))
    centers = {center.code: center for center in session.scalars(select(Center))}
    orgs = {org.acronym: org.id for org in session.scalars(select(Organization))}
    changed = False
    for spec in missing:
        if spec.center not in centers:
            continue
        with acting_as(manager.id if manager else None):
            project = _create(session, spec, centers[spec.center], manager, engineer, orgs)
        if engineer and spec.readings:
            with acting_as(engineer.id):
                _record_readings(session, project, spec)
        changed = True
    return changed


def _day(offset: int | None) -> date | None:
    return None if offset is None else today() + timedelta(days=offset)


def _create(
    session: Session,
    spec: DemoProject,
    center: Center,
    manager: User | None,
    engineer: User | None,
    orgs: dict[str, int],
) -> Project:
    start, end = _day(spec.planned[0]), _day(spec.planned[1])
    assert start and end
    project = project_create(
        session,
        code=spec.code,
        title=spec.title,
        objective=spec.objective,
        kind=spec.kind,
        center_id=center.id,
        manager_id=manager.id if manager else None,
        funder_ids=[orgs[acronym] for acronym in spec.funders if acronym in orgs],
        planned_start=start,
        planned_end=end,
    )
    # The demo writes a history that already happened, so it sets the phases directly rather than through
    # phase_update (whose gates would ask for the works' progress before the readings are loaded).
    for phase_spec in spec.phases:
        phase = project.phase(phase_spec.kind)
        phase.planned_start, phase.planned_end = _day(phase_spec.planned[0]), _day(phase_spec.planned[1])
        phase.actual_start, phase.actual_end = _day(phase_spec.actual[0]), _day(phase_spec.actual[1])
        phase.status = phase_spec.status
        phase.gate_evidence = phase_spec.evidence
    project_refresh_summary(project)
    session.flush()
    for item in spec.milestones:
        owner = engineer if item.by_engineer and engineer else manager
        planned = _day(item.planned)
        assert planned
        milestone_create(
            session,
            project,
            title=item.title,
            phase_id=project.phase(item.phase).id,
            owner_id=owner.id if owner else None,
            planned_date=planned,
            status=item.status,
            actual_date=_day(item.done),
            notes=item.notes,
        )
    return project


def _record_readings(session: Session, project: Project, spec: DemoProject) -> None:
    for offset, percent in spec.readings:
        reading_date = _day(offset)
        assert reading_date
        progress_record(
            session, project, reading_date=reading_date, percent=Decimal(percent), contractor=spec.contractor
        )
