"""The OpenAPI document matches what the server does: Schemathesis generates requests for every operation from the
document and runs them against the app in-process (WSGI) with a valid token; no answer may be a server error or
break the document's response schemas."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from sqlalchemy import select

from app import create_app
from app.api.openapi import openapi_document
from app.extensions import db
from tests.conftest import base_config

OPERATIONS = [(method.upper(), path) for path, item in openapi_document()["paths"].items() for method in item]
# Enough to find what breaks in CI in seconds, the same cases on every run (a CI failure can be replayed);
# REHABILITA_API_EXAMPLES=500 digs deeper with fresh random cases.
EXAMPLES = int(os.environ.get("REHABILITA_API_EXAMPLES", "25"))
DERANDOMIZE = "REHABILITA_API_EXAMPLES" not in os.environ


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[tuple[Any, dict[str, Any]]]:
    """The schema, a project manager's token (a writer of everything the API writes) and ids of real records of
    the demo portfolio, so that generated requests reach records and not only 404s."""
    folder = tmp_path_factory.mktemp("openapi")
    shutil.copy(sqlite_template, folder / "api.db")
    # Reports asked for are built in the request, so that no job is left running when the module ends.
    config = base_config(folder, f"sqlite:///{folder / 'api.db'}") | {"JOBS_RUN_INLINE": True}
    app: Flask = create_app(config)
    with app.app_context():
        from app.api.tokens import token_create
        from app.auth.models import User
        from app.demo import load_demo

        load_demo(db.session())
        manager = db.session.scalar(select(User).where(User.email == "manager@example.org"))
        _token, secret = token_create(db.session(), manager, "schemathesis")
        db.session.commit()
        from app.agreements.models import Agreement
        from app.centers.models import Center
        from app.projects.models import Milestone, Project

        ids = {
            "agreement_id": list(db.session.scalars(select(Agreement.id))),
            "center_id": list(db.session.scalars(select(Center.id))),
            "project_id": list(db.session.scalars(select(Project.id))),
            "milestone_id": list(db.session.scalars(select(Milestone.id).limit(10))),
        }
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    yield schema, {"headers": {"Authorization": f"Bearer {secret}"}, "ids": ids}
    with app.app_context():
        db.engine.dispose()


def test_the_document_is_openapi_3_1_and_lists_every_api_route(app: Flask) -> None:
    document = openapi_document()
    assert document["openapi"] == "3.1.0"
    documented = {(method, path) for method, path in OPERATIONS}
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            routes |= {(method, path) for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes == documented


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_every_operation_conforms_to_the_document(api: tuple[Any, dict[str, Any]], method: str, path: str) -> None:
    schema, context = api
    operation = schema[path][method]
    generated = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE)
    )

    @given(case=generated, real=st.booleans(), data=st.data())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=DERANDOMIZE,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any, real: bool, data: st.DataObject) -> None:
        if real:
            # Half the cases name records that exist; a PATCH then goes through with If-Match: * (any version).
            for name, values in context["ids"].items():
                if name in (case.path_parameters or {}):
                    case.path_parameters[name] = data.draw(st.sampled_from(values))
            if method == "PATCH":
                case.headers = {**(case.headers or {}), "If-Match": "*"}
        case.call_and_validate(headers=context["headers"], checks=[not_a_server_error, response_schema_conformance])

    run()
