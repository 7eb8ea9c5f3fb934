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


PLAIN_HTTP_REFUSED = (
    "Use https:// for a remote server: the API token must not travel unencrypted "
    "(plain http:// is accepted only for a server on this computer)."
)


def insecure_url_reason(url: str) -> str | None:
    """Why a token must not be sent to ``url``; None when it may.

    One rule for every way an address comes in (sign-in, ``--api-url``, the
    settings file): https, or plain http to loopback for a local sandbox.
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return f"'{url.strip()}' is not a web address (https://…)."
    if parts.scheme == "https" and parts.hostname:
        return None
    if parts.scheme == "http" and is_loopback_host(parts.hostname):
        return None
    if parts.scheme == "http":
        return PLAIN_HTTP_REFUSED
    return f"'{url.strip()}' is not a web address (https://…)."
