"""Pagination over rows a service loads itself (several columns, a kept order), for the ``pager`` macro."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_sqlalchemy.pagination import Pagination


class RowsPagination(Pagination):
    """Flask-SQLAlchemy's pagination (what the ``pager`` macro reads) with ``load(limit, offset)`` giving the
    page's items and ``counter()`` the total, so a page can be built from any query or kept list."""

    def _query_items(self) -> list[Any]:
        load: Callable[[int, int], list[Any]] = self._query_args["load"]
        return load(self.per_page, self._query_offset)

    def _query_count(self) -> int:
        counter: Callable[[], int] = self._query_args["counter"]
        return counter()
