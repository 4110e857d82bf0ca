"""Long lists: reading the page, sort and search from the URL; paging in SQL and in Python."""

from __future__ import annotations

import pytest
from flask import Flask, url_for
from sqlalchemy import func, select

from app.accounts.models import Role, User
from app.pagination import (
    MAX_PER_PAGE,
    PER_PAGE,
    PageRequest,
    paged,
    paginate_query,
    paginate_rows,
    paginate_statements,
)
from app.web import id_url, page_window, url_with
from tests.querycount import counting_queries

SORTABLE = ("name", "day")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({}, PageRequest(1, PER_PAGE, "name", False, "")),
        (
            {"page": "3", "sort": "-day", "q": "  ava "},
            PageRequest(3, PER_PAGE, "day", True, "ava"),
        ),
        ({"page": "0", "per_page": "x", "sort": "password"}, PageRequest(1, PER_PAGE, "name")),
        ({"page": "-2", "per_page": "100000"}, PageRequest(1, MAX_PER_PAGE, "name")),
    ],
)
def test_a_hand_edited_url_falls_back_to_defaults(args, expected) -> None:
    assert PageRequest.from_args(args, SORTABLE, default_sort="name") == expected


def test_a_column_header_toggles_its_direction() -> None:
    by_name = PageRequest(sort="name")
    assert (by_name.sort_arg("name"), by_name.aria_sort("name")) == ("-name", "ascending")
    assert (by_name.sort_arg("day"), by_name.aria_sort("day")) == ("day", "none")
    descending = PageRequest(sort="name", descending=True)
    assert (descending.sort_arg("name"), descending.aria_sort("name")) == ("name", "descending")


def test_rows_sorted_and_paged_in_python() -> None:
    rows = list(range(1, 121))
    page = paginate_rows(rows, PageRequest(number=3, sort="n", descending=True), {"n": lambda r: r})
    assert page.items == list(range(20, 0, -1))
    assert (page.total, page.pages, page.first, page.last) == (120, 3, 101, 120)
    assert page.has_previous and not page.has_next


def test_a_page_past_the_end_shows_the_last_one() -> None:
    page = paginate_rows(list(range(60)), PageRequest(number=9), {})
    assert (page.number, page.items) == (2, list(range(50, 60)))
    empty = paginate_rows([], PageRequest(number=4), {})
    assert (empty.number, empty.first, empty.last, empty.pages) == (1, 0, 0, 1)


def test_sql_paging_asks_the_same_queries_however_long_the_list(app: Flask, make_user) -> None:
    def second_page() -> tuple[int, list[int]]:
        with counting_queries() as statements:
            page = paginate_query(select(User).order_by(User.id), PageRequest(number=2, per_page=3))
        return len(statements), [user.id for user in page.items]

    people = [make_user(Role.REP) for _ in range(7)]
    few, ids = second_page()
    assert ids == [person.id for person in people[3:6]]
    people += [make_user(Role.REP) for _ in range(40)]
    many, _ = second_page()
    assert few == many <= 3  # the count, the page, and the page's roles


def test_statements_built_once_page_as_a_query_does(app: Flask, make_user) -> None:
    """The same rows, count and page numbers as :func:`paginate_query`, past the end too."""
    people = [make_user(Role.REP) for _ in range(7)]
    ids = [person.id for person in people]
    wanted = User.id.in_(ids)
    count = select(func.count()).select_from(User).where(wanted)
    rows = paged(select(User.id, User.full_name).where(wanted).order_by(User.id))
    for number in (1, 2, 3, 9):
        asked = PageRequest(number=number, per_page=3)
        built = paginate_statements(count, rows, asked, {})
        queried = paginate_query(select(User).where(wanted).order_by(User.id), asked)
        assert [row.id for row in built.items] == [user.id for user in queried.items]
        assert (built.number, built.total, built.pages) == (queried.number, 7, 3)
    assert [row.full_name for row in built.items] == [people[6].full_name]


def test_page_links_show_the_ends_and_the_neighbourhood() -> None:
    page = paginate_rows(list(range(20 * PER_PAGE)), PageRequest(number=10), {})
    assert page_window(page) == [1, None, 8, 9, 10, 11, 12, None, 20]
    assert page_window(paginate_rows([1], PageRequest(), {})) == [1]


def test_links_keep_the_other_filters(app: Flask) -> None:
    with app.test_request_context("/team?team=3&q=ava&page=4&sort=-day"):
        link = url_with(page=5)
        gone = url_with(page=None)
    assert link.startswith("/team?")
    assert "team=3" in link and "q=ava" in link and "sort=-day" in link and "page=5" in link
    assert "page=" not in gone and "team=3" in gone


@pytest.mark.parametrize(
    ("endpoint", "values"),
    [
        ("plans.rep_ramp", {}),
        ("coaching.rep_debriefs", {}),
        ("certification.certification", {"stage": "discovery"}),
        ("certification.certification", {"stage": "a stage/with ?odd chars"}),
    ],
)
def test_id_urls_are_the_urls_url_for_builds(app: Flask, endpoint: str, values: dict) -> None:
    """A list builds each row's link from one pattern: the same URL as ``url_for``'s."""
    with app.test_request_context("/"):
        link = id_url(endpoint, **values)
        for rep_id in (1, 7, 12345, 2**31 - 2):
            assert link(rep_id) == url_for(endpoint, rep_id=rep_id, **values)
