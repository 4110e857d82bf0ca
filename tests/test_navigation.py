"""The main menu each combination of roles gets, built in Python from the Role enum."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask, render_template
from flask_login import login_user

from app.accounts.models import Role, User
from app.navigation import Badge, account_nav, followup_nav, main_nav, organisation_nav

ADMIN_MENU = [
    ("plans.team", "All reps"),
    ("dashboards.ramp", "Dashboard"),
    ("coaching.notifications", "Notifications"),
    ("certification.team", "Certifications"),
    ("agreements.mine", "To sign"),
    ("agreements.index", "Agreements"),
    ("curriculum.index", "Curriculum"),
]
MENUS = {
    (Role.REP,): [
        ("plans.my_ramp", "My ramp"),
        ("metrics.mine", "My activity"),
        ("outcomes.mine", "My numbers"),
        ("coaching.mine", "My debriefs"),
        ("coaching.notifications", "Notifications"),
        ("certification.mine", "Certifications"),
        ("agreements.mine", "To sign"),
        ("buddies.index", "Buddies"),
        ("recognition.feed", "Recognition"),
        ("curriculum.index", "Curriculum"),
    ],
    (Role.COACH,): [
        ("reminders.work_queue", "Work queue"),
        ("plans.team", "My team"),
        ("dashboards.ramp", "Dashboard"),
        ("coaching.notifications", "Notifications"),
        ("certification.team", "Certifications"),
        ("agreements.mine", "To sign"),
        ("agreements.index", "Agreements"),
        ("curriculum.index", "Curriculum"),
    ],
    (Role.HR,): ADMIN_MENU,
    (Role.ADMIN,): ADMIN_MENU,
    # A coach who is also an admin sees everyone: the admin's menu, without "My team", after
    # their work queue (their reps' verifications still wait on them).
    (Role.COACH, Role.ADMIN): [
        ("reminders.work_queue", "Work queue"),
        *ADMIN_MENU,
    ],
}
# The "Organisation" menu: HR's people pages, and the admin's own pages after them.
HR_ORGANISATION = [
    ("admin.people", "People"),
    ("metrics.imports", "Import activity"),
    ("surveys.results", "Pulse surveys"),
    ("surveys.ratings", "Debrief ratings"),
    ("notices.index", "Written notices"),
]
ORGANISATION_MENUS = {
    (Role.REP,): [],
    (Role.COACH,): [],
    (Role.HR,): HR_ORGANISATION,
    (Role.ADMIN,): [
        *HR_ORGANISATION,
        ("admin.teams", "Teams"),
        ("admin.organisation", "Settings"),
        ("security.events", "Security log"),
        ("admin.outbox", "Outbox"),
        ("webhooks.endpoints", "Webhooks"),
    ],
}


@pytest.mark.parametrize("roles", ORGANISATION_MENUS, ids=lambda roles: "+".join(roles))
def test_hr_and_admins_find_the_organisation_pages_in_a_menu_of_their_own(
    make_user: Callable[..., User], roles: tuple[Role, ...]
) -> None:
    items = organisation_nav(make_user(*roles))
    assert [(item.endpoint, item.label) for item in items] == ORGANISATION_MENUS[roles]


FOLLOW_UP = [
    ("escalations.index", "Escalations"),
    ("disputes.index", "Disputes"),
    ("buddies.index", "Buddies"),
]
FOLLOW_UP_MENUS = {
    (Role.REP,): [],
    (Role.COACH,): [*FOLLOW_UP, ("recognition.feed", "Recognition")],
    (Role.HR,): FOLLOW_UP,
    (Role.ADMIN,): FOLLOW_UP,
    (Role.COACH, Role.ADMIN): [*FOLLOW_UP, ("recognition.feed", "Recognition")],
}


@pytest.mark.parametrize("roles", FOLLOW_UP_MENUS, ids=lambda roles: "+".join(roles))
def test_coaches_hr_and_admins_find_what_to_follow_up_in_a_menu_of_its_own(
    make_user: Callable[..., User], roles: tuple[Role, ...]
) -> None:
    items = followup_nav(make_user(*roles))
    assert [(item.endpoint, item.label) for item in items] == FOLLOW_UP_MENUS[roles]


def test_everyone_finds_their_own_settings_under_their_name() -> None:
    assert [(item.endpoint, item.label) for item in account_nav()] == [
        ("accounts.change_password", "Password"),
        ("notifications.preferences", "Notification settings"),
        ("calendars.mine", "Calendar"),
        ("api_tokens.mine", "API tokens"),
    ]


def test_a_menu_is_marked_when_one_of_its_pages_is_open(
    app: Flask, make_user: Callable[..., User]
) -> None:
    admin = make_user(Role.ADMIN, name="Alex Admin")
    with app.test_request_context("/admin/invitations"):
        login_user(admin)
        page = render_template("base.html", menu_of=lambda user: main_nav(user, 0, 0))
    organisation = page[page.index('id="organisation-menu"') :]
    account = page[page.index('id="account-menu"') :]
    assert "nav-link active" in organisation[: organisation.index("</summary>")]
    assert "nav-link active" not in account[: account.index("</summary>")]
    assert ">Alex Admin</summary>" in account
    assert '<form method="post" action="/logout">' in account


@pytest.mark.parametrize("roles", MENUS, ids=lambda roles: "+".join(roles))
def test_each_role_combination_gets_its_menu(
    make_user: Callable[..., User], roles: tuple[Role, ...]
) -> None:
    items = main_nav(make_user(*roles), unread=0, to_sign=0)
    assert [(item.endpoint, item.label) for item in items] == MENUS[roles]
    assert all(item.badge is None for item in items)


@pytest.mark.parametrize("roles", MENUS, ids=lambda roles: "+".join(roles))
def test_notifications_stay_in_the_menu_with_the_unread_count_while_there_is_one(
    make_user: Callable[..., User], roles: tuple[Role, ...]
) -> None:
    user = make_user(*roles)
    for unread, badge in (
        (0, None),
        (1, Badge(1, "unread notification", "unread-count")),
        (3, Badge(3, "unread notifications", "unread-count")),
    ):
        items = {item.endpoint: item for item in main_nav(user, unread, 0)}
        assert items["coaching.notifications"].label == "Notifications"
        assert items["coaching.notifications"].badge == badge
        with_badges = [endpoint for endpoint, item in items.items() if item.badge]
        assert with_badges == (["coaching.notifications"] if unread else [])


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
        'Notifications <span class="badge text-bg-warning" id="unread-count">1'
        '<span class="visually-hidden"> unread notification</span></span></a>'
    ) in page
    with app.test_request_context("/curriculum/"):
        login_user(make_user(Role.COACH))
        page = render_template("base.html")
    assert 'aria-current="page" href="/curriculum/">Curriculum</a>' in page
