"""Webhook bodies to domain objects: a live ``CallEvent`` or a post-call record.

The provider's webhook format is mostly unknown (see docs/wire-contract.md),
so parsing is tolerant of what real senders do (ids as ints or strings,
``+``-prefixed numbers, form-encoded lists) and strict about what we need:
anything we cannot act on raises ``BadEvent`` so the receiver answers 400.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from agentapp.core.call import CallEvent, EventKind, Leg

MAX_TEXT = 2048  # characters in one field (a recording URL is the longest real one)
MAX_ID_DIGITS = 24  # logid / recordid
MAX_DURATION_S = 10**7  # ~116 days: anything longer is not a call


class BadEvent(ValueError):
    """A webhook body we cannot use; ``reason`` says why (for the log and the 400)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class CallRecordNotice:
    """The post-call record: one per finished call, no ``event`` field.

    Its fields are described in docs/api-reference.md (Webhooks).
    """

    recordid: str
    call_type: str
    did_no: str
    client_no: str
    agent_no: str
    attended_by: str
    ext_no: str
    agent_attended: bool
    customer_attended: bool
    call_duration: int
    call_time: str
    recording_url: str
    call_status: str


def parse_webhook(body: Mapping[str, Any], received_at: float) -> CallEvent | CallRecordNotice:
    """Classify and parse one delivery.

    Live events are stamped with ``received_at`` (our clock), not the body's
    ``timestamp``: that is second-resolution IST from a clock we do not
    control, while the timeline measures phases with the app's clock.
    """
    if not isinstance(body, Mapping):
        raise BadEvent("body is not an object")
    if _value(body, "event"):
        return _live_event(body, received_at)
    if _value(body, "recordid") or _value(body, "logid"):
        return _record(body)
    raise BadEvent("neither an 'event' nor a 'recordid' field")


def _live_event(body: Mapping[str, Any], received_at: float) -> CallEvent:
    name = _value(body, "event").lower()
    try:
        kind = EventKind(name)
    except ValueError:
        raise BadEvent(f"unknown event {name[:40]!r}") from None
    if kind is EventKind.SNAPSHOT:
        raise BadEvent("unknown event 'snapshot'")
    logid = _id(body, "logid") or _id(body, "recordid")
    if not logid:
        raise BadEvent("event without a logid")
    leg_text = _value(body, "leg").lower()
    leg = Leg(leg_text) if leg_text in ("agent", "customer") else None
    event_id = _value(body, "event_id")
    seq = _value(body, "seq")
    if not event_id and seq:
        event_id = f"{logid}-{seq}"
    return CallEvent(
        logid=logid,
        kind=kind,
        leg=leg,
        at=received_at,
        cause=_value(body, "cause").lower(),
        duration_s=_int(body, "call_duration"),
        event_id=event_id,
        source="webhook",
        digits=_value(body, "digits"),
        call_type=_value(body, "call_type").lower(),
        client_no=_value(body, "client_no"),
        ext_no=_value(body, "ext_no"),
        did_no=_value(body, "did_no"),
    )


def _record(body: Mapping[str, Any]) -> CallRecordNotice:
    recordid = _id(body, "recordid") or _id(body, "logid")
    if not recordid:
        raise BadEvent("record without a numeric recordid")
    return CallRecordNotice(
        recordid=recordid,
        call_type=_value(body, "call_type").lower(),
        did_no=_value(body, "did_no"),
        client_no=_value(body, "client_no"),
        agent_no=_value(body, "agent_no"),
        attended_by=_value(body, "attended_by"),
        ext_no=_value(body, "ext_no"),
        agent_attended=_flag(body, "agent_attended"),
        customer_attended=_flag(body, "customer_attended"),
        call_duration=_int(body, "call_duration") or 0,
        call_time=_value(body, "call_time"),
        recording_url=_value(body, "recording_url"),
        call_status=_value(body, "call_status").lower(),
    )


def _value(body: Mapping[str, Any], key: str) -> str:
    """A field as stripped, bounded text; lists (form style) give their first item.

    Only text and numbers count: anything else (objects, booleans, nested lists)
    reads as absent. Over ``MAX_TEXT`` characters is a ``BadEvent``, not a 500.
    """
    raw = body.get(key)
    if isinstance(raw, list | tuple):
        raw = raw[0] if raw else None
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        return ""
    if isinstance(raw, int) and abs(raw) >= 10**MAX_ID_DIGITS:
        raise BadEvent(f"{key} is too long")
    if isinstance(raw, float):
        if not math.isfinite(raw) or abs(raw) >= 10**MAX_ID_DIGITS:
            raise BadEvent(f"{key} is out of range")
        if raw.is_integer():
            raw = int(raw)
    text = str(raw).strip()
    if len(text) > MAX_TEXT:
        raise BadEvent(f"{key} is too long")
    return text


def _id(body: Mapping[str, Any], key: str) -> str:
    text = _value(body, key).lstrip("+")
    if not text:
        return ""
    if not (text.isascii() and text.isdigit()):
        raise BadEvent(f"{key} is not a number")
    if len(text) > MAX_ID_DIGITS:
        raise BadEvent(f"{key} is too long")
    return str(int(text))


def _int(body: Mapping[str, Any], key: str) -> int | None:
    text = _value(body, key)
    if not text:
        return None
    if len(text) > MAX_ID_DIGITS:
        raise BadEvent(f"{key} is too long")
    try:
        value = float(text)
    except ValueError:
        raise BadEvent(f"{key} is not a number") from None
    if not math.isfinite(value) or value > MAX_DURATION_S:
        raise BadEvent(f"{key} is out of range")
    return max(0, int(value))


def _flag(body: Mapping[str, Any], key: str) -> bool:
    return _value(body, key).lower() in ("1", "true", "yes", "y")
