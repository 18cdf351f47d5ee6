"""``flask backup``, ``flask restore`` and ``flask storage-sweep``."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from app.core.storage import LocalStorage, storage
from app.core.timeutil import utcnow
from app.extensions import db
from app.operations.backup import backup_write
from app.operations.restore import RestoreError, restore_archive
from app.operations.sweep import DEFAULT_GRACE, storage_sweep


@click.command("backup")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Archive to write (default: instance/backups/rehabilita-<UTC time>.tar.gz).",
)
@with_appcontext
def backup_command(output: Path | None) -> None:
    """Write the database and every stored file to one .tar.gz archive (mode 0600: it holds personal data)."""
    if output is None:
        output = Path(current_app.instance_path) / "backups" / f"rehabilita-{utcnow():%Y%m%d-%H%M%S}.tar.gz"
    store = storage()
    if isinstance(store, LocalStorage) and store.root in output.resolve().parents:
        # Each backup would carry every earlier one along.
        raise click.ClickException(f"Write the backup outside the upload folder {store.root}.")
    with db.engine.connect() as connection:
        try:
            summary = backup_write(connection, db.metadata, store, output)
        except RuntimeError as error:
            raise click.ClickException(str(error)) from error
    click.echo(f"Backup written to {summary.path}")
    click.echo(f"  schema revision {summary.schema_revision}")
    click.echo(f"  {sum(summary.rows.values())} rows in {len(summary.rows)} tables")
    click.echo(f"  {summary.files} files, {summary.file_bytes} bytes")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Wipe a database that already holds data (and its stored files) first.")
@with_appcontext
def restore_command(path: Path, force: bool) -> None:
    """Restore a backup archive into an empty, migrated database and the file storage."""
    try:
        summary = restore_archive(db.engine, db.metadata, storage(), path, force=force)
    except (RestoreError, SQLAlchemyError, OSError) as error:
        # The database part rolled back and the files written so far were removed again.
        raise click.ClickException(f"Nothing restored: {error}") from error
    click.echo(f"Restored {path} (schema revision {summary.schema_revision}); every hash verified.")
    for table, count in summary.rows.items():
        click.echo(f"  {table:<24} {count:>8} rows")
    click.echo(f"  {summary.files} files")
    if summary.removed_files:
        click.echo(f"  {summary.removed_files} stored files that were not in the backup removed")
    click.echo("Restart the application servers so no worker keeps figures cached from before.")


@click.command("storage-sweep")
@click.option(
    "--older-than-hours",
    type=click.IntRange(min=1),
    default=int(DEFAULT_GRACE.total_seconds() // 3600),
    show_default=True,
    help="Leave younger files alone: they may belong to an upload being recorded now.",
)
@click.option("--delete", is_flag=True, help="Remove the files found (without it, only list them).")
@with_appcontext
def storage_sweep_command(older_than_hours: int, delete: bool) -> None:
    """Find stored files no record points to (left by a killed upload or report build, or an unconfirmed
    budget import) and, with --delete, remove them."""
    result = storage_sweep(db.session(), storage(), grace=timedelta(hours=older_than_hours), delete=delete)
    for stored in result.orphans:
        click.echo(f"  {stored.key}  {stored.size} bytes  written {stored.modified_at:%Y-%m-%d %H:%M} UTC")
    verb = "Removed" if delete else "Found"
    click.echo(
        f"{verb} {len(result.orphans)} unreferenced files ({result.orphan_bytes} bytes); "
        f"{result.referenced} files in use; {result.recent_orphans} unreferenced files younger than "
        f"{older_than_hours} h left alone."
    )
    if result.incomplete_removed:
        click.echo(f"Removed {result.incomplete_removed} temporary files of writes that never finished.")
    if result.orphans and not delete:
        click.echo("Run again with --delete to remove them (make a backup first if in doubt).")


def register_operations_cli(app: Flask) -> None:
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(storage_sweep_command)
