"""Passwords: hashing with Argon2id (argon2-cffi) and refusing guessable ones (zxcvbn).

OWASP ASVS asks for 8 to 128 characters of any kind, and a check against common and weak
passwords rather than composition rules; zxcvbn estimates how many guesses a password takes
(dictionaries of common passwords, names and words, keyboard patterns, repeats, dates).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

_hasher = PasswordHasher()

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128
# zxcvbn's score: 3 is "safely unguessable: moderate protection from offline slow-hash attacks"
# (over 10^8 guesses); a random password needs about 9 characters to get there.
MIN_STRENGTH = 3
PASSWORD_HINT = (
    f"{MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters of any kind; "
    "not a common or easily guessed password."
)


def password_problem(password: str, personal: Iterable[str] = ()) -> str | None:
    """Why ``password`` is refused, or None; ``personal`` words (name, email) count as guessable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Use at least {MIN_PASSWORD_LENGTH} characters."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Use at most {MAX_PASSWORD_LENGTH} characters."
    # The whole email and name, and their parts ("nina", "rossi"), are the first guesses.
    words = [word for text in personal if text for word in (text, *re.split(r"\W+", text)) if word]
    estimate = zxcvbn(password, user_inputs=words, max_length=MAX_PASSWORD_LENGTH)
    if estimate["score"] >= MIN_STRENGTH:
        return None
    warning = estimate["feedback"].get("warning") or ""
    because = f" {warning}" if warning else ""
    return (
        f"This password is too easy to guess.{because} "
        "Try a few unrelated words, or a longer phrase only you would think of."
    )


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's defaults."""
    return _hasher.check_needs_rehash(password_hash)
