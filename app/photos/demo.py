"""Demo photos: drawn pictures of the demo centers, uploaded through the real ingest path (checks, derivatives,
storage), with before/after pairs and one photo of people without recorded consent, which never leaves the app."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageDraw
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.core.audit.recorder import acting_as
from app.core.enums import PhaseKind, PhotoStage
from app.core.storage import Storage
from app.photos.models import Photo
from app.photos.services import DuplicatePhoto, PhotoDescription, photo_describe, photo_upload
from app.projects.models import Project

ENGINEER_EMAIL = "engineer@example.org"
SIZE = (1600, 1200)
LIMITS = {"max_bytes": 20_000_000, "max_pixels": 50_000_000}


@dataclass(frozen=True)
class DemoPhoto:
    name: str
    project: str
    caption: str
    location: str
    stage: PhotoStage | None
    phase: PhaseKind
    scene: str  # what to draw: "building", "toilets", "people"
    worn: bool  # the "before" look: stained walls, broken windows
    people: bool = False
    pair_with: str | None = None  # the file name of the "before" photo of the same spot


PHOTOS = (
    DemoPhoto(
        "DSC_0101.JPG",
        "CAMR-SPS-01",
        "Módulo de dormitorios, fachada norte, antes de la obra",
        "Módulo de dormitorios",
        PhotoStage.BEFORE,
        PhaseKind.EVALUATION,
        "building",
        worn=True,
    ),
    DemoPhoto(
        "DSC_0388.JPG",
        "CAMR-SPS-01",
        "Módulo de dormitorios, fachada norte, cubierta y ventanas nuevas",
        "Módulo de dormitorios",
        PhotoStage.AFTER,
        PhaseKind.WORKS,
        "building",
        worn=False,
        pair_with="DSC_0101.JPG",
    ),
    DemoPhoto(
        "DSC_0117.JPG",
        "CAMR-SPS-01",
        "Baterías sanitarias de mujeres: sin puertas con cerrojo ni iluminación",
        "Baterías sanitarias",
        PhotoStage.BEFORE,
        PhaseKind.EVALUATION,
        "toilets",
        worn=True,
    ),
    DemoPhoto(
        "DSC_0402.JPG",
        "CAMR-SPS-01",
        "Baterías sanitarias de mujeres con puertas con cerrojo e iluminación",
        "Baterías sanitarias",
        PhotoStage.AFTER,
        PhaseKind.WORKS,
        "toilets",
        worn=False,
        pair_with="DSC_0117.JPG",
    ),
    DemoPhoto(
        "DSC_0120.JPG",
        "CAMR-SPS-01",
        "Sala de espera durante la evaluación (personas identificables, sin consentimiento registrado)",
        "Sala de espera",
        None,
        PhaseKind.EVALUATION,
        "people",
        worn=True,
        people=True,
    ),
    DemoPhoto(
        "IMG_2201.JPG",
        "CAMR-OMOA-01",
        "Espacio amigable para la niñez antes de la adecuación",
        "Patio interior",
        PhotoStage.BEFORE,
        PhaseKind.EVALUATION,
        "building",
        worn=True,
    ),
)


def _picture(photo: DemoPhoto) -> bytes:
    """A drawn scene: sky, ground and a building; worn walls and broken panes for "before" photos."""
    image = Image.new("RGB", SIZE, (150, 196, 230))
    draw = ImageDraw.Draw(image)
    w, h = SIZE
    sun = 120 + sum(photo.name.encode()) % (w - 240)  # every picture its own, so none is a duplicate of another
    draw.ellipse((sun, 60, sun + 110, 170), fill=(250, 220, 90))
    draw.rectangle((0, int(h * 0.72), w, h), fill=(120, 110, 90) if photo.worn else (96, 140, 80))
    wall = (170, 160, 140) if photo.worn else (236, 228, 208)
    draw.rectangle((160, 380, w - 160, int(h * 0.78)), fill=wall, outline=(60, 60, 60), width=6)
    roof = (110, 70, 50) if photo.worn else (168, 60, 40)
    draw.polygon([(120, 390), (w // 2, 170), (w - 120, 390)], fill=roof)
    for i in range(6):
        x = 230 + i * 200
        if photo.scene == "toilets":
            door = (90, 80, 70) if photo.worn else (40, 110, 160)
            draw.rectangle((x, 520, x + 130, 900), fill=door, outline=(30, 30, 30), width=4)
            if not photo.worn:
                draw.ellipse((x + 100, 700, x + 118, 718), fill=(230, 200, 60))  # a lock
                draw.rectangle((x + 40, 470, x + 90, 495), fill=(255, 250, 200))  # a light
        else:
            pane = (70, 80, 90) if photo.worn else (180, 220, 245)
            draw.rectangle((x, 480, x + 130, 620), fill=pane, outline=(40, 40, 40), width=5)
            if photo.worn and i % 2 == 0:
                draw.line((x, 480, x + 130, 620), fill=(20, 20, 20), width=4)  # a broken pane
    if photo.worn:
        for i in range(9):  # damp stains
            x, y = 200 + i * 140, 650 + (i % 3) * 60
            draw.ellipse((x, y, x + 90, y + 50), fill=(140, 130, 110))
    if photo.people:
        for i in range(5):
            x = 260 + i * 240
            draw.ellipse((x, 640, x + 90, 730), fill=(150, 105, 80))
            draw.rectangle((x - 10, 730, x + 100, 930), fill=(60 + 30 * i, 80, 120))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


def load_demo_photos(session: Session, storage: Storage) -> bool:
    """Upload the demo photos that are missing. Returns False when they were all there already."""
    projects = {project.code: project for project in session.scalars(select(Project))}
    engineer = session.scalar(select(User).where(User.email == ENGINEER_EMAIL))
    by_name = {photo.original_filename: photo for photo in session.scalars(select(Photo))}
    changed = False
    with acting_as(engineer.id if engineer else None):
        for spec in PHOTOS:
            project = projects.get(spec.project)
            if project is None or spec.name in by_name:
                continue
            description = PhotoDescription(
                caption=spec.caption,
                location=spec.location,
                phase=spec.phase,
                stage=spec.stage,
                identifiable_people=spec.people,
            )
            try:
                photo = photo_upload(
                    session,
                    storage,
                    _picture(spec),
                    spec.name,
                    center_id=project.center_id,
                    project_id=project.id,
                    description=description,
                    **LIMITS,
                )
            except DuplicatePhoto:
                continue
            by_name[spec.name] = photo
            if spec.pair_with and spec.pair_with in by_name:
                photo_describe(session, photo, description, by_name[spec.pair_with].id)
            changed = True
    return changed
