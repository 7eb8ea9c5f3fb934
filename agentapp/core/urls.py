"""Is an address on this machine? One answer for every rule that depends on it.

Plain http, sending a token, or letting a server take over the account's one
webhook URL are only acceptable when the server is on loopback (a local
sandbox): anything else could be another machine pretending.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def is_loopback_host(host: str | None) -> bool:
    """True for 127.0.0.0/8, ::1 and the name ``localhost``; False for anything else."""
    if not host:
        return False
    name = host.strip("[]").rstrip(".").lower()
    if name in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def is_loopback_url(url: str) -> bool:
    """True when ``url``'s host is loopback (see :func:`is_loopback_host`)."""
    try:
        return is_loopback_host(urlsplit(url).hostname)
    except ValueError:
        return False
