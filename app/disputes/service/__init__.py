"""Disputes: the rep acknowledges or disputes an item; the coach, HR or an admin resolves it.

Who may do what (enforced here, whatever the pages show):

* only the rep acknowledges or disputes what was recorded about them, with a reason, and one
  dispute per item is open at a time;
* the rep's coach, HR or an admin resolves it (upheld, changed with the correction made, or
  rejected), saying why; the rep is told;
* a rep sees their own disputes, a coach their reps', HR and admins everyone's.

Modules: ``items`` (the three kinds of item), ``raising`` (the rep's side), ``resolving``
(the decision), ``listing`` (the lists and their age against the turnaround target).
"""

from app.disputes.service.items import Item, find_item, item_link, require_own_item
from app.disputes.service.listing import SHOWN, Age, age_of, disputes_page, turnaround_days
from app.disputes.service.raising import (
    acknowledge,
    dispute_link,
    is_acknowledged,
    open_dispute,
    open_dispute_of,
)
from app.disputes.service.resolving import (
    OUTCOMES,
    can_resolve,
    correction_choices,
    get_dispute,
    require_resolve,
    resolve_dispute,
)
from app.disputes.service.status import DisputeNote, dispute_on

__all__ = [
    "OUTCOMES",
    "SHOWN",
    "Age",
    "DisputeNote",
    "Item",
    "acknowledge",
    "age_of",
    "can_resolve",
    "correction_choices",
    "dispute_link",
    "dispute_on",
    "disputes_page",
    "find_item",
    "get_dispute",
    "is_acknowledged",
    "item_link",
    "open_dispute",
    "open_dispute_of",
    "require_own_item",
    "require_resolve",
    "resolve_dispute",
    "turnaround_days",
]
