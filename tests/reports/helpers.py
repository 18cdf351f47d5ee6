"""A small portfolio for report tests: two donors, each funding its own project, photos with and without consent."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from PIL import Image
from pypdf import PdfReader

from app.core.enums import MilestoneStatus, PhaseKind, PhotoStage, ReportScope, ReportSection
from app.core.storage import storage
from app.extensions import db
from app.organizations.models import Organization
from app.photos.models import Photo
from app.photos.services import PhotoDescription, photo_describe, photo_upload
from app.projects.models import Milestone
from app.reports.gather import ReportRequest
from tests.budgets.helpers import add_line
from tests.factories import make_organization, make_project

HOSTILE_TITLE = '<b>Roof</b> <img src="x.png"/> <a href="http://evil.example">click</a> <para <i>unclosed & done'
PERIOD = (date(2025, 1, 1), date(2026, 12, 31))


def jpeg(color: tuple[int, int, int], size: tuple[int, int] = (320, 240)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG", quality=80)
    return out.getvalue()


def pdf_text(pdf: bytes) -> str:
    """The words of the PDF, with every run of white space (line and cell wrapping) made one space."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def _photo(project: Any, color: tuple[int, int, int], description: PhotoDescription) -> Photo:
    return photo_upload(
        db.session(),
        storage(),
        jpeg(color),
        "site.jpg",
        center_id=project.center_id,
        project_id=project.id,
        description=description,
        max_bytes=10**7,
        max_pixels=10**7,
    )


@dataclass
class Portfolio:
    donor_a: Organization
    donor_b: Organization
    project_a: Any
    project_b: Any
    unconsented: Photo
    after: Photo


def portfolio() -> Portfolio:
    """Donor A funds project A (hostile milestone title, photos, a budget line); donor B funds project B."""
    donor_a = make_organization(acronym="DONA", name="Donor Alpha")
    donor_b = make_organization(acronym="DONB", name="Donor Beta")
    project_a = make_project(code="PRJ-ALPHA", title="Alpha shelter", funder_ids=[donor_a.id])
    project_b = make_project(code="PRJ-BETA", title="Beta shelter", funder_ids=[donor_b.id])
    for project, title in ((project_a, HOSTILE_TITLE), (project_b, "SECRET-BETA milestone")):
        db.session.add(
            Milestone(
                project_id=project.id,
                phase_id=project.phase(PhaseKind.WORKS).id,
                title=title,
                planned_date=date(2025, 6, 1),
                actual_date=date(2025, 6, 2),
                status=MilestoneStatus.DONE,
            )
        )
    db.session.commit()
    add_line(project_a, donor_a, quantity="10", unit_cost="100.00", description="Alpha roof")
    add_line(project_b, donor_b, quantity="50", unit_cost="100.00", description="Beta roof")
    before = _photo(
        project_a, (120, 80, 60), PhotoDescription(caption="PAIR-BEFORE dormitory", stage=PhotoStage.BEFORE)
    )
    after = _photo(project_a, (40, 120, 90), PhotoDescription(caption="PAIR-AFTER dormitory", stage=PhotoStage.AFTER))
    photo_describe(
        db.session(), after, PhotoDescription(caption="PAIR-AFTER dormitory", stage=PhotoStage.AFTER), before.id
    )
    unconsented = _photo(
        project_a,
        (200, 30, 30),
        PhotoDescription(caption="UNCONSENTED faces", stage=PhotoStage.DURING, identifiable_people=True),
    )
    _photo(
        project_a,
        (30, 30, 200),
        PhotoDescription(
            caption="CONSENTED group", stage=PhotoStage.DURING, identifiable_people=True, consent_recorded=True
        ),
    )
    db.session.commit()
    return Portfolio(donor_a, donor_b, project_a, project_b, unconsented, after)


def donor_request(donor: Organization, language: str = "en", **values: Any) -> ReportRequest:
    return ReportRequest(
        scope=values.pop("scope", ReportScope.DONOR),
        period_start=values.pop("period_start", PERIOD[0]),
        period_end=values.pop("period_end", PERIOD[1]),
        language=language,
        sections=values.pop("sections", tuple(ReportSection)),
        donor_id=donor.id,
        narrative=values.pop("narrative", "All went to plan <script>alert(1)</script>"),
        next_steps=values.pop("next_steps", "Hand over the dormitories."),
        **values,
    )
