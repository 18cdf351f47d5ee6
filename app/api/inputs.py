"""What a client sends, checked before a service sees it: the body's media type and JSON, the type of each field,
unknown fields, query parameters and ids in paths.

Type checks live here (a service takes Python values); the rules of the domain (a code already taken, an end before
a start) stay in the services, whose :class:`DomainError` the problem handlers turn into a 422. The same
:class:`Field` descriptions build the request schemas of the OpenAPI document, so the two cannot drift apart.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from flask import current_app, request
from flask_babel import gettext as _

from app.api.problems import WHOLE_BODY, ApiProblem, invalid

JSON_MIMETYPES = ("application/json", "application/merge-patch+json")
# A JSON body never needs more; uploads have their own limit (MAX_CONTENT_LENGTH).
JSON_MAX_BYTES = 1024 * 1024
# Ids are 32-bit in every table: a larger number cannot name a record (and would overflow SQLite's integers).
MAX_ID = 2**31 - 1
MAX_INT = 2**31 - 1
DATE_PATTERN = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
DECIMAL_PATTERN = re.compile(r"^-?[0-9]{1,12}(\.[0-9]{1,12})?$")
DIGITS = re.compile(r"^[0-9]{1,12}$")
# NUL cannot be stored by PostgreSQL, lone surrogates cannot be encoded as UTF-8, and other control characters have
# no business in a record.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")

TEXT_PATTERN = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$"


@dataclass(frozen=True)
class Field:
    """One field of a request body: its JSON type and whether it may be null or left out."""

    kind: str  # string, integer, date, decimal, enum, choices (a list of enum values), ids
    required: bool = False
    nullable: bool = False
    max_length: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()
    enum_type: type[enum.Enum] | None = None
    description: str = ""
    max_items: int = 50  # ids

    def schema(self) -> dict[str, Any]:
        """This field as a JSON Schema (OpenAPI 3.1)."""
        schema: dict[str, Any]
        if self.kind == "string":
            schema = {"type": "string", "pattern": TEXT_PATTERN}
            if self.max_length:
                schema["maxLength"] = self.max_length
        elif self.kind == "integer":
            schema = {"type": "integer", "minimum": self.minimum or 0, "maximum": self.maximum or MAX_INT}
        elif self.kind == "date":
            schema = {"type": "string", "format": "date", "pattern": DATE_PATTERN.pattern}
        elif self.kind == "decimal":
            schema = {"type": "string", "pattern": DECIMAL_PATTERN.pattern}
        elif self.kind == "enum":
            schema = {"type": "string", "enum": list(self.values())}
        elif self.kind == "choices":
            items = {"type": "string", "enum": list(self.values())}
            schema = {"type": "array", "items": items, "uniqueItems": True, "maxItems": len(self.values())}
        elif self.kind == "ids":
            number = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
            schema = {"type": "array", "items": number, "maxItems": self.max_items}
        else:  # pragma: no cover - a programming error
            raise ValueError(self.kind)
        if self.nullable:
            schema["type"] = [schema["type"], "null"]
            if "enum" in schema:
                schema["enum"] = [*schema["enum"], None]
        if self.description:
            schema["description"] = self.description
        return schema

    def values(self) -> tuple[str, ...]:
        if self.enum_type is not None:
            return tuple(str(member.value) for member in self.enum_type)
        return self.choices


def object_schema(fields: Mapping[str, Field], partial: bool = False) -> dict[str, Any]:
    """The request body made of ``fields``; ``partial`` (PATCH) requires none of them."""
    schema: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {name: field.schema() for name, field in fields.items()},
    }
    required = [name for name, field in fields.items() if field.required]
    if required and not partial:
        schema["required"] = required
    return schema


def _convert(field: Field, value: Any) -> Any:
    """The Python value of ``value``; raises ValueError with a message a person can read."""
    if value is None:
        if field.nullable:
            return None
        raise ValueError(_("This field cannot be null."))
    if field.kind == "string":
        if not isinstance(value, str):
            raise ValueError(_("Expected a string."))
        if CONTROL.search(value):
            raise ValueError(_("Control characters are not allowed."))
        if field.max_length is not None and len(value) > field.max_length:
            raise ValueError(_("Use at most %(n)d characters.", n=field.max_length))
        return value
    if field.kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(_("Expected a whole number."))
        low, high = field.minimum or 0, field.maximum or MAX_INT
        if not low <= value <= high:
            raise ValueError(_("Expected a number between %(low)d and %(high)d.", low=low, high=high))
        return value
    if field.kind == "date":
        if not isinstance(value, str) or not DATE_PATTERN.fullmatch(value):
            raise ValueError(_("Expected a date as YYYY-MM-DD."))
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError(_("This date does not exist.")) from None
    if field.kind == "decimal":
        # A string, never a JSON number: a float would already have lost digits on the client's side.
        if not isinstance(value, str) or not DECIMAL_PATTERN.fullmatch(value):
            raise ValueError(_('Expected a decimal number written as a string, for example "15.5".'))
        return Decimal(value)
    if field.kind == "enum":
        if not isinstance(value, str) or value not in field.values():
            raise ValueError(_("Expected one of: %(values)s.", values=", ".join(field.values())))
        return field.enum_type(value) if field.enum_type is not None else value
    if field.kind == "choices":
        allowed = field.values()
        if not isinstance(value, list) or any(not isinstance(item, str) or item not in allowed for item in value):
            raise ValueError(_("Expected a list of: %(values)s.", values=", ".join(allowed)))
        chosen = list(dict.fromkeys(value))
        return [field.enum_type(item) for item in chosen] if field.enum_type is not None else chosen
    if field.kind == "ids":
        if not isinstance(value, list) or len(value) > field.max_items:
            raise ValueError(_("Expected a list of ids."))
        if any(isinstance(item, bool) or not isinstance(item, int) or not 1 <= item <= MAX_ID for item in value):
            raise ValueError(_("Expected a list of ids."))
        return list(value)
    raise ValueError(field.kind)  # pragma: no cover


def parse_fields(body: Mapping[str, Any], fields: Mapping[str, Field], partial: bool = False) -> dict[str, Any]:
    """The fields of ``body`` as Python values; a 422 lists every unknown, missing or mistyped field at once."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    for name in body:
        if name not in fields:
            errors[name] = [_("This field is not known.")]
    for name, field in fields.items():
        if name not in body:
            if field.required and not partial:
                errors[name] = [_("This field is required.")]
            continue
        try:
            values[name] = _convert(field, body[name])
        except ValueError as error:
            errors[name] = [str(error)]
    if errors:
        raise invalid(errors)
    return values


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)


def json_body() -> dict[str, Any]:
    """The request body as a JSON object: 415 for another media type, 413 when too large, 400 when not JSON,
    422 when JSON but not an object."""
    if request.mimetype not in JSON_MIMETYPES:
        raise ApiProblem(415)
    limit = min(JSON_MAX_BYTES, current_app.config.get("MAX_CONTENT_LENGTH") or JSON_MAX_BYTES)
    request.max_content_length = limit
    raw = request.get_data(cache=True)
    try:
        body = json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant)
    except (ValueError, UnicodeDecodeError):
        raise ApiProblem(400, _("The body is not valid JSON.")) from None
    if not isinstance(body, dict):
        raise invalid({WHOLE_BODY: [_("The body must be a JSON object.")]})
    return body


def query_int(name: str, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    if not DIGITS.fullmatch(raw) or not minimum <= int(raw) <= maximum:
        raise ApiProblem(
            400,
            errors={name: [_("Expected a number between %(low)d and %(high)d.", low=minimum, high=maximum)]},
        )
    return int(raw)


def query_choice(name: str, choices: tuple[str, ...]) -> str | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    if raw not in choices:
        raise ApiProblem(400, errors={name: [_("Expected one of: %(values)s.", values=", ".join(choices))]})
    return raw
