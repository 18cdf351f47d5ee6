"""Small Jinja helpers shared by every template."""

from __future__ import annotations

from typing import Any

from flask import Flask


def combine_args(args: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """The current query arguments with some replaced: keeps filters when paging or sorting."""
    merged = dict(args)
    merged.update(changes)
    return {k: v for k, v in merged.items() if v not in (None, "")}


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.filters["combine_args"] = combine_args
