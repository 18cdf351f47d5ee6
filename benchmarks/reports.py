"""Donor report benchmark: the whole report path next to a bare reportlab script laying out the same images.

    python -m benchmarks.reports [--photos 40 200]

Builds a synthetic project on a temporary SQLite database (a donor, 40 milestones, photos uploaded through the
real ingest path as 1600 px camera-like JPEGs, eight of them before/after pairs), then, for each photo count,
in a fresh child process:
  1. Rehabilita: read the report's data from the database and storage, build the PDF (cover, contents, every
     section, the photos the report selects: at most 40, as display derivatives);
  2. bare reportlab: a SimpleDocTemplate with the same images the report prints, two per row, nothing else,
     JPEG bytes passed through (``useA85 = 0``): the anchor of ../shared/PERFORMANCE.md.
It prints time, pages, size and peak memory (max RSS of the child after the build, less before it). Memory stays
flat from 40 to 200 photos on record because a report prints a selection of at most 40 derivatives, never the
originals.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
PERIOD = (date(2025, 1, 1), date(2025, 12, 31))


def _config(folder: Path) -> dict[str, Any]:
    return {
        "INSTANCE_PATH": str(folder),
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
        "UPLOAD_FOLDER": str(folder / "uploads"),
        "SECRET_KEY": "bench",
    }


def _jpeg(index: int) -> bytes:
    base = Image.linear_gradient("L").resize((1600, 1200)).convert("RGB")
    noise = Image.effect_noise((1600, 1200), 40 + index % 30).convert("RGB")
    noise = noise.rotate(index % 4 * 90, expand=False)
    tint = Image.new("RGB", (1600, 1200), ((index * 37) % 255, (index * 91) % 255, (index * 53) % 255))
    image = Image.blend(Image.blend(base, noise, 0.3), tint, 0.35)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92)
    return out.getvalue()


def _setup(folder: Path) -> Any:
    from flask_migrate import upgrade

    from app import create_app

    app = create_app(_config(folder))
    with app.app_context():
        upgrade()
    return app


def _portfolio(app: Any) -> None:
    from app.centers.models import Center
    from app.core.enums import MilestoneStatus, OrganizationKind, PhaseKind, Population
    from app.extensions import db
    from app.organizations.models import Organization
    from app.projects.models import Milestone
    from app.projects.services import project_create

    with app.app_context():
        donor = Organization(name="Bench Donor", acronym="BENCH", kind=OrganizationKind.DONOR, country="US")
        center = Center(
            code="BENCH-C",
            name="Bench center",
            population=Population.RETURNED_ADULTS,
            department="Cortés",
            municipality="San Pedro Sula",
        )
        db.session.add_all([donor, center])
        db.session.flush()
        project = project_create(
            db.session,
            code="BENCH-01",
            title="Bench rehabilitation",
            center_id=center.id,
            planned_start=PERIOD[0],
            planned_end=PERIOD[1],
            funder_ids=[donor.id],
        )
        works = project.phase(PhaseKind.WORKS)
        for n in range(40):
            day = PERIOD[0] + timedelta(days=7 * n)
            db.session.add(
                Milestone(
                    project_id=project.id,
                    phase_id=works.id,
                    title=f"Milestone {n}: works on block {n % 7} <done>",
                    planned_date=day,
                    actual_date=day if n % 3 else None,
                    status=MilestoneStatus.DONE if n % 3 else MilestoneStatus.OPEN,
                )
            )
        db.session.commit()


def _add_photos(app: Any, start: int, stop: int) -> None:
    from app.core.enums import PhotoStage
    from app.core.storage import storage
    from app.extensions import db
    from app.photos.ingest import PhotoRejected
    from app.photos.services import PhotoDescription, photo_describe, photo_upload
    from app.projects.models import Project

    with app.app_context():
        project = db.session.query(Project).filter_by(code="BENCH-01").one()
        previous = None
        for index in range(start, stop):
            paired = index < 16
            stage = (PhotoStage.BEFORE if index % 2 == 0 else PhotoStage.AFTER) if paired else PhotoStage.DURING
            description = PhotoDescription(caption=f"Photo {index}", stage=stage)
            photo = None
            for attempt in range(5):
                try:
                    photo = photo_upload(
                        db.session(),
                        storage(),
                        _jpeg(index + 1000 * attempt),
                        f"bench-{index}.jpg",
                        center_id=project.center_id,
                        project_id=project.id,
                        description=description,
                        max_bytes=10**8,
                        max_pixels=10**8,
                    )
                    break
                except PhotoRejected:  # random grain can spell a markup signature; draw other grain
                    continue
            assert photo is not None
            if paired and stage is PhotoStage.AFTER and previous is not None:
                photo_describe(db.session(), photo, description, previous.id)
            previous = photo
        db.session.commit()


def _request(app: Any) -> Any:
    from app.core.enums import ReportScope
    from app.extensions import db
    from app.organizations.models import Organization
    from app.reports.gather import ReportRequest

    donor = db.session.query(Organization).filter_by(acronym="BENCH").one()
    return ReportRequest(
        scope=ReportScope.DONOR, period_start=PERIOD[0], period_end=date.today(), donor_id=donor.id, language="en"
    )


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(folder: Path, mode: str) -> dict[str, Any]:
    """Run in a fresh process and build once, as a worker thread builds one report."""
    from flask_babel import force_locale

    from app import create_app
    from app.core.storage import storage
    from app.extensions import db
    from app.reports.gather import report_data
    from app.reports.pdf import page_count, report_pdf

    app = create_app(_config(folder))
    with app.app_context(), force_locale("en"):
        request = _request(app)
        before = _max_rss_mb()
        started = time.perf_counter()
        # Both paths read the report's data: its queries and the print-size images (made on the first report).
        data = report_data(db.session(), storage(), request)
        gathered = time.perf_counter() - started
        if mode == "bare":
            images = [p.image for pair in data.photo_pairs for p in pair] + [p.image for p in data.photos]
            sizes = [(p.width, p.height) for pair in data.photo_pairs for p in pair] + [
                (p.width, p.height) for p in data.photos
            ]
            pdf = bare_reportlab(images, sizes)
            shown = len(images)
        else:
            shown = 2 * len(data.photo_pairs) + len(data.photos)
            pdf = report_pdf(data)
        seconds = time.perf_counter() - started
        peak = _max_rss_mb() - before
    return {
        "seconds": seconds,
        "gathered": gathered,
        "peak_mb": peak,
        "pages": page_count(pdf),
        "mb": len(pdf) / 1e6,
        "images": shown,
    }


def bare_reportlab(images: list[bytes], sizes: list[tuple[int, int]]) -> bytes:
    """The same images, two per row, with nothing else: what reportlab alone costs."""
    from reportlab import rl_config
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import Image as RLImage
    from reportlab.platypus import SimpleDocTemplate, Table

    rl_config.useA85 = 0  # the pass-through layout of ../shared/PERFORMANCE.md: JPEG bytes copied as they are
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, invariant=1)
    width = (A4[0] - 4 * cm) / 2 - 6
    cells = []
    for data, (w, h) in zip(images, sizes, strict=True):
        scale = min(width / w, 6.5 * cm / h)
        cells.append(RLImage(io.BytesIO(data), width=w * scale, height=h * scale))
    rows = [cells[i : i + 2] + [""] * (2 - len(cells[i : i + 2])) for i in range(0, len(cells), 2)]
    doc.build([Table(rows)])
    return out.getvalue()


def _measure(folder: Path, mode: str) -> dict[str, Any]:
    result = subprocess.run(  # noqa: S603  (our own module, run with our own interpreter)
        [sys.executable, "-m", "benchmarks.reports", "--child", str(folder), mode],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--photos", type=int, nargs="+", default=[40, 200])
    parser.add_argument("--child", nargs=2, metavar=("FOLDER", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(Path(args.child[0]), args.child[1])))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        app = _setup(folder)
        _portfolio(app)
        on_record = 0
        print(
            f"{'photos on record':>16} {'path':<18} {'images':>6} {'pages':>5} {'MB':>6} {'seconds':>8} "
            f"{'of which data':>13} {'peak MB':>8}"
        )
        for count in sorted(args.photos):
            _add_photos(app, on_record, count)
            on_record = count
            results = {}
            for mode, label in (
                ("rehabilita", "rehabilita, first"),
                ("rehabilita", "rehabilita, again"),
                ("bare", "bare"),
            ):
                r = results[label] = _measure(folder, mode)
                print(
                    f"{count:>16} {label:<18} {r['images']:>6} {r['pages']:>5} {r['mb']:>6.1f} "
                    f"{r['seconds']:>8.2f} {r['gathered']:>13.2f} {r['peak_mb']:>8.1f}"
                )
            ratio = results["rehabilita, again"]["seconds"] / results["bare"]["seconds"]
            print(f"{'':>16} report / (bare layout + the same queries): {ratio:.1f}x (target 1.5x)")


if __name__ == "__main__":
    main()
