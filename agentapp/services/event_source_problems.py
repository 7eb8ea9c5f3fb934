"""Why a NATS connection (the desktop's relay subscription, the relay itself) is not up, in words.

What the agent or the operator can act on: an untrusted certificate means a
missing CA file, refused credentials mean the keyring entry, an unreachable
server means the URL or the network. Never includes credentials.
"""

from __future__ import annotations

import ssl
from typing import Any

from agentapp.services.event_source_desktop import NoFreeSlot

CA_HINT = "set the relay's CA file (--relay-ca, or --nats-ca on the relay)"


def _chain(exc: BaseException) -> list[BaseException]:
    """``exc``, the members of a group, and what each was raised from."""
    seen: list[BaseException] = []
    todo = [exc]
    while todo:
        item = todo.pop(0)
        if item in seen:
            continue
        seen.append(item)
        if isinstance(item, BaseExceptionGroup):
            todo += list(item.exceptions)
        todo += [e for e in (item.__cause__, item.__context__) if e is not None]
    return seen


def connection_problem(exc: BaseException) -> str:
    """A sentence for ``exc`` (the first cause we recognise), else its type name."""
    chain = _chain(exc)
    for item in chain:
        if isinstance(item, ssl.SSLCertVerificationError):
            why = item.verify_message or "unknown issuer"
            return f"the NATS server's TLS certificate is not trusted ({why}): {CA_HINT}"
        if isinstance(item, ssl.SSLError):
            return f"TLS with the NATS server failed ({item.reason or item})"
        if isinstance(item, FileNotFoundError | IsADirectoryError | PermissionError):
            return f"the CA file cannot be read ({item.strerror or type(item).__name__})"
        if isinstance(item, NoFreeSlot):
            return str(item)
        text = str(item).lower()
        if "authorization violation" in text or "authentication" in text:
            return "the NATS server refused the credentials"
        if isinstance(item, ConnectionRefusedError):
            return "the NATS server refuses connections (is it running, is the port right?)"
        if isinstance(item, ConnectionResetError):
            return "the NATS server closed the connection"
    for item in chain:
        if isinstance(item, ConnectionError) and str(item):
            return str(item)
    names = [type(e).__name__ for e in chain if not isinstance(e, BaseExceptionGroup)]
    return ", ".join(dict.fromkeys(names)) or type(exc).__name__


def refuse_plaintext(nc: Any) -> None:
    """``ConnectionError`` when a ``tls://`` URL got a plain connection.

    nats-py upgrades to TLS only when the server asks for it, so a ``tls://``
    URL to a server without TLS connects in clear (seen with nats-py 2.16). We
    stop using such a connection; what the client already sent (a password)
    may have crossed in clear, and the words say so. nats-py has no public
    accessor for the server's INFO, hence the private attribute.
    """
    url = nc.connected_url
    info = getattr(nc, "_server_info", None) or {}
    if url is not None and url.scheme == "tls" and not info.get("tls_required"):
        raise ConnectionError(
            f"the NATS server at {url.hostname}:{url.port} does not use TLS although its URL "
            "says tls://: not using it (have TLS enabled on the server, and change the "
            "password: it may have been sent in clear)")
