"""What ``/healthz`` checks: the database answers a query and the storage keeps a small object.

Each check answers "ok" or "fail"; the reason goes to the log, never to the (unauthenticated) response.
"""

from __future__ import annotations

import logging
import secrets

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.core.storage import Storage

log = logging.getLogger(__name__)

PROBE_FOLDER = ".healthz"  # a dot folder: never listed as a stored file, so never backed up


def database_check(session: Session) -> str:
    try:
        session.execute(text("SELECT 1")).scalar_one()
    except Exception:  # any failure to reach the database is the answer, whatever the driver raises
        log.exception("health check: the database did not answer")
        session.rollback()
        return "fail"
    return "ok"


def storage_check(store: Storage) -> str:
    """Write, read back and delete a probe under a key of its own (several workers may probe at once)."""
    key = f"{PROBE_FOLDER}/{secrets.token_hex(8)}"
    payload = secrets.token_bytes(16)
    try:
        store.write(key, payload)
        try:
            if store.read(key) != payload:
                log.error("health check: the storage returned other bytes than were written")
                return "fail"
        finally:
            store.delete(key)
    except Exception:  # an unreachable bucket, a full or read-only disk: all mean "fail"
        log.exception("health check: the storage did not keep a probe")
        return "fail"
    return "ok"
