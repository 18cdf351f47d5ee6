"""HTTP mechanics shared by the resources: ETags from the version column, conditional requests, keyset pages."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from flask import Response, abort, jsonify, request, url_for
from flask_babel import gettext as _
from sqlalchemy import Select
from sqlalchemy.orm import InstrumentedAttribute

from app.api.inputs import MAX_ID, query_int
from app.api.problems import ApiProblem
from app.extensions import db

T = TypeVar("T")
DEFAULT_LIMIT = 50
MAX_LIMIT = 200


# --- ETags and conditional requests ---------------------------------------------------------------------
def etag_of(record: Any) -> str:
    """The entity tag of a record: its optimistic-locking version, which every change bumps."""
    return f"v{record.version}"


def single(record: Any, body: dict[str, Any], status: int = 200) -> Response:
    """One record as JSON with its ETag; 304 when the client's If-None-Match already names it."""
    tag = etag_of(record)
    if status == 200 and request.method in ("GET", "HEAD") and request.if_none_match.contains_weak(tag):
        response = Response(status=304)
    else:
        response = jsonify(body)
        response.status_code = status
    response.set_etag(tag)
    return response


def created(record: Any, body: dict[str, Any]) -> Response:
    """201 with the new record, its ETag and its address."""
    response = single(record, body, status=201)
    response.headers["Location"] = body["links"]["self"]
    return response


def created_unversioned(body: dict[str, Any], status: int = 201) -> Response:
    """201 with a record that has no version to send as an ETag (a photo, a document, a ledger entry); 202 when
    what it stands for is made in the background (follow ``links.self`` until ready, then ``links.file``)."""
    response = jsonify(body)
    response.status_code = status
    response.headers["Location"] = body["links"]["self"]
    return response


def visible_or_404(model: type[T], record_id: int, may_see: Callable[[T], bool]) -> T:
    """The record, or 404 when it does not exist or this user may not see it (not even that it exists)."""
    record = db.session.get(model, record_id) if record_id <= MAX_ID else None
    if record is None or not may_see(record):
        abort(404)
    return record


def expected_version(record: Any) -> int:
    """The version a PATCH may change: 428 without If-Match, 412 when it names another version."""
    if not request.headers.get("If-Match"):
        raise ApiProblem(428)
    if request.if_match.star_tag or request.if_match.contains(etag_of(record)):
        return int(record.version)
    raise ApiProblem(412)


# --- keyset pagination ----------------------------------------------------------------------------------
def _bad_cursor() -> ApiProblem:
    return ApiProblem(400, errors={"cursor": [_("This cursor is not valid; start again from the first page.")]})


def _decode_cursor(raw: str) -> int:
    try:
        padded = raw + "=" * (-len(raw) % 4)
        after = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))["after"]
    except (ValueError, KeyError, TypeError, UnicodeEncodeError, binascii.Error):
        raise _bad_cursor() from None
    if isinstance(after, bool) or not isinstance(after, int) or not 0 <= after <= MAX_ID:
        raise _bad_cursor()
    return after


def _encode_cursor(after: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": after}).encode()).decode("ascii").rstrip("=")


def page(
    query: Select[Any],
    id_column: InstrumentedAttribute[int],
    render: Callable[[Sequence[Any]], list[dict[str, Any]]],
    endpoint: str,
    filters: tuple[str, ...] = (),
    **path: Any,
) -> Response:
    """A page of ``query`` in id order after the client's cursor, with a ``next`` link (keeping ``filters``)
    while rows remain.

    Keyset pagination (``id > last seen``) walks every row exactly once even while rows are added meanwhile.
    """
    limit = query_int("limit", 1, MAX_LIMIT) or DEFAULT_LIMIT
    raw_cursor = request.args.get("cursor")
    query = query.order_by(None).order_by(id_column)
    if raw_cursor:
        query = query.where(id_column > _decode_cursor(raw_cursor))
    rows = list(db.session.scalars(query.limit(limit + 1)).unique())
    more = len(rows) > limit
    rows = rows[:limit]
    next_link = None
    if more:
        # Only the filters the view knows are carried over: other query parameters are ignored, not echoed.
        args: dict[str, Any] = {name: request.args[name] for name in filters if request.args.get(name)}
        args |= path | {"limit": limit, "cursor": _encode_cursor(rows[-1].id)}
        next_link = url_for(endpoint, **args)
    return jsonify({"items": render(rows), "next": next_link})
