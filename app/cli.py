"""Flask commands: ``flask create-admin``, ``flask demo``, ``flask jobs-worker``."""

from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import select

from app.core.audit.recorder import acting_as
from app.core.enums import Role
from app.core.errors import DomainError
from app.extensions import db


def register_cli(app: Flask) -> None:
    from app.core.jobs.queue import worker_command

    app.cli.add_command(worker_command)

    @app.cli.command("create-admin")
    @click.option("--email", prompt=True, help="E-mail the administrator signs in with.")
    @click.option("--name", prompt=True, help="Full name.")
    @click.password_option(help="At least 10 characters.")
    def create_admin(email: str, name: str, password: str) -> None:
        """Create an administrator account (the first user of a new installation)."""
        from app.auth.services import user_create

        with acting_as(None):
            try:
                user = user_create(db.session(), email=email, name=name, password=password, role=Role.ADMIN)
            except DomainError as error:
                db.session.rollback()
                raise click.ClickException(error.message) from error
            db.session.commit()
        click.echo(f"Administrator {user.email} created.")

    @app.cli.command("demo")
    def demo() -> None:
        """Load the demo centers, organizations, projects and one account per role (idempotent)."""
        from app.auth.models import User
        from app.demo import DEMO_PASSWORD, USERS, load_demo

        changed = load_demo(db.session())
        db.session.commit()
        click.echo("Demo data loaded." if changed else "Demo data already present.")
        click.echo(f"Demo sign-ins (password: {DEMO_PASSWORD}):")
        for email, _name, role, _org in USERS:
            if db.session.scalar(select(User).where(User.email == email)):
                click.echo(f"  {role.value:<9} {email}")
