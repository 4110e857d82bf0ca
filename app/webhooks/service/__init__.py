"""Outbound webhooks, as services.

- ``recording``: :func:`record_event`, called by the features in the transaction of the change
  (the outbox); it writes one delivery per subscribed endpoint and queues it after the commit.
- ``endpoints``: admins register, edit, and rotate the signing secret of endpoints.
- ``targets``: which URLs may receive webhooks (http/https, no private networks unless allowed).
- ``signing``: the Standard Webhooks headers, through the ``standardwebhooks`` library.
- ``delivery``: the send job (retries with backoff, every attempt logged), resend, the log.
- ``pruning``: old finished deliveries and their events are deleted (``app.prune``).

Only admins manage endpoints and read the delivery log.
"""

from app.webhooks.service.delivery import (
    DELIVERY_SORTS,
    SEND_JOB,
    attempts_of,
    deliveries_page,
    get_delivery,
    resend,
    send_delivery,
    sweep_undelivered,
)
from app.webhooks.service.endpoints import (
    EndpointDetails,
    create_endpoint,
    endpoints,
    get_endpoint,
    rotate_secret,
    update_endpoint,
)
from app.webhooks.service.pruning import prune_deliveries
from app.webhooks.service.recording import record_event
from app.webhooks.service.signing import new_secret, signed_headers

__all__ = [
    "DELIVERY_SORTS",
    "SEND_JOB",
    "EndpointDetails",
    "attempts_of",
    "create_endpoint",
    "deliveries_page",
    "endpoints",
    "get_delivery",
    "get_endpoint",
    "new_secret",
    "prune_deliveries",
    "record_event",
    "resend",
    "rotate_secret",
    "send_delivery",
    "signed_headers",
    "sweep_undelivered",
    "update_endpoint",
]
