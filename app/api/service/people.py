"""The people a token's owner may see, a page at a time, in two queries however many."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.access import viewable_people
from app.accounts.models import User
from app.pagination import Page, PageRequest, paginate_query


def people_page(actor: User, request: PageRequest) -> Page[User]:
    """Themselves, the reps they coach, or everyone for HR and admins; by name, then id."""
    query = (
        select(User)
        .where(viewable_people(actor))
        .options(selectinload(User.team), selectinload(User.coach))
        .order_by(User.full_name, User.id)
    )
    page: Page[User] = paginate_query(query, request)
    return page
