"""``flask backup``: the database and every stored file in one .tar.gz archive.

Layout of the archive::

    database/<table>.jsonl   one JSON object per row, ordered by primary key, tables in dependency order
    files/<key>              every stored file under its storage key
    manifest.json            written last: format, created_at, schema revision, rows and SHA-256 of each table
                             dump, size and SHA-256 of each file

The archive holds password hashes and personal data: it is written with mode 0600, under a temporary name that is
renamed only once it is complete, so a failed backup never leaves something that looks like a backup.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData, Table, select
from sqlalchemy.engine import Connection

from app.core.storage import Storage
from app.core.timeutil import utcnow
from app.operations.records import encode_row, restore_order

FORMAT = "rehabilita-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_FOLDER = "database/"
FILES_FOLDER = "files/"
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    schema_revision: str
    rows: dict[str, int]
    files: int
    file_bytes: int


def database_revision(connection: Connection) -> str | None:
    """The Alembic revision the database is migrated to (None when it never was)."""
    return MigrationContext.configure(connection).get_current_revision()


def _add(archive: tarfile.TarFile, name: str, stream: IO[bytes], size: int, mtime: float) -> None:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o600
    info.mtime = int(mtime)
    archive.addfile(info, stream)


def _dump_table(connection: Connection, table: Table, spool: IO[bytes]) -> tuple[int, str]:
    """Write a table's rows as JSON lines into ``spool``; return the row count and the SHA-256 of the lines."""
    digest = hashlib.sha256()
    rows = 0
    order = list(table.primary_key.columns) or list(table.columns)
    result = connection.execution_options(yield_per=1000).execute(select(table).order_by(*order))
    for row in result.mappings():
        line = (json.dumps(encode_row(row), ensure_ascii=False, separators=(",", ":")) + "\n").encode()
        digest.update(line)
        spool.write(line)
        rows += 1
    return rows, digest.hexdigest()


def _snapshot(connection: Connection) -> None:
    """Read every table from one snapshot, so rows that point at each other were taken at the same moment."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    elif connection.dialect.name == "sqlite":
        # pysqlite begins transactions only before writes; an explicit BEGIN makes the reads share one snapshot.
        connection.exec_driver_sql("BEGIN")


def backup_write(connection: Connection, metadata: MetaData, store: Storage, path: Path) -> BackupSummary:
    """Write the database reached by ``connection`` and every file in ``store`` to a .tar.gz at ``path``.

    ``connection`` should be fresh (no transaction begun): the dump reads inside one transaction of its own.
    """
    revision = database_revision(connection)
    if revision is None:
        raise RuntimeError("the database has no schema revision: run `flask db upgrade` first")
    path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".backup-", suffix=".tar.gz")
    now = utcnow()
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": now.isoformat(),
        "schema_revision": revision,
        "source_dialect": connection.dialect.name,
        "tables": [],
        "files": [],
    }
    try:
        with os.fdopen(fd, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:gz", format=tarfile.PAX_FORMAT) as tar:
                if connection.in_transaction():
                    connection.commit()
                with connection.begin():
                    _snapshot(connection)
                    for plan in restore_order(metadata):
                        with tempfile.TemporaryFile() as spool:
                            rows, sha = _dump_table(connection, plan.table, spool)
                            size = spool.tell()
                            spool.seek(0)
                            _add(tar, f"{DATABASE_FOLDER}{plan.table.name}.jsonl", spool, size, now.timestamp())
                        manifest["tables"].append({"name": plan.table.name, "rows": rows, "sha256": sha})
                for key in sorted(store.list_keys()):
                    data = store.read(key)
                    _add(tar, FILES_FOLDER + key, io.BytesIO(data), len(data), now.timestamp())
                    sha = hashlib.sha256(data).hexdigest()
                    manifest["files"].append({"key": key, "size": len(data), "sha256": sha})
                body = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
                _add(tar, MANIFEST, io.BytesIO(body), len(body), now.timestamp())
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return BackupSummary(
        path=path,
        schema_revision=revision,
        rows={t["name"]: t["rows"] for t in manifest["tables"]},
        files=len(manifest["files"]),
        file_bytes=sum(f["size"] for f in manifest["files"]),
    )
