"""The main menu: which pages a person's navigation lists, decided by their roles."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.accounts.models import Role, User
from app.agreements import service as agreements
from app.coaching import service as coaching
from app.extensions import db
from app.web import known_for_request


@dataclass(frozen=True)
class Badge:
    """A count beside a menu entry; ``meaning`` is read out after it by screen readers."""

    count: int
    meaning: str
    element_id: str = ""
    pill: bool = False


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: str
    badge: Badge | None = None
    # Pages that belong to this entry: it is highlighted there too (not marked as the page).
    also_active_on: tuple[str, ...] = ()

    def shown_on(self, endpoint: str) -> bool:
        """Whether the page at ``endpoint`` is this entry's (its menu is then marked too)."""
        return endpoint == self.endpoint or endpoint in self.also_active_on


BUDDY_PAGES = ("buddies.pair", "buddies.pairing")


def main_nav(user: User, unread: int, to_sign: int) -> list[NavItem]:
    """The entries of ``user``'s main menu, in order.

    ``unread`` counts their unread notifications and ``to_sign`` the agreements waiting for
    their signature; both are looked up once per page by the caller.
    """
    rep = user.has_role(Role.REP)
    coach = user.has_role(Role.COACH)
    everyone = user.sees_everyone  # HR and admins
    items = []
    if coach:
        items.append(NavItem("reminders.work_queue", "Work queue"))
    if rep:
        items.append(NavItem("plans.my_ramp", "My ramp"))
    if coach and not everyone:
        items.append(NavItem("plans.team", "My team"))
    if everyone:
        items.append(NavItem("plans.team", "All reps"))
    if coach or everyone:
        coach_pages = (
            "dashboards.coaches",
            "dashboards.coach",
            "outcomes.index",
            "outcomes.drivers",
        )
        items.append(NavItem("dashboards.ramp", "Dashboard", also_active_on=coach_pages))
    if rep:
        items.append(NavItem("metrics.mine", "My activity", also_active_on=("metrics.log_day",)))
        items.append(NavItem("outcomes.mine", "My numbers"))
        items.append(NavItem("coaching.mine", "My debriefs"))
    # Always there, so what was read can be found again; the count only while something is unread.
    plural = "s" if unread != 1 else ""
    badge = Badge(unread, f"unread notification{plural}", "unread-count") if unread else None
    items.append(NavItem("coaching.notifications", "Notifications", badge))
    own_only = rep and not (coach or everyone)
    items.append(
        NavItem("certification.mine" if own_only else "certification.team", "Certifications")
    )
    waiting = Badge(to_sign, "waiting", pill=True) if to_sign else None
    items.append(NavItem("agreements.mine", "To sign", waiting, ("agreements.sign",)))
    if everyone or coach:
        items.append(NavItem("agreements.index", "Agreements"))
    if own_only:  # coaches, HR and admins find these in the Follow-up menu
        items.append(NavItem("buddies.index", "Buddies", also_active_on=BUDDY_PAGES))
        items.append(_recognition())
    items.append(NavItem("curriculum.index", "Curriculum"))
    return items


def _recognition() -> NavItem:
    listening = ("recognition.rep", "surveys.mine", "surveys.pulse", "surveys.rate")
    return NavItem("recognition.feed", "Recognition", also_active_on=listening)


def followup_nav(user: User) -> list[NavItem]:
    """The "Follow-up" menu of coaches, HR and admins: what is raised to them to follow up,
    and the people side of the ramp (buddies, recognition), in a menu so the bar stays one row.
    """
    coach = user.has_role(Role.COACH)
    if not (coach or user.sees_everyone):
        return []
    items = [
        NavItem("escalations.index", "Escalations"),
        NavItem("disputes.index", "Disputes", also_active_on=("disputes.show",)),
        NavItem("buddies.index", "Buddies", also_active_on=BUDDY_PAGES),
    ]
    if coach:  # a coach recognises their reps
        items.append(_recognition())
    return items


_WEBHOOK_PAGES = (
    "webhooks.new_endpoint",
    "webhooks.edit_endpoint",
    "webhooks.deliveries",
    "webhooks.delivery",
)


def organisation_nav(user: User) -> list[NavItem]:
    """The "Organisation" menu: people for HR and admins, and the admin's own pages.

    A menu of its own so that the main bar stays one row for everyone, however many
    administrative pages there are.
    """
    if not user.sees_everyone:
        return []
    people_pages = ("invitations.index", "cohorts.upload", "cohorts.preview")
    items = [
        NavItem("admin.people", "People", also_active_on=people_pages),
        NavItem("metrics.imports", "Import activity"),
        NavItem("surveys.results", "Pulse surveys"),
        NavItem("surveys.ratings", "Debrief ratings", also_active_on=("surveys.coach_ratings",)),
        NavItem("notices.index", "Written notices"),
    ]
    if user.has_role(Role.ADMIN):
        items += [
            NavItem("admin.teams", "Teams"),
            NavItem("admin.organisation", "Settings"),
            NavItem("security.events", "Security log"),
            NavItem("admin.outbox", "Outbox", also_active_on=("admin.outbox_message",)),
            NavItem("webhooks.endpoints", "Webhooks", also_active_on=_WEBHOOK_PAGES),
        ]
    return items


def account_nav() -> list[NavItem]:
    """The menu under the person's own name: their settings, whatever their roles."""
    return [
        NavItem("accounts.change_password", "Password"),
        NavItem("notifications.preferences", "Notification settings"),
        NavItem("calendars.mine", "Calendar"),
        NavItem("api_tokens.mine", "API tokens"),
    ]


def menu_of(user: User) -> list[NavItem]:
    """The menu with its badges: both counts in one query; the unread count is kept for the
    rest of the request (as ``unread``, the name the coaching pages' own lookup uses)."""
    counts = select(
        coaching.UNREAD_COUNT.scalar_subquery(),
        agreements.waiting_count_statement(user.sees_everyone).scalar_subquery(),
    )
    unread, to_sign = db.session.execute(counts, {"user_id": user.id, "actor_id": user.id}).one()
    known_for_request({"unread": unread})
    return main_nav(user, unread, to_sign)
