"""Lists that grow with the organisation: one page of rows, a sort column, a search, a count.

Every list page asks for a :class:`PageRequest` (read from the URL by the web layer, so the
filters, sort and page survive a reload and can be shared) and gets back a :class:`Page`.
Services page in SQL with :func:`paginate_query` (two queries, whatever the number of rows),
or, where a row's value is computed in Python from aggregates (a rep's ramp status), with
:func:`paginate_rows` over light rows loaded in a fixed number of queries.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from sqlalchemy import Executable, Integer, Select, bindparam, func, select

from app.extensions import db

T = TypeVar("T")

PER_PAGE = 50
MAX_PER_PAGE = 200


@dataclass(frozen=True)
class PageRequest:
    """Which page of a list, sorted by what, in which direction, narrowed by which text."""

    number: int = 1
    per_page: int = PER_PAGE
    sort: str = ""
    descending: bool = False
    search: str = ""

    @classmethod
    def from_args(
        cls, args: Mapping[str, str], sortable: Sequence[str], default_sort: str = ""
    ) -> PageRequest:
        """Read ``page``, ``per_page``, ``sort`` (``-name`` for descending) and ``q``.

        Anything malformed falls back to the default rather than failing: a hand-edited URL
        shows the first page, not an error.
        """
        raw_sort = args.get("sort", "") or default_sort
        descending = raw_sort.startswith("-")
        sort = raw_sort.removeprefix("-")
        if sort not in sortable:
            sort, descending = default_sort.removeprefix("-"), default_sort.startswith("-")
        return cls(
            number=_positive(args.get("page"), 1),
            per_page=min(_positive(args.get("per_page"), PER_PAGE), MAX_PER_PAGE),
            sort=sort,
            descending=descending,
            search=(args.get("q") or "").strip()[:100],
        )

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.per_page

    def sort_arg(self, column: str) -> str:
        """The ``sort`` value a column header links to: this column, or the other direction."""
        if column == self.sort and not self.descending:
            return f"-{column}"
        return column

    def aria_sort(self, column: str) -> str:
        """``aria-sort`` for a column header (WAI-ARIA: the sorted column says which way)."""
        if column != self.sort:
            return "none"
        return "descending" if self.descending else "ascending"


def _positive(value: str | None, default: int) -> int:
    """A positive number of at most nine ASCII digits, else ``default`` (``²`` or ``10**30``)."""
    if not value or not value.isascii() or not value.isdigit() or len(value) > 9:
        return default
    return int(value) or default


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list, and where it stands in the whole."""

    items: list[T]
    total: int
    request: PageRequest

    @property
    def number(self) -> int:
        return self.request.number

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.request.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def first(self) -> int:
        """The position of the first row shown (1-based), 0 for an empty list."""
        return self.request.offset + 1 if self.items else 0

    @property
    def last(self) -> int:
        return self.request.offset + len(self.items)


def paginate_query(query: Select[Any], request: PageRequest) -> Page[Any]:
    """One page of ``query``'s rows (already filtered and sorted) and the count of all of them.

    A page number past the end shows the last page.
    """
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    request = _within(request, total or 0)
    rows = list(db.session.scalars(query.limit(request.per_page).offset(request.offset)))
    return Page(rows, total or 0, request)


# A statement of any columns (SQLAlchemy 2.1 types a select by its columns).
AnySelect = Select[*tuple[Any, ...]]


def paged(query: AnySelect) -> AnySelect:
    """``query`` limited to one page by the bound parameters ``limit`` and ``offset``, for a
    statement built once and paged with :func:`paginate_statements`."""
    limit, offset = bindparam("limit", type_=Integer), bindparam("offset", type_=Integer)
    return query.limit(limit).offset(offset)


def paginate_statements(
    count: Executable, rows: Executable, request: PageRequest, params: Mapping[str, Any]
) -> Page[Any]:
    """:func:`paginate_query` for statements built once with bound parameters (``rows`` made
    by :func:`paged`): building a statement and its cache key on every view can cost more
    than the database takes to run it. The rows are Core rows, not ORM objects."""
    total = db.session.scalar(count, params) or 0
    request = _within(request, total)
    window = {**params, "limit": request.per_page, "offset": request.offset}
    return Page(list(db.session.execute(rows, window)), total, request)


def paginate_rows(
    rows: Sequence[T], request: PageRequest, keys: Mapping[str, Callable[[T], Any]]
) -> Page[T]:
    """One page of ``rows`` sorted in Python by ``keys[request.sort]`` (stable, then by order)."""
    ordered = list(rows)
    key = keys.get(request.sort)
    if key is not None:
        ordered.sort(key=key, reverse=request.descending)
    request = _within(request, len(ordered))
    return Page(ordered[request.offset : request.offset + request.per_page], len(ordered), request)


def _within(request: PageRequest, total: int) -> PageRequest:
    last = max(1, math.ceil(total / request.per_page))
    return request if request.number <= last else replace(request, number=last)
