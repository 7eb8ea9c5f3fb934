"""Where the team relay puts an event on NATS, and what a message carries.

Shared by the relay (publishes) and the desktop's relay subscription
(filters, decodes), so both sides agree by construction (docs/relay.md):

- stream ``IVR_<account>`` holds subjects ``ivr.<account>.>``;
- an event for an extension goes to ``ivr.<account>.ext.<ext>``; one for a
  line with no extension to ``ivr.<account>.did.<did digits>``; anything
  else to ``ivr.<account>.unrouted`` (kept for operators, no desktop reads it);
- a desktop reads through durable pull consumers named ``desk_<ext>_<slot>``
  (and ``desk_<ext>_<slot>_did_<digits>``), one filter subject each, so NATS
  permissions can pin an agent to exactly its own consumers
  (``agentapp.relay.permissions``). Each desktop installation of that agent
  holds one of ``DESKTOP_SLOTS`` slots (``event_source_desktop``), so two
  desktops on one extension each get every event.
"""

from __future__ import annotations

import hashlib
import json
import re
import ssl
from dataclasses import dataclass
from typing import Any

from agentapp.core.events import BadEvent, CallRecordNotice, parse_webhook

MSG_ID_HEADER = "Nats-Msg-Id"
ENVELOPE_VERSION = 1
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def check_account(account: str) -> str:
    """An account name usable inside subjects and stream names, else ValueError."""
    if not _TOKEN_RE.match(account):
        raise ValueError("account must be 1-64 letters, digits, '_' or '-'")
    return account


def stream_name(account: str) -> str:
    return f"IVR_{check_account(account)}"


def stream_subjects(account: str) -> str:
    return f"ivr.{check_account(account)}.>"


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def ext_subject(account: str, ext: str) -> str:
    return f"ivr.{check_account(account)}.ext.{_digits(ext)}"


def did_subject(account: str, did: str) -> str:
    return f"ivr.{check_account(account)}.did.{_digits(did)}"


# Desktops one agent may run at once, each with its own durable consumers. Fixed on
# both sides: the permissions name each slot's consumers exactly (a NATS subject
# wildcard cannot match a name prefix, so "any desk_2101_*" is not expressible).
DESKTOP_SLOTS = 4


@dataclass(frozen=True)
class DeskFilter:
    """One durable consumer of a desktop: its name and its single filter subject."""

    consumer: str
    subject: str


def desk_filters(account: str, ext: str, dids: tuple[str, ...] = (),
                 slot: int = 1) -> list[DeskFilter]:
    """The consumers of desktop ``slot`` for ``ext``: its extension, then each DID line."""
    ext_digits = _digits(ext)
    if not ext_digits:
        raise ValueError("a relay subscription needs the agent's extension")
    if not 1 <= slot <= DESKTOP_SLOTS:
        raise ValueError(f"desktop slot must be 1-{DESKTOP_SLOTS}")
    base = f"desk_{ext_digits}_{slot}"
    filters = [DeskFilter(base, ext_subject(account, ext_digits))]
    for did in dict.fromkeys(d for d in map(_digits, dids) if d):
        filters.append(DeskFilter(f"{base}_did_{did}", did_subject(account, did)))
    return filters


def inbox_prefix(account: str, ext: str) -> str:
    """A per-agent reply inbox, so permissions can keep agents out of each other's replies."""
    return f"_INBOX_{check_account(account)}_{_digits(ext)}"


@dataclass(frozen=True)
class Routed:
    """A validated delivery, ready to publish: subject, dedup id and message body."""

    subject: str
    event_id: str
    data: bytes


def route(account: str, payload: dict[str, Any], received_at: float) -> Routed:
    """Validate ``payload`` (``BadEvent`` if unusable) and say where it goes.

    The id is the event's own (``event_id``, or ``<logid>-<seq>``), ``record-<id>``
    for a post-call record, else a hash of the body: a provider retry carries
    the same body, so it gets the same id and JetStream drops the copy.
    """
    parsed = parse_webhook(payload, received_at=received_at)
    if isinstance(parsed, CallRecordNotice):
        event_id = f"record-{parsed.recordid}"
        ext, did = parsed.ext_no, parsed.did_no
    else:
        event_id = parsed.event_id or _body_hash(payload)
        ext, did = parsed.ext_no, parsed.did_no
    if _digits(ext):
        subject = ext_subject(account, ext)
    elif _digits(did):
        subject = did_subject(account, did)
    else:
        subject = f"ivr.{check_account(account)}.unrouted"
    envelope = {"v": ENVELOPE_VERSION, "id": event_id, "received_at": received_at,
                "payload": payload}
    return Routed(subject, event_id, json.dumps(envelope, separators=(",", ":")).encode())


def _body_hash(payload: dict[str, Any]) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return "sha-" + hashlib.sha256(canonical.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Envelope:
    event_id: str
    received_at: float
    payload: dict[str, Any]


def open_envelope(data: bytes) -> Envelope:
    """A relay message back into its parts; ``BadEvent`` for anything else."""
    try:
        raw = json.loads(data)
    except ValueError:
        raise BadEvent("relay message is not JSON") from None
    if not isinstance(raw, dict) or raw.get("v") != ENVELOPE_VERSION:
        raise BadEvent("not a relay message of a known version")
    payload, at, event_id = raw.get("payload"), raw.get("received_at"), raw.get("id")
    if not isinstance(payload, dict) or not isinstance(at, int | float) \
            or not isinstance(event_id, str):
        raise BadEvent("relay message lacks payload, id or time")
    return Envelope(event_id, float(at), payload)


def nats_tls(ca_file: str) -> dict[str, Any]:
    """``nats.connect`` TLS arguments: trust ``ca_file`` (PEM) besides the system's CAs.

    Blocking (reads the trust store and the file): call it off the event loop.
    nats-py upgrades to TLS whenever the server requires it (its ``tls`` block),
    for ``nats://`` and ``tls://`` URLs alike; without a CA file it trusts the
    system's CAs only.
    """
    if not ca_file:
        return {}
    return {"tls": ssl.create_default_context(cafile=ca_file)}


def nats_auth(creds: str) -> dict[str, Any]:
    """``nats.connect`` keyword arguments for a credential string (never logged).

    ``user:password``, the text of a ``.creds`` file (JWT + NKey seed), or a
    bare token; empty means no authentication.
    """
    creds = creds.strip()
    if not creds:
        return {}
    if "BEGIN NATS USER JWT" in creds:
        from nats.aio.client import RawCredentials

        return {"user_credentials": RawCredentials(creds)}
    if ":" in creds:
        user, password = creds.split(":", 1)
        return {"user": user, "password": password}
    return {"token": creds}
