"""Agreements for part of the organisation; only a small sample is sealed (about 1-2 s each)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import timedelta

from app.accounts.models import User
from app.agreements import service
from app.agreements.audit import now
from app.agreements.demo import DEMO, _expectations, _improvement, _sign
from app.agreements.models import Agreement

EXPECTATIONS = "onboarding-expectations"
IMPROVEMENT = "performance-improvement"
TERRITORIES = ("SMB, UK and Ireland", "Mid-market, DACH", "SMB, Nordics", "Enterprise, US East")


def sealed_count(reps: int) -> int:
    """Ten sealed agreements at 1,000 reps, at least one."""
    return max(1, min(10, reps // 100))


def play_agreements(hr: User, reps: Sequence[User], sealed: int, rng: random.Random) -> int:
    """An agreement for about a third of the reps, in every state; returns how many were made."""
    made = 0
    for index, rep in enumerate(reps):
        if index >= sealed and rng.random() > 0.33:
            continue
        made += 1
        if index < sealed:  # completed: the last signature seals the PDF
            agreement = service.send(hr, _draft(hr, rep, EXPECTATIONS, rng), DEMO)
            for signer in (rep, hr, rep.coach):
                assert signer is not None
                _sign(signer, agreement)
            continue
        roll = rng.random()
        key = IMPROVEMENT if roll > 0.9 else EXPECTATIONS
        agreement = _draft(hr, rep, key, rng)
        if roll < 0.1:
            continue  # HR's draft
        service.send(hr, agreement, DEMO)
        if roll < 0.6:
            continue  # waiting for the rep
        if roll < 0.8:
            _sign(rep, agreement)  # waiting for HR and the coach
        elif roll < 0.85:
            service.decline(rep, agreement, "I'd like to talk about the targets first.", DEMO)
        else:
            service.void(hr, agreement, "Sent with the wrong dates; a corrected one follows.", DEMO)
    return made


def _draft(hr: User, rep: User, key: str, rng: random.Random) -> Agreement:
    if key == IMPROVEMENT:
        values = _improvement(rep, now().date() + timedelta(days=rng.randint(0, 5)))
    else:
        values = _expectations(rng.choice(TERRITORIES))
    return service.create_draft(hr, rep, key, values, DEMO)
