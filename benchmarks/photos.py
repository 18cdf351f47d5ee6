"""Photo ingest benchmark: the whole upload path next to bare Pillow on the same files.

    python -m benchmarks.photos [--runs 5]

Builds 12 MP and 48 MP camera-like JPEGs (a real photo from ../shared/testdata/photos scaled up, or a synthetic
picture where that folder is absent), then times per photo, median of several runs:
  1. Pillow naive: open, load, exif_transpose, two thumbnails, two JPEG encodes (q85);
  2. Pillow with draft("RGB", (1600, 1600)) before load, same outputs;
  3. Rehabilita's upload path: hash, duplicate check, content checks, one decode, EXIF, derivatives, three files
     written to storage, database row committed (SQLite file);
  4. the same upload when the photo's copies are left to the background job (photos above PHOTO_BACKGROUND_PIXELS,
     24 MP by default): what the person waits for is the checks on the header and content, the placeholders,
     the files and the row; the job then does about the work of column 3.
and the peak memory (max RSS of a child process, minus the same process before ingesting) for one 48 MP photo.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageOps

ROOT = Path(__file__).resolve().parents[1]
SHARED_PHOTO = ROOT.parent / "shared" / "testdata" / "photos" / "mobile" / "jolla.jpg"


def camera_like_jpeg(width: int, height: int) -> bytes:
    if SHARED_PHOTO.exists():
        source = Image.open(SHARED_PHOTO).convert("RGB")
    else:
        source = Image.radial_gradient("L").convert("RGB").resize((512, 512))
        source = Image.merge("RGB", [source.getchannel(0), Image.effect_noise((512, 512), 60), source.getchannel(2)])
    image = source.resize((width, height), Image.Resampling.BICUBIC)
    noise = Image.effect_noise((width, height), 12).convert("RGB")
    image = Image.blend(image, noise, 0.25)  # sensor-like grain keeps the file size close to a camera's
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95, exif=_exif_with_orientation(6))
    return out.getvalue()


def _exif_with_orientation(value: int) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = value
    return exif.tobytes()


def _encode(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def pillow_naive(data: bytes) -> None:
    image = Image.open(io.BytesIO(data))
    image.load()
    image = ImageOps.exif_transpose(image)
    display = image.copy()
    display.thumbnail((1600, 1600))
    thumb = display.copy()
    thumb.thumbnail((400, 400))
    _encode(display)
    _encode(thumb)


def pillow_draft(data: bytes) -> None:
    image = Image.open(io.BytesIO(data))
    image.draft("RGB", (1600, 1600))
    image.load()
    image = ImageOps.exif_transpose(image)
    display = image.copy()
    display.thumbnail((1600, 1600))
    thumb = display.copy()
    thumb.thumbnail((400, 400))
    _encode(display)
    _encode(thumb)


def pillow_draft_proportional(data: bytes) -> None:
    """The best bare Pillow method: DCT scaling to the display size with the photo's own proportions."""
    image = Image.open(io.BytesIO(data))
    scale = 1600 / max(image.size)
    image.draft("RGB", (round(image.width * scale), round(image.height * scale)))
    image.load()
    image = ImageOps.exif_transpose(image)
    display = image.copy()
    display.thumbnail((1600, 1600))
    thumb = display.copy()
    thumb.thumbnail((400, 400))
    _encode(display)
    _encode(thumb)


def median_ms(fn: Callable[[], None], runs: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def upload_path_factory(workdir: Path) -> Callable[[bytes], None]:
    from flask_migrate import upgrade

    from app import create_app
    from app.core.storage import storage
    from app.demo import load_demo
    from app.extensions import db
    from app.photos.models import Photo
    from app.photos.services import PhotoDescription, photo_upload

    app = create_app(
        {
            "INSTANCE_PATH": str(workdir),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'bench.db'}",
            "UPLOAD_FOLDER": str(workdir / "uploads"),
            "SECRET_KEY": "bench",
        }
    )
    with app.app_context():
        upgrade()
        load_demo(db.session())
        db.session.commit()
    context = app.test_request_context()
    context.push()
    center_id = 1

    def run(data: bytes, background_pixels: int = 0) -> None:
        # Each run must be a new photo to the duplicate check: forget the previous one.
        db.session.query(Photo).delete()
        db.session.commit()
        photo_upload(
            db.session(),
            storage(),
            data,
            "IMG_0001.JPG",
            center_id=center_id,
            project_id=None,
            description=PhotoDescription(caption="bench"),
            max_bytes=100_000_000,
            max_pixels=100_000_000,
            background_pixels=background_pixels,
        )
        db.session.commit()

    return run


def peak_memory_mb(path: Path, method: str) -> float:
    """Peak resident memory growth (VmHWM) of a fresh process that processes one photo with the given method."""
    code = f"""
import resource, sys, json
sys.path.insert(0, {str(ROOT)!r})
from benchmarks.photos import pillow_naive, pillow_draft
from app.photos.ingest import ingest_photo
data = open({str(path)!r}, 'rb').read()
def hwm_kb():
    # VmHWM belongs to this process image; ru_maxrss would carry the parent's peak across fork and exec.
    for line in open('/proc/self/status'):
        if line.startswith('VmHWM:'):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
before = 0
if {method!r} == 'ingest':
    ingest_photo(data, max_bytes=10**9, max_pixels=10**9)
elif {method!r} == 'none':
    pass
elif {method!r} == 'naive':
    pillow_naive(data)
else:
    pillow_draft(data)
after = hwm_kb()
print(json.dumps((after - before) / 1024))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("FLASK_DEBUG", "0")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        files = {
            "12 MP (4000x3000)": camera_like_jpeg(4000, 3000),
            "48 MP (8000x6000)": camera_like_jpeg(8000, 6000),
        }
        upload = upload_path_factory(workdir)
        print("median ms per photo (bare methods make the same two JPEG derivatives, in memory only)")
        columns = ("naive", "draft", "best", "upload", "deferred")
        head = "".join(f"{c:>8}" for c in columns)
        print(f"{'photo':<19}{'size':>8}{head}{'upload/best':>13}{'photos/s':>10}")
        results = {}
        for label, data in files.items():
            naive = median_ms(lambda data=data: pillow_naive(data), args.runs)
            draft = median_ms(lambda data=data: pillow_draft(data), args.runs)
            best_bare = median_ms(lambda data=data: pillow_draft_proportional(data), args.runs)
            full = median_ms(lambda data=data: upload(data), args.runs)
            deferred = median_ms(lambda data=data: upload(data, background_pixels=1), args.runs)
            results[label] = (naive, draft, best_bare, full, deferred)
            print(
                f"{label:<19}{len(data) / 1e6:>6.1f}MB{naive:>8.0f}{draft:>8.0f}{best_bare:>8.0f}{full:>8.0f}"
                f"{deferred:>8.0f}"
                f"{full / min(naive, draft, best_bare):>12.2f}x{1000 / full:>10.2f}"
            )
        print("naive: open+load+exif_transpose+thumbnails; draft: draft(RGB,(1600,1600)); best: draft at the photo's")
        print("proportions; upload: hash, checks, one decode, EXIF, derivatives, 3 files stored, row committed;")
        print("deferred: the upload of a photo whose copies are made by the background job (placeholders meanwhile)")
        big = workdir / "48mp.jpg"
        big.write_bytes(files["48 MP (8000x6000)"])
        print("\npeak memory for one 48 MP photo (peak RSS of a fresh process above the same process doing nothing):")
        baseline = peak_memory_mb(big, "none")
        for method in ("naive", "draft", "ingest"):  # "ingest" is the upload path's image work
            print(f"  {method:<8}{peak_memory_mb(big, method) - baseline:>8.0f} MB")
        print("  (a full 8000x6000 RGB bitmap is 144 MB)")
        print(json.dumps({k: [round(v, 1) for v in vals] for k, vals in results.items()}))


if __name__ == "__main__":
    main()
