"""Comparing pages as people read them."""

from __future__ import annotations

import re

_CSRF_VALUE = re.compile(r'(name="csrf_token")[^>]*')


def without_csrf_tokens(page: str) -> str:
    """The page without its forms' CSRF tokens, which are signed with the second they are
    made in: two views a second apart differ there and nowhere else."""
    return _CSRF_VALUE.sub(r"\1", page)
