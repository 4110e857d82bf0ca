"""Security log services.

``recording``: :func:`record` adds an event to the request's work (saved with it), and
:func:`record_refusal` keeps an event about a refused request although its writes are rolled
back. Anything may record: accounts (sign-ins, role changes, deactivations, passwords), the
features (exports), the web layer (403s, throttled sign-ins); a later password-reset flow
calls :func:`record` with ``EventKind.PASSWORD_RESET``. :func:`prune` applies the log's
retention period (two years unless configured otherwise; ``app/prune.py``).

``reading``: admins only (the views check the Admin role): a page of the log, newest first,
filtered by kind and person, and the same selection as CSV.
"""

from app.security.service.reading import SORTS as EVENT_SORTS
from app.security.service.reading import EventFilter, events_csv, events_page
from app.security.service.recording import (
    Person,
    clean,
    prune,
    record,
    record_refusal,
    use_address_source,
)

__all__ = [
    "EVENT_SORTS",
    "EventFilter",
    "Person",
    "clean",
    "events_csv",
    "events_page",
    "prune",
    "record",
    "record_refusal",
    "use_address_source",
]
