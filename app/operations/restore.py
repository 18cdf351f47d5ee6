"""``flask restore``: put a backup archive back into an empty, migrated database and the file storage.

Nothing is touched until the whole archive has been read and every table dump and file matched the SHA-256 its
manifest promised. The database part then runs in one transaction, which also covers writing the files: if any
step fails the transaction rolls back and the files written so far are removed again.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Integer, MetaData, Table, func, select, text, update
from sqlalchemy.engine import Connection, Engine

from app.core.storage import Storage
from app.operations.backup import DATABASE_FOLDER, FILES_FOLDER, FORMAT, FORMAT_VERSION, MANIFEST, database_revision
from app.operations.records import TablePlan, decode_row, restore_order

BATCH = 500


class RestoreError(Exception):
    """The archive cannot be restored here; the message says why and nothing was changed."""


@dataclass
class RestoreSummary:
    schema_revision: str
    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0
    removed_files: int = 0


@dataclass
class _Verified:
    manifest: dict[str, Any]
    dumps: Path  # folder holding database/<table>.jsonl, copied out of the archive while hashing


def _sha256_of(stream: Any, copy_to: Any = None) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    while chunk := stream.read(1024 * 1024):
        digest.update(chunk)
        size += len(chunk)
        if copy_to is not None:
            copy_to.write(chunk)
    return digest.hexdigest(), size


def _members(path: Path) -> Iterator[tuple[tarfile.TarInfo, Any]]:
    """Regular files of the archive in order, read as a stream (never extracted to disk by name)."""
    with tarfile.open(path, mode="r|gz") as archive:
        for member in archive:
            if not member.isfile():
                raise RestoreError(f"unexpected entry in the archive: {member.name}")
            yield member, archive.extractfile(member)


@contextmanager
def _reading(path: Path) -> Iterator[None]:
    """A truncated or garbled archive is a refusal with a reason, not a traceback."""
    try:
        yield
    except (tarfile.TarError, EOFError, zlib.error, json.JSONDecodeError, UnicodeDecodeError) as error:
        raise RestoreError(f"cannot read {path}: {error}") from error


def _check_manifest(manifest: dict[str, Any]) -> None:
    if manifest.get("format") != FORMAT:
        raise RestoreError("not a Rehabilita backup (manifest.json has another format)")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise RestoreError(f"backup format version {manifest.get('format_version')} is not supported here")


@contextmanager
def verified_archive(path: Path) -> Iterator[_Verified]:
    """Read the whole archive once and check every hash; yield its manifest and the table dumps."""
    folder = Path(tempfile.mkdtemp(prefix="rehabilita-restore-"))
    try:
        tables: dict[str, str] = {}
        files: dict[str, tuple[str, int]] = {}
        manifest: dict[str, Any] | None = None
        with _reading(path):
            for member, stream in _members(path):
                if member.name == MANIFEST:
                    manifest = json.loads(stream.read())
                elif member.name.startswith(DATABASE_FOLDER) and member.name.endswith(".jsonl"):
                    name = member.name[len(DATABASE_FOLDER) : -len(".jsonl")]
                    if not name.isidentifier():
                        raise RestoreError(f"unexpected table dump in the archive: {member.name}")
                    with (folder / f"{name}.jsonl").open("wb") as copy:
                        tables[name] = _sha256_of(stream, copy)[0]
                elif member.name.startswith(FILES_FOLDER):
                    files[member.name[len(FILES_FOLDER) :]] = _sha256_of(stream)
                else:
                    raise RestoreError(f"unexpected entry in the archive: {member.name}")
        if manifest is None:
            raise RestoreError("the archive has no manifest.json")
        _check_manifest(manifest)
        damaged = [t["name"] for t in manifest["tables"] if tables.pop(t["name"], None) != t["sha256"]]
        damaged += [f["key"] for f in manifest["files"] if files.pop(f["key"], None) != (f["sha256"], f["size"])]
        if damaged:
            raise RestoreError("the archive is damaged: missing or changed " + ", ".join(damaged[:10]))
        if tables or files:
            raise RestoreError("the archive holds entries its manifest does not list: " + ", ".join([*tables, *files]))
        yield _Verified(manifest, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def holds_data(connection: Connection, metadata: MetaData) -> list[str]:
    """Tables that have at least one row."""
    return [
        table.name
        for table in metadata.sorted_tables
        if connection.execute(select(func.count()).select_from(select(table).limit(1).subquery())).scalar_one()
    ]


def _wipe(connection: Connection, metadata: MetaData) -> None:
    tables = metadata.sorted_tables
    if connection.dialect.name == "postgresql":
        names = ", ".join(connection.dialect.identifier_preparer.quote(t.name) for t in tables)
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in reversed(tables):
            connection.execute(table.delete())


def _load_table(connection: Connection, plan: TablePlan, dump: Path) -> int:
    table = plan.table
    later: list[tuple[dict[str, Any], dict[str, Any]]] = []
    batch: list[dict[str, Any]] = []
    count = 0
    with dump.open("rb") as lines:
        for line in lines:
            row = decode_row(table, json.loads(line))
            deferred = {name: row[name] for name in plan.deferred if row[name] is not None}
            if deferred:
                later.append(({name: row[name] for name in plan.key}, deferred))
                row.update(dict.fromkeys(deferred))
            batch.append(row)
            count += 1
            if len(batch) >= BATCH:
                connection.execute(table.insert(), batch)
                batch = []
    if batch:
        connection.execute(table.insert(), batch)
    for key, values in later:
        connection.execute(update(table).where(*(table.c[k] == v for k, v in key.items())).values(values))
    return count


def _reset_sequences(connection: Connection, tables: list[Table]) -> None:
    """PostgreSQL hands out ids from sequences that the inserted ids did not advance."""
    if connection.dialect.name != "postgresql":
        return
    for table in tables:
        for column in table.primary_key.columns:
            if not isinstance(column.type, Integer) or column.autoincrement is False:
                continue
            quote = connection.dialect.identifier_preparer.quote
            connection.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence(:table, :column), "  # noqa: S608 (quoted identifiers of our own tables)
                    f"COALESCE((SELECT MAX({quote(column.name)}) FROM {quote(table.name)}), 0) + 1, false) "
                    "WHERE pg_get_serial_sequence(:table, :column) IS NOT NULL"
                ),
                {"table": quote(table.name), "column": column.name},
            )


def _put_files(path: Path, manifest: dict[str, Any], store: Storage, written: list[str]) -> None:
    expected = {f["key"]: f["sha256"] for f in manifest["files"]}
    with _reading(path):
        for member, stream in _members(path):
            if not member.name.startswith(FILES_FOLDER):
                continue
            key = member.name[len(FILES_FOLDER) :]
            data = stream.read()
            if hashlib.sha256(data).hexdigest() != expected[key]:
                raise RestoreError(f"the archive changed while it was restored: {key}")
            existed = store.exists(key)
            store.write(key, data)
            if not existed:
                written.append(key)
    changed = [key for key, sha in expected.items() if hashlib.sha256(store.read(key)).hexdigest() != sha]
    if changed:
        raise RestoreError("the storage did not keep these files as written: " + ", ".join(changed[:10]))


def restore_archive(engine: Engine, metadata: MetaData, store: Storage, path: Path, force: bool) -> RestoreSummary:
    """Restore ``path`` into the (migrated) database behind ``engine`` and into ``store``.

    Refuses a database that holds data unless ``force``, which empties it first (in the same transaction).
    """
    with engine.connect() as connection:
        revision = database_revision(connection)
        full = holds_data(connection, metadata)
    if revision is None:
        raise RestoreError("the database is not migrated: run `flask db upgrade` first, then restore")
    if full and not force:
        raise RestoreError(
            f"the database already holds data ({', '.join(full[:5])}…): restore only into an empty database, "
            "or pass --force to wipe it first"
        )
    with verified_archive(path) as archive:
        manifest = archive.manifest
        if manifest["schema_revision"] != revision:
            raise RestoreError(
                f"the backup is of schema revision {manifest['schema_revision']}, this database is at {revision}: "
                "migrate a database to the backup's revision (or upgrade after restoring into a matching one)"
            )
        plans = restore_order(metadata)
        if {p.table.name for p in plans} != {t["name"] for t in manifest["tables"]}:
            raise RestoreError("the backup's tables differ from this application's tables")
        summary = RestoreSummary(schema_revision=revision)
        written: list[str] = []
        try:
            with engine.begin() as connection:
                if force:
                    _wipe(connection, metadata)
                rows = {t["name"]: t["rows"] for t in manifest["tables"]}
                for plan in plans:
                    count = _load_table(connection, plan, archive.dumps / f"{plan.table.name}.jsonl")
                    if count != rows[plan.table.name]:
                        expected = rows[plan.table.name]
                        raise RestoreError(f"{plan.table.name}: {count} rows in the dump, manifest says {expected}")
                    summary.rows[plan.table.name] = count
                _reset_sequences(connection, [p.table for p in plans])
                _put_files(path, manifest, store, written)
        except BaseException:
            for key in written:
                store.delete(key)
            raise
        summary.files = len(manifest["files"])
        if force:
            kept = {f["key"] for f in manifest["files"]}
            for key in [k for k in store.list_keys() if k not in kept]:
                store.delete(key)
                summary.removed_files += 1
    return summary
