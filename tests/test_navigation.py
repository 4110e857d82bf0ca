"""The main menu each combination of roles gets, built in Python from the Role enum."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask, render_template
from flask_login import login_user

from app.accounts.models import Role, User
from app.navigation import Badge, main_nav

ADMIN_MENU = [
    ("plans.team", "All reps"),
    ("certification.team", "Certifications"),
    ("agreements.mine", "To sign"),
    ("agreements.index", "Agreements"),
    ("curriculum.index", "Curriculum"),
    ("admin.people", "People"),
    ("admin.teams", "Teams"),
    ("admin.organisation", "Settings"),
    ("security.events", "Security log"),
]
ADMIN_ONLY = {"admin.teams", "admin.organisation", "security.events"}
MENUS = {
    (Role.REP,): [
        ("plans.my_ramp", "My ramp"),
        ("coaching.mine", "My debriefs"),
        ("certification.mine", "Certifications"),
        ("agreements.mine", "To sign"),
        ("curriculum.index", "Curriculum"),
    ],
    (Role.COACH,): [
        ("plans.team", "My team"),
        ("certification.team", "Certifications"),
        ("agreements.mine", "To sign"),
        ("agreements.index", "Agreements"),
        ("curriculum.index", "Curriculum"),
    ],
    (Role.HR,): [item for item in ADMIN_MENU if item[0] not in ADMIN_ONLY],
    (Role.ADMIN,): ADMIN_MENU,
    # A coach who is also an admin sees everyone: the admin's menu, without "My team".
    (Role.COACH, Role.ADMIN): ADMIN_MENU,
}


@pytest.mark.parametrize("roles", MENUS, ids=lambda roles: "+".join(roles))
def test_each_role_combination_gets_its_menu(
    make_user: Callable[..., User], roles: tuple[Role, ...]
) -> None:
    items = main_nav(make_user(*roles), unread=0, to_sign=0)
    assert [(item.endpoint, item.label) for item in items] == MENUS[roles]
    assert all(item.badge is None for item in items)


def test_unread_notifications_show_on_my_debriefs_for_a_rep(make_user: Callable[..., User]) -> None:
    for unread, meaning in ((1, "unread notification"), (3, "unread notifications")):
        items = {item.endpoint: item for item in main_nav(make_user(Role.REP), unread, 0)}
        assert items["coaching.mine"].badge == Badge(unread, meaning, "unread-count")
        assert "coaching.notifications" not in items


def test_others_get_a_notifications_entry_only_while_something_is_unread(
    make_user: Callable[..., User],
) -> None:
    coach = make_user(Role.COACH)
    assert "coaching.notifications" not in [item.endpoint for item in main_nav(coach, 0, 0)]
    items = main_nav(coach, unread=2, to_sign=0)
    assert [(item.endpoint, item.label) for item in items][1] == (
        "coaching.notifications",
        "Notifications",
    )
    assert items[1].badge == Badge(2, "unread", "unread-count")


def test_agreements_waiting_show_on_to_sign(make_user: Callable[..., User]) -> None:
    items = {item.endpoint: item for item in main_nav(make_user(Role.HR), 0, to_sign=4)}
    assert items["agreements.mine"].badge == Badge(4, "waiting", pill=True)
    assert items["agreements.mine"].also_active_on == ("agreements.sign",)


def test_the_menu_marks_the_current_page(app: Flask, make_user: Callable[..., User]) -> None:
    with app.test_request_context("/agreements/1/sign"):
        login_user(make_user(Role.REP))
        page = render_template("base.html", menu_of=lambda user: main_nav(user, 1, 2))
    assert '<a class="nav-link active"\n' in page and 'aria-current="page"' not in page
    assert (
        'To sign <span class="badge rounded-pill text-bg-warning">2'
        '<span class="visually-hidden"> waiting</span></span></a>'
    ) in page
    assert (
        'My debriefs <span class="badge text-bg-warning" id="unread-count">1'
        '<span class="visually-hidden"> unread notification</span></span></a>'
    ) in page
    with app.test_request_context("/curriculum/"):
        login_user(make_user(Role.COACH))
        page = render_template("base.html")
    assert 'aria-current="page" href="/curriculum/">Curriculum</a>' in page
