"""Admin People as a list that grows: a page of 50, sorted by each column, searched, by team."""

from __future__ import annotations

import re

import pytest

from app.accounts import service
from app.accounts.models import Role
from app.errors import NotAllowed
from app.pagination import PageRequest


@pytest.fixture
def people(make_user, make_team):
    north, south = make_team("North"), make_team("South")
    coach = make_user(Role.COACH, name="Zara Coach", team=north)
    return {
        "north": north,
        "south": south,
        "coach": coach,
        "admin": make_user(Role.ADMIN, name="Ada Admin"),
        "ben": make_user(Role.REP, name="Ben Bloggs", coach=coach, team=south),
        "cat": make_user(Role.REP, name="Cat 100%", coach=coach, team=north, active=False),
        "hr": make_user(Role.HR, name="Hal Hr"),
    }


def names(page) -> list[str]:
    return [person.full_name.split()[0] for person in page.items]


def page_of(people, args, team_id=None):
    request = PageRequest.from_args(args, service.PEOPLE_SORTS, default_sort="name")
    return service.people_page(people["admin"], request, team_id)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Ada", "Ben", "Cat", "Hal", "Zara"]),
        ("-name", ["Zara", "Hal", "Cat", "Ben", "Ada"]),
        ("team", ["Ada", "Hal", "Cat", "Zara", "Ben"]),  # no team first, then North, South
        ("-coach", ["Ben", "Cat", "Ada", "Hal", "Zara"]),
        ("status", ["Ada", "Ben", "Hal", "Zara", "Cat"]),
        ("-status", ["Cat", "Ada", "Ben", "Hal", "Zara"]),
    ],
)
def test_people_sort_by_each_column(people, sort, expected):
    assert names(page_of(people, {"sort": sort})) == expected


def test_people_sort_by_email_and_role(people):
    by_email = page_of(people, {"sort": "email"}).items
    assert [p.email for p in by_email] == sorted(p.email for p in by_email)
    by_role = names(page_of(people, {"sort": "role"}))
    assert by_role[0] == "Ada"  # admin sorts first


def test_people_search_by_name_or_email_and_team(people):
    assert names(page_of(people, {"q": "bLOG"})) == ["Ben"]
    assert names(page_of(people, {"q": people["hr"].email[:6]})) == ["Hal"]
    assert names(page_of(people, {"q": "100%"})) == ["Cat"]
    assert names(page_of(people, {"q": "%"})) == ["Cat"]
    assert names(page_of(people, {}, people["north"].id)) == ["Cat", "Zara"]
    assert names(page_of(people, {"q": "cat"}, people["south"].id)) == []


def test_people_pages(people):
    page = page_of(people, {"per_page": "2", "page": "3"})
    assert names(page) == ["Zara"]
    assert (page.total, page.pages, page.first, page.last) == (5, 3, 5, 5)


def test_people_page_is_for_admins_and_hr(people, make_user):
    with pytest.raises(NotAllowed):
        service.people_page(people["coach"], PageRequest())
    assert service.people_page(people["hr"], PageRequest()).total == 5


def test_the_people_page_keeps_its_filters_in_links(people, login):
    client = login(people["admin"])
    text = client.get(
        "/admin/people", query_string={"per_page": 1, "team": people["north"].id, "sort": "-name"}
    ).text
    assert "Showing 1\N{EN DASH}1 of 2 people" in text
    assert "Zara Coach" in text and "Cat 100%" not in text
    link = re.search(r'rel="next" href="([^"]+)"', text)[1]
    assert f"team={people['north'].id}" in link and "sort=-name" in link
    assert 'aria-sort="descending"' in text
    assert "Nobody matches." in client.get("/admin/people", query_string={"q": "nobody"}).text
