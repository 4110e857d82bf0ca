"""Which URLs may receive webhooks, so an admin's URL cannot reach inside our own network.

A webhook is a request the server makes to an address someone typed: pointed at
``http://169.254.169.254/`` or ``http://localhost:6379`` it would probe the cloud metadata
service or an internal database (server-side request forgery). Only ``http`` and ``https``
URLs are accepted, and every address the host name resolves to must be public (not loopback,
private, link-local, multicast or reserved). ``SALESRAMP_WEBHOOKS_ALLOW_PRIVATE=1`` lifts the
address rule for development and tests, which receive on 127.0.0.1.

The check runs when the URL is saved and again before every attempt (a name may resolve
elsewhere later). Between that check and the connection a hostile DNS server could still
answer differently; deployments that must close that gap send webhooks through an egress
proxy that enforces the same rule.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from app.errors import Invalid

SCHEMES = ("http", "https")


def check_target(url: str, allow_private: bool) -> None:
    """Raise :class:`Invalid` (on the ``url`` field) unless ``url`` may receive webhooks."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise Invalid(f"This is not a valid URL ({error}).", field="url") from error
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise Invalid("Give an http:// or https:// URL with a host name.", field="url")
    if parts.username or parts.password:
        raise Invalid("Leave credentials out of the URL; requests are signed.", field="url")
    if allow_private:
        return
    try:
        found = socket.getaddrinfo(parts.hostname, port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as error:
        raise Invalid(f"The host {parts.hostname} cannot be found.", field="url") from error
    for *_, address in found:
        ip = ipaddress.ip_address(address[0])
        if not ip.is_global or ip.is_multicast:
            raise Invalid(
                f"{parts.hostname} is on a private or reserved network ({ip}); webhooks go "
                "only to public addresses.",
                field="url",
            )
