"""Pairing a new hire with a buddy, replacing and unpairing (history kept), and the peers to
suggest; every read here is a fixed number of queries whatever the number of reps."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask import current_app
from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import joinedload

from app import once
from app.accounts.models import Role, User, UserRole
from app.buddies.cadence import DEFAULT_CADENCE, Cadence, parse_cadence, usable_grace
from app.buddies.models import BuddyCheckIn, BuddyLapse, BuddyPairing
from app.buddies.service.access import require_pair, require_see_pairing, sees_pairing_link
from app.buddies.suggestions import Candidate, is_suggested
from app.curriculum.models import PlanTemplate
from app.errors import Invalid, NotFound
from app.extensions import db
from app.notifications.service import notify
from app.pagination import Page, PageRequest, paginate_rows
from app.plans.models import Plan
from app.plans.service import active_plan, active_plan_role


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class BuddySettings:
    """The deployment's buddy settings (``SALESRAMP_BUDDY_*``, see the README)."""

    cadence: Cadence
    grace_days: int
    max_per_peer: int


def buddy_settings() -> BuddySettings:
    """Read from the app's config; a malformed cadence falls back to the default (and says so
    in the log) rather than breaking every buddy page."""
    config = current_app.config
    try:
        cadence = parse_cadence(str(config.get("BUDDY_CADENCE") or DEFAULT_CADENCE))
    except ValueError as error:
        current_app.logger.warning("SALESRAMP_BUDDY_CADENCE ignored: %s", error)
        cadence = parse_cadence(DEFAULT_CADENCE)
    grace = usable_grace(cadence, int(config.get("BUDDY_GRACE_DAYS", 3)))
    return BuddySettings(cadence, grace, int(config.get("BUDDY_MAX_PER_PEER", 2)))


def pairing_link(pairing_id: int) -> str:
    """The pairing's page (tests check it matches the route)."""
    return f"/buddies/{pairing_id}"


def get_pairing(actor: User, pairing_id: int) -> BuddyPairing:
    """A pairing the actor may see, with both people; unknown ids are NotFound."""
    pairing = db.session.scalar(
        select(BuddyPairing)
        .where(BuddyPairing.id == pairing_id)
        .options(joinedload(BuddyPairing.rep), joinedload(BuddyPairing.buddy))
    )
    if pairing is None:
        raise NotFound("No such buddy pairing.")
    require_see_pairing(actor, pairing)
    return pairing


def active_pairing_of(rep: User) -> BuddyPairing | None:
    return db.session.scalar(
        select(BuddyPairing)
        .where(BuddyPairing.rep_id == rep.id, BuddyPairing.ended_at.is_(None))
        .options(joinedload(BuddyPairing.buddy))
    )


@dataclass(frozen=True)
class BuddyLink:
    """The new hire's active pairing as their ramp page links to it."""

    link: str
    buddy_name: str


def buddy_link_for(actor: User, rep: User) -> BuddyLink | None:
    """A link to the rep's active pairing, for the rep, the buddy and the coach: one query."""
    pairing = active_pairing_of(rep)
    if pairing is None or not sees_pairing_link(actor, pairing):
        return None
    return BuddyLink(pairing_link(pairing.id), pairing.buddy.full_name)


def pairing_history_of(rep: User) -> list[BuddyPairing]:
    """Every pairing of the new hire, newest first, with both people: one query."""
    query = (
        select(BuddyPairing)
        .where(BuddyPairing.rep_id == rep.id)
        .options(joinedload(BuddyPairing.buddy), joinedload(BuddyPairing.ended_by))
        .order_by(BuddyPairing.paired_at.desc(), BuddyPairing.id.desc())
    )
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class Peer:
    """A peer who could buddy the new hire: their role, start and current load."""

    user_id: int
    name: str
    role: str
    started_on: date | None
    buddies: int
    suggested: bool
    full: bool


def rep_start(rep: User) -> date | None:
    plan = active_plan(rep)
    return rep.start_date or (plan.start_date if plan is not None else None)


def _buddies_now() -> object:
    return (
        select(func.count(BuddyPairing.id))
        .where(BuddyPairing.buddy_id == User.id, BuddyPairing.ended_at.is_(None))
        .correlate(User)
        .scalar_subquery()
    )


def peers_for(actor: User, rep: User, search: str = "") -> list[Peer]:
    """Active reps other than the new hire (whose name holds ``search``), suggested ones first
    (fewest buddies, longest in the job), then the others by name: three queries."""
    require_pair(actor, rep)
    settings = buddy_settings()
    role, start = active_plan_role(rep), rep_start(rep)
    query = (
        select(
            User.id,
            User.full_name,
            User.active,
            func.coalesce(User.start_date, Plan.start_date).label("started_on"),
            PlanTemplate.role,
            _buddies_now().label("buddies"),  # type: ignore[attr-defined]
        )
        .join(UserRole, and_(UserRole.user_id == User.id, UserRole.role == Role.REP))
        .outerjoin(Plan, and_(Plan.rep_id == User.id, Plan.archived_at.is_(None)))
        .outerjoin(PlanTemplate, PlanTemplate.id == Plan.template_id)
        .where(User.active.is_(True), User.id != rep.id)
    )
    if search.strip():
        query = query.where(User.full_name.icontains(search.strip(), autoescape=True))
    peers = []
    for row in db.session.execute(query):
        candidate = Candidate(row.role or "", row.started_on, row.active, row.buddies)
        suggested = is_suggested(role, start, candidate, settings.max_per_peer)
        full = row.buddies >= settings.max_per_peer
        peers.append(
            Peer(
                row.id, row.full_name, row.role or "", row.started_on, row.buddies, suggested, full
            )
        )
    peers.sort(
        key=lambda p: (not p.suggested, p.buddies if p.suggested else 0, p.name.lower(), p.user_id)
    )
    return peers


@dataclass(frozen=True)
class PeerChoice:
    """The pairing form's picker: the suggestions, and one page of the peers with room."""

    suggested: list[Peer]
    offered: Page[Peer]


def peer_choice(actor: User, rep: User, request: PageRequest) -> PeerChoice:
    """Peers who may buddy the rep, narrowed by the request's name search and paged (suggested
    first), so the form never lists a thousand reps: the same three queries whatever the page."""
    peers = peers_for(actor, rep, request.search)
    offered = paginate_rows([p for p in peers if not p.full], request, {})
    return PeerChoice([p for p in peers if p.suggested], offered)


def find_peer(buddy_id: int | None) -> User:
    """The person a pairing form names; a stale or forged choice is a field error, not a 404."""
    buddy = db.session.get(User, buddy_id) if buddy_id is not None else None
    if buddy is None:
        raise Invalid("Choose a peer from the list.", field="buddy_id")
    return buddy


def pair(actor: User, rep: User, buddy: User, key: str | None = None) -> BuddyPairing:
    """Pair ``rep`` with ``buddy``; an active pairing is ended as replaced, and kept.

    The same form sent again answers with the pairing the first one made; two coaches
    pairing at once take turns on the new hire's row, so one active pairing remains.
    """
    require_pair(actor, rep)
    earlier = once.earlier_result(key, BuddyPairing)
    if earlier is not None:
        return earlier
    settings = buddy_settings()
    if buddy.id == rep.id:
        raise Invalid("A new hire cannot be their own buddy.", field="buddy_id")
    if not buddy.is_active or not buddy.has_role(Role.REP):
        raise Invalid("A buddy is an active rep.", field="buddy_id")
    once.lock(rep, User.active)
    current = active_pairing_of(rep)
    if current is not None and current.buddy_id == buddy.id:
        raise Invalid(f"{buddy.full_name} is already {rep.first_name}'s buddy.", field="buddy_id")
    if _load_of(buddy) >= settings.max_per_peer:
        raise Invalid(
            f"{buddy.full_name} already buddies {settings.max_per_peer} new hires.",
            field="buddy_id",
        )
    if current is not None:
        _end(current, actor, f"Replaced by {buddy.full_name}")
    pairing = BuddyPairing(
        rep=rep, buddy=buddy, paired_by=actor, paired_on=now().date(), paired_at=now()
    )
    db.session.add(pairing)
    db.session.flush()
    once.remember_result(key, pairing.id)
    link = pairing_link(pairing.id)
    notify(buddy, "buddy-paired", f"You are now {rep.full_name}'s buddy.", link)
    notify(rep, "buddy-paired", f"{buddy.full_name} is your buddy for the ramp.", link)
    return pairing


def _load_of(buddy: User) -> int:
    return (
        db.session.scalar(
            select(func.count(BuddyPairing.id)).where(
                BuddyPairing.buddy_id == buddy.id, BuddyPairing.ended_at.is_(None)
            )
        )
        or 0
    )


def end_pairing(
    actor: User, pairing: BuddyPairing, reason: str, key: str | None = None
) -> BuddyPairing:
    """Unpair: the pairing stays in the history with who ended it and why. Ending an ended
    pairing (a repeat, or two people at once) changes nothing."""
    require_pair(actor, pairing.rep)
    if once.repeated(key, pairing, BuddyPairing.ended_at) or pairing.ended_at is not None:
        return pairing
    if not reason.strip():
        raise Invalid("Say why the pairing ends.", field="reason")
    _end(pairing, actor, reason.strip())
    db.session.flush()
    return pairing


def _end(pairing: BuddyPairing, actor: User, reason: str) -> None:
    pairing.ended_at = now()
    pairing.ended_by = actor
    pairing.end_reason = reason[:300]
    resolve_lapses(pairing, pairing.ended_at)


def resolve_lapses(pairing: BuddyPairing, moment: datetime) -> None:
    """The pairing's open lapses no longer wait on the coach: a check-in, or its end."""
    db.session.execute(
        update(BuddyLapse)
        .where(BuddyLapse.pairing_id == pairing.id, BuddyLapse.resolved_at.is_(None))
        .values(resolved_at=moment)
        .execution_options(synchronize_session="fetch")
    )


@dataclass(frozen=True)
class Held:
    """A check-in as the cadence rules see it: the day it was held, and when it was recorded."""

    held_on: date
    recorded_at: datetime


def held_check_ins(pairing_ids: list[int]) -> dict[int, list[Held]]:
    """The check-ins of many pairings, by pairing: one query."""
    found: dict[int, list[Held]] = defaultdict(list)
    query = select(BuddyCheckIn.pairing_id, BuddyCheckIn.held_on, BuddyCheckIn.recorded_at)
    for pairing_id, held_on, recorded_at in db.session.execute(
        query.where(BuddyCheckIn.pairing_id.in_(pairing_ids))
    ):
        found[pairing_id].append(Held(held_on, recorded_at))
    return found


def earlier_lapses(pairing_ids: list[int]) -> dict[int, list[tuple[date, date | None]]]:
    """Each pairing's lapses so far: the first missed date and the day it was resolved."""
    found: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    query = select(BuddyLapse.pairing_id, BuddyLapse.first_missed_on, BuddyLapse.resolved_at)
    for pairing_id, first_missed_on, resolved_at in db.session.execute(
        query.where(BuddyLapse.pairing_id.in_(pairing_ids))
    ):
        found[pairing_id].append((first_missed_on, resolved_at.date() if resolved_at else None))
    return found
