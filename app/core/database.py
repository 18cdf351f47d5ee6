"""Engine-level settings: SQLite pragmas on every connection."""

from __future__ import annotations

import sqlite3
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.core.errors import Conflict, DomainError

SQLITE_BUSY_TIMEOUT_MS = 10_000


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """WAL for concurrent readers, foreign keys enforced, and wait instead of failing when the file is busy."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def flush_or_explain(session: Session, duplicate_message: str, field: str = "code") -> None:
    """Flush, turning a lost race into a message: a record changed by someone else meanwhile (version column),
    or a unique value (``field``) that another request saved first."""
    try:
        session.flush()
    except StaleDataError as error:
        raise Conflict(_("This record was changed by someone else while you edited it.")) from error
    except IntegrityError as error:
        raise DomainError(duplicate_message, field=field) from error
