"""The daily e-mail digest, sent to a real SMTP server started by the test (aiosmtpd)."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask

from app.core.enums import MilestoneStatus, Role
from tests.dashboard.helpers import add_milestone
from tests.factories import make_organization, make_project, make_user


class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))  # type: ignore[arg-type]
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def _send(app: Flask, port: int | None) -> Any:
    if port is not None:
        app.config.update(
            SMTP_HOST="127.0.0.1", SMTP_PORT=port, MAIL_FROM="rehabilita@example.org", PUBLIC_URL="https://reh.example"
        )
    return app.test_cli_runner().invoke(args=["send-digest"])


def _parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


def test_each_person_with_something_due_gets_one_message_in_their_language(
    app: Flask, inbox: tuple[Inbox, int]
) -> None:
    handler, port = inbox
    with app.app_context():
        ana = make_user(Role.ENGINEER, email="ana@example.org", name="Ana", locale="en")
        beto = make_user(Role.MANAGER, email="beto@example.org", name="Beto", locale="es")
        make_user(Role.ENGINEER, email="idle@example.org")
        org = make_organization()
        donor = make_user(Role.DONOR, email="donor@example.org", organization_id=org.id)
        project = make_project(code="CAMR-7", funder_ids=[org.id])
        add_milestone(project, -3, owner_id=ana.id, title="Planos <finales> & firmados")
        add_milestone(project, 5, owner_id=ana.id, title="Visita de obra")
        add_milestone(project, -1, owner_id=ana.id, title="Ya cerrado", status=MilestoneStatus.DONE)
        add_milestone(project, 2, owner_id=beto.id, title="Acta de entrega")
        add_milestone(project, -2, owner_id=donor.id, title="Never e-mailed to a donor")
        project_id = project.id

    result = _send(app, port)

    assert result.exit_code == 0, result.output
    assert "Digest sent to 2 people." in result.output
    by_recipient = {tuple(rcpt): msg for rcpt, msg in zip(handler.recipients, handler.messages, strict=True)}
    assert set(by_recipient) == {("ana@example.org",), ("beto@example.org",)}

    to_ana = by_recipient[("ana@example.org",)]
    assert to_ana["From"] == "rehabilita@example.org"
    assert to_ana["To"] == "Ana <ana@example.org>"
    assert to_ana["Content-Language"] == "en"
    assert to_ana.get_content_type() == "multipart/alternative"
    text, html = _parts(to_ana)
    assert "Planos <finales> & firmados" in text and "Visita de obra" in text
    assert "Ya cerrado" not in text
    assert "3 days late" in text
    assert f"https://reh.example/projects/{project_id}" in text
    # The HTML part escapes what people typed.
    assert "Planos &lt;finales&gt; &amp; firmados" in html
    assert "<finales>" not in html
    assert f'href="https://reh.example/projects/{project_id}"' in html

    to_beto = by_recipient[("beto@example.org",)]
    assert to_beto["Content-Language"] == "es"
    beto_text, _ = _parts(to_beto)
    assert "Acta de entrega" in beto_text
    # Dates are written the Honduran Spanish way for Beto, the US English way for Ana.
    assert _date_style(text) == "en" and _date_style(beto_text) == "es"


def _date_style(text: str) -> str:
    """Babel writes "Jan 5, 2026" in en_US and "5 ene 2026" in es_HN."""
    if re.search(r"\b[A-Z][a-z]{2} \d{1,2}, \d{4}", text):
        return "en"
    if re.search(r"\b\d{1,2} [a-z]{3,4}\.? \d{4}", text):
        return "es"
    return "?"


def test_without_smtp_host_the_command_says_so_and_succeeds(app: Flask) -> None:
    with app.app_context():
        user = make_user(Role.ENGINEER)
        add_milestone(make_project(), -1, owner_id=user.id)
    result = _send(app, None)
    assert result.exit_code == 0
    assert "SMTP_HOST is not configured" in result.output


def test_nobody_due_means_no_message(app: Flask, inbox: tuple[Inbox, int]) -> None:
    handler, port = inbox
    with app.app_context():
        user = make_user(Role.ENGINEER)
        add_milestone(make_project(), 40, owner_id=user.id)
    result = _send(app, port)
    assert result.exit_code == 0
    assert handler.messages == []


def test_unreachable_server_is_reported_as_a_failure(app: Flask) -> None:
    with app.app_context():
        user = make_user(Role.ENGINEER)
        add_milestone(make_project(), -1, owner_id=user.id)
    result = _send(app, _free_port())  # nothing listens there
    assert result.exit_code == 1
    assert "Could not send through 127.0.0.1" in result.output
