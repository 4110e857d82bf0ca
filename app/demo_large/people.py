"""The people of the large organisation: names, roles, teams and who coaches whom."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from app.accounts.models import Role, Team, User, UserRole
from app.accounts.service import local_today
from app.extensions import db

DOMAIN = "large.salesramp"
REPS_PER_TEAM = 20

FIRST_NAMES = [
    "Ava",
    "Ben",
    "Chloe",
    "Diego",
    "Emma",
    "Farid",
    "Grace",
    "Hiro",
    "Isla",
    "Jonas",
    "Kemi",
    "Liam",
    "Mara",
    "Noah",
    "Olga",
    "Pablo",
    "Quinn",
    "Rosa",
    "Sven",
    "Tara",
    "Umar",
    "Vera",
    "Wen",
    "Xavi",
    "Yara",
    "Zoe",
    "Aiden",
    "Bea",
    "Carlos",
    "Dina",
    "Eli",
    "Fatima",
    "Gus",
    "Hana",
    "Ivan",
    "Jade",
    "Kofi",
    "Lena",
    "Mateo",
    "Nia",
    "Omar",
    "Pia",
    "Raj",
    "Sara",
    "Tom",
    "Uma",
    "Viktor",
    "Willa",
    "Yusuf",
    "Zara",
]
LAST_NAMES = [
    "Chen",
    "Okafor",
    "Martin",
    "Alvarez",
    "Schulz",
    "Haddad",
    "Kim",
    "Tanaka",
    "Novak",
    "Berg",
    "Adeyemi",
    "Murphy",
    "Rossi",
    "Silva",
    "Kowalski",
    "Dubois",
    "Jensen",
    "Patel",
    "Rivera",
    "Nguyen",
    "Santos",
    "Fischer",
    "Costa",
    "Ivanova",
    "Larsen",
    "Moreau",
    "Nakamura",
    "Oliveira",
    "Petrov",
    "Quint",
    "Reyes",
    "Sato",
    "Toure",
    "Varga",
    "Weber",
    "Yilmaz",
    "Zhang",
    "Brennan",
    "Duarte",
    "Eriksen",
]
TIMEZONES = (
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "Asia/Dubai",
    "Asia/Tokyo",
    "Europe/Stockholm",
)
PLANS = (
    ("sdr-ramp", "Sales Development Rep"),
    ("ae-ramp", "Account Executive"),
)


def name_of(number: int) -> str:
    first = FIRST_NAMES[number % len(FIRST_NAMES)]
    last = LAST_NAMES[(number // len(FIRST_NAMES) + number * 7) % len(LAST_NAMES)]
    return f"{first} {last}"


def team_count(reps: int) -> int:
    """About twenty reps a team: 50 teams for 1,000 reps."""
    return max(1, round(reps / REPS_PER_TEAM))


def staff_counts(reps: int) -> tuple[int, int]:
    """How many HR people and admins: a handful at 1,000 reps, at least one of each."""
    return max(1, reps // 250), max(1, reps // 500)


class People:
    """Creates people with one password hash (hashing is slow on purpose)."""

    def __init__(self, password_hash: str) -> None:
        self.password_hash = password_hash

    def person(self, local: str, name: str, title: str, role: Role, **extra: object) -> User:
        user = User(
            email=f"{local}@{DOMAIN}",
            full_name=name,
            job_title=title,
            password_hash=self.password_hash,
            active=True,
            role_rows=[UserRole(role=role)],
            **extra,
        )
        db.session.add(user)
        return user

    def staff(self, reps: int) -> tuple[list[User], list[User]]:
        hr_count, admin_count = staff_counts(reps)
        hr = [
            self.person(f"hr{n}", name_of(5000 + n), "People Partner", Role.HR)
            for n in range(1, hr_count + 1)
        ]
        admins = [
            self.person(f"admin{n}", name_of(6000 + n), "Revenue Operations", Role.ADMIN)
            for n in range(1, admin_count + 1)
        ]
        db.session.flush()
        return hr, admins

    def team(self, number: int) -> tuple[Team, User]:
        team = Team(name=f"Team {number:02d}")
        coach = self.person(
            f"coach{number}", name_of(3000 + number), f"Sales Manager, Team {number:02d}",
            Role.COACH, team=team,
        )  # fmt: skip
        db.session.flush()
        return team, coach

    def rep(
        self, number: int, team: Team, coach: User, rng: random.Random, now: datetime
    ) -> tuple[User, str, date]:
        """A rep who started on a random day of the last year; their plan and today."""
        plan, title = PLANS[number % len(PLANS)]
        rep = self.person(
            f"rep{number}", name_of(number), title, Role.REP,
            team=team, coach=coach, timezone=rng.choice(TIMEZONES),
        )  # fmt: skip
        db.session.flush()
        today = local_today(rep, now)
        rep.start_date = today - timedelta(days=rng.randint(1, 365) - 1)
        return rep, plan, today
