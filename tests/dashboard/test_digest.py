"""The daily e-mail digest, sent to a real SMTP server started by the test (aiosmtpd)."""

from __future__ import annotations

import re
import socket
import uuid
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import select

from app.core.enums import JobStatus, MilestoneStatus, Role
from app.core.jobs.models import Job
from app.core.jobs.queue import queue
from app.dashboard.models import DigestDelivery
from app.extensions import db
from tests.core.test_jobs_rq import REDIS_URL, redis_or_skip
from tests.dashboard.helpers import add_milestone
from tests.factories import make_organization, make_project, make_user


class Inbox:
    """An aiosmtpd handler keeping every message it receives, and refusing the recipients in ``refuse``."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address in self.refuse:
            return "550 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

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


def _send(app: Flask, port: int | None, *options: str) -> Any:
    if port is not None:
        app.config.update(
            SMTP_HOST="127.0.0.1", SMTP_PORT=port, MAIL_FROM="rehabilita@example.org", PUBLIC_URL="https://reh.example"
        )
    return app.test_cli_runner().invoke(args=["send-digest", *options])


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
    port = _free_port()  # nothing listens there
    result = _send(app, port)
    assert result.exit_code == 1
    assert f"127.0.0.1:{port}" in result.output and "sent to 0 people" in result.output
    with app.app_context():
        failed = db.session.scalars(select(Job)).one()
        assert failed.kind == "daily_digest" and failed.status is JobStatus.FAILED


def _two_people_due(app: Flask) -> None:
    with app.app_context():
        ana = make_user(Role.ENGINEER, email="ana@example.org", locale="en")
        beto = make_user(Role.MANAGER, email="beto@example.org", locale="en")
        project = make_project()
        add_milestone(project, -3, owner_id=ana.id)
        add_milestone(project, 2, owner_id=beto.id)


def test_a_second_run_the_same_day_sends_nobody_a_second_copy(app: Flask, inbox: tuple[Inbox, int]) -> None:
    handler, port = inbox
    _two_people_due(app)
    assert "Digest sent to 2 people." in _send(app, port).output
    again = _send(app, port)
    assert again.exit_code == 0
    assert "already sent to 2 people" in again.output
    assert len(handler.messages) == 2


def test_a_refused_recipient_fails_the_run_and_a_retry_sends_only_to_them(app: Flask, inbox: tuple[Inbox, int]) -> None:
    handler, port = inbox
    _two_people_due(app)
    handler.refuse = {"beto@example.org"}
    first = _send(app, port)
    assert first.exit_code == 1
    assert "beto@example.org" in first.output and "sent to 1 people" in first.output
    assert handler.recipients == [["ana@example.org"]]

    handler.refuse = set()
    second = _send(app, port)
    assert second.exit_code == 0 and "Digest sent to 1 people." in second.output
    assert handler.recipients == [["ana@example.org"], ["beto@example.org"]]


def test_queued_the_digest_is_sent_by_the_job_runner(app: Flask, inbox: tuple[Inbox, int]) -> None:
    """``--queue``: the command only records the job; the runner (here the thread pool) sends the messages."""
    handler, port = inbox
    _two_people_due(app)
    result = _send(app, port, "--queue")
    assert result.exit_code == 0 and "Digest queued as job" in result.output
    with app.app_context():
        executor = app.extensions["job_executor"]
        executor.shutdown(wait=True)  # the pool's thread finishes the job
        app.extensions.pop("job_executor")
        job = db.session.scalars(select(Job)).one()
        assert job.status is JobStatus.DONE
        assert len(set(db.session.scalars(select(DigestDelivery.user_id)))) == 2 and len(handler.messages) == 2


def test_on_redis_the_digest_waits_for_a_worker(app: Flask, inbox: tuple[Inbox, int]) -> None:
    handler, port = inbox
    redis_or_skip()
    app.config.update(REDIS_URL=REDIS_URL, JOBS_QUEUE=f"test-{uuid.uuid4().hex}")
    _two_people_due(app)
    try:
        assert "Digest queued as job" in _send(app, port, "--queue").output
        assert handler.messages == []  # nothing sent until a worker takes it
        with app.app_context():  # as `flask jobs-worker` has (the flask command pushes one; app.cli does not)
            worker = app.test_cli_runner().invoke(args=["jobs-worker", "--burst"])
        assert worker.exit_code == 0, worker.output
        assert sorted(r[0] for r in handler.recipients) == ["ana@example.org", "beto@example.org"]
    finally:
        with app.app_context():
            queue(app).delete(delete_jobs=True)
