"""The two-leg click-to-call as a pure state machine.

The platform first rings the agent's phone, then the customer's, then bridges
them. We learn about it from two unreliable sources (webhook events that may
arrive late, twice or not at all, and polled snapshots), so ``apply`` merges
facts instead of trusting order: phases only move forward, timestamps keep the
earliest sighting, duplicate ``event_id``s are ignored, and ``expire`` ends a
call nobody tells us about, so the UI never shows "ringing" forever.
Times are plain floats passed in; nothing here reads a clock.
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import IntEnum, StrEnum
from typing import Any


class Phase(IntEnum):
    """Ordered: a timeline's phase never decreases."""

    STARTING = 0
    RINGING_AGENT = 1
    RINGING_CUSTOMER = 2
    CONNECTED = 3
    ENDED = 4

    @property
    def label(self) -> str:
        return _PHASE_LABELS[self]


_PHASE_LABELS = {
    Phase.STARTING: "Starting the call…",
    Phase.RINGING_AGENT: "Ringing your phone",
    Phase.RINGING_CUSTOMER: "Ringing the customer",
    Phase.CONNECTED: "Connected",
    Phase.ENDED: "Call ended",
}


class EndReason(StrEnum):
    COMPLETED = "completed"
    AGENT_NO_ANSWER = "agent_no_answer"
    AGENT_FAILED = "agent_failed"
    AGENT_BUSY = "agent_busy"  # the agent's line was already on a call
    CUSTOMER_BUSY = "customer_busy"
    CUSTOMER_NO_ANSWER = "customer_no_answer"
    FAILED = "failed"
    CANCELLED = "cancelled"
    REJECTED = "rejected"
    UNREACHABLE = "unreachable"  # the request got no answer: the call may still be placed
    NOT_PLACED = "not_placed"  # no usable answer, and the logs show no such call afterwards
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return _END_LABELS[self]


_END_LABELS = {
    EndReason.COMPLETED: "Call completed",
    EndReason.AGENT_NO_ANSWER: "You did not answer",
    EndReason.AGENT_FAILED: "Your phone could not be reached",
    EndReason.AGENT_BUSY: "Your line was busy on another call",
    EndReason.CUSTOMER_BUSY: "Customer is busy",
    EndReason.CUSTOMER_NO_ANSWER: "Customer did not answer",
    EndReason.FAILED: "Call failed",
    EndReason.CANCELLED: "Call cancelled",
    EndReason.REJECTED: "Call was refused",
    EndReason.UNREACHABLE: "Could not reach IVR Solutions",
    EndReason.NOT_PLACED: "The call was not placed",
    EndReason.UNKNOWN: "Lost track of the call",
}


class EventKind(StrEnum):
    RING = "ring"
    ANSWER = "answer"
    HANGUP = "hangup"
    DTMF = "dtmf"
    SNAPSHOT = "snapshot"  # a poll saw the call alive; carries only the running duration


class Leg(StrEnum):
    AGENT = "agent"
    CUSTOMER = "customer"


@dataclass(frozen=True)
class CallEvent:
    """One fact about a call, from a webhook (``source="webhook"``), a poll or ourselves."""

    logid: str
    kind: EventKind
    leg: Leg | None
    at: float
    cause: str = ""
    duration_s: int | None = None
    event_id: str = ""
    source: str = "local"
    digits: str = ""
    call_type: str = ""
    client_no: str = ""
    ext_no: str = ""
    did_no: str = ""


@dataclass(frozen=True, order=True)
class TimelineStep:
    at: float
    text: str


@dataclass(frozen=True)
class ExpiryLimits:
    """How long each phase may last without news before the call counts as lost."""

    starting_s: float = 30.0
    ringing_agent_s: float = 75.0
    ringing_customer_s: float = 120.0
    connected_s: float = 4 * 3600.0

    def for_phase(self, phase: Phase) -> float | None:
        return {
            Phase.STARTING: self.starting_s,
            Phase.RINGING_AGENT: self.ringing_agent_s,
            Phase.RINGING_CUSTOMER: self.ringing_customer_s,
            Phase.CONNECTED: self.connected_s,
        }.get(phase)


@dataclass(frozen=True)
class CallTimeline:
    """Everything the UI shows about one call.

    ``call_id`` is stable for the call's whole life (a local id before the API
    returns a ``logid``, which may stay empty if the API refuses the call).
    """

    call_id: str
    logid: str
    ext_no: str
    customer: str
    phase: Phase
    started_at: float
    phase_since: float
    end_reason: EndReason | None = None
    end_detail: str = ""
    agent_ring_at: float | None = None
    agent_answered_at: float | None = None
    customer_ring_at: float | None = None
    connected_at: float | None = None
    ended_at: float | None = None
    ended_on: Leg | None = None  # the leg the hangup came from, when it said
    duration_s: int | None = None
    # The request got no readable answer and we are looking the call up in the logs:
    # it may be ringing already. Never expired by ``expire`` (the lookup decides).
    checking: bool = False
    steps: tuple[TimelineStep, ...] = ()
    # The app cannot reach IVR Solutions right now; the call itself goes on.
    contact_lost: bool = False
    seen_event_ids: frozenset[str] = field(default=frozenset(), repr=False)

    @property
    def is_live(self) -> bool:
        return self.phase is not Phase.ENDED

    @property
    def status_text(self) -> str:
        if self.phase is Phase.ENDED and self.end_reason is not None:
            return self.end_detail or self.end_reason.label
        if self.checking:
            return CHECKING_TEXT
        return self.phase.label


CHECKING_TEXT = "Checking Recent calls for this call…"


def new_timeline(
    call_id: str, ext_no: str, customer: str, at: float, logid: str = ""
) -> CallTimeline:
    return CallTimeline(
        call_id=call_id,
        logid=logid,
        ext_no=ext_no,
        customer=customer,
        phase=Phase.STARTING,
        started_at=at,
        phase_since=at,
        steps=(TimelineStep(at, Phase.STARTING.label),),
    )


def apply(timeline: CallTimeline, event: CallEvent) -> CallTimeline:
    """``timeline`` after ``event``; the same object when the event adds nothing."""
    if event.event_id and event.event_id in timeline.seen_event_ids:
        return timeline
    updated = _merge(timeline, event)
    if event.event_id:
        updated = replace(updated, seen_event_ids=updated.seen_event_ids | {event.event_id})
    return updated


def expire(timeline: CallTimeline, now: float, limits: ExpiryLimits) -> CallTimeline:
    """End a call stuck in one phase longer than its limit, with reason UNKNOWN.

    A call being looked up (``checking``) is left alone: its lookup ends it.
    """
    if timeline.checking:
        return timeline
    limit = limits.for_phase(timeline.phase)
    if limit is None or now - timeline.phase_since < limit:
        return timeline
    return _end(timeline, EndReason.UNKNOWN, now, None, "")


def end_locally(
    timeline: CallTimeline, reason: EndReason, at: float, detail: str = ""
) -> CallTimeline:
    """End a call for a reason only we know (the API refused it, the agent cancelled)."""
    if timeline.phase is Phase.ENDED:
        return timeline
    return _end(timeline, reason, at, None, detail)


def mark_uncertain(timeline: CallTimeline, at: float) -> CallTimeline:
    """The request got no readable answer: the call may be on its way, look it up."""
    if timeline.phase is not Phase.STARTING or timeline.logid:
        return timeline
    return _with_step(replace(timeline, checking=True), at, CHECKING_TEXT)


def end_reason_for(cause: str, leg: Leg | None, agent_answered: bool) -> EndReason:
    """Map a hangup ``cause`` (and the leg it happened on) to why the call ended."""
    cause = cause.strip().lower()
    if cause in ("completed", "answered", "normal"):
        return EndReason.COMPLETED
    if cause == "busy":
        return EndReason.CUSTOMER_BUSY
    if cause == "agent_no_answer":
        return EndReason.AGENT_NO_ANSWER
    if cause == "agent_failed":
        return EndReason.AGENT_FAILED
    if cause == "agent_busy":
        return EndReason.AGENT_BUSY
    if cause == "cancelled":
        return EndReason.CANCELLED
    on_agent = leg is Leg.AGENT or (leg is None and not agent_answered)
    if cause in ("no_answer", "noanswer", "missed"):
        return EndReason.AGENT_NO_ANSWER if on_agent else EndReason.CUSTOMER_NO_ANSWER
    if cause == "failed" and leg is Leg.AGENT:
        return EndReason.AGENT_FAILED
    return EndReason.FAILED


def _merge(tl: CallTimeline, ev: CallEvent) -> CallTimeline:
    at = ev.at
    if ev.kind is EventKind.DTMF:
        return _with_step(tl, at, f"Keypad: {ev.digits}" if ev.digits else "Keypad input")
    if ev.kind is EventKind.SNAPSHOT:
        if tl.phase is Phase.CONNECTED and ev.duration_s is not None:
            return replace(tl, duration_s=max(ev.duration_s, tl.duration_s or 0))
        return tl
    if ev.kind is EventKind.HANGUP:
        return _hangup(tl, ev)
    # RING / ANSWER: record the facts (earliest wins), then move the phase forward.
    agent_ring_at = tl.agent_ring_at
    agent_answered_at = tl.agent_answered_at
    customer_ring_at = tl.customer_ring_at
    connected_at = tl.connected_at
    target = tl.phase
    if ev.leg is Leg.CUSTOMER or (ev.leg is None and ev.kind is EventKind.ANSWER):
        # Anything on the customer leg means the agent leg was already answered.
        agent_answered_at = _earliest(agent_answered_at, at)
        if ev.kind is EventKind.ANSWER:
            connected_at = _earliest(connected_at, at)
            target = Phase.CONNECTED
        else:
            customer_ring_at = _earliest(customer_ring_at, at)
            target = Phase.RINGING_CUSTOMER
    elif ev.kind is EventKind.ANSWER:
        agent_answered_at = _earliest(agent_answered_at, at)
        target = Phase.RINGING_CUSTOMER
    else:
        agent_ring_at = _earliest(agent_ring_at, at)
        target = Phase.RINGING_AGENT
    tl = replace(tl, agent_ring_at=agent_ring_at, agent_answered_at=agent_answered_at,
                 customer_ring_at=customer_ring_at, connected_at=connected_at)
    return _advance(tl, target, at)


def _hangup(tl: CallTimeline, ev: CallEvent) -> CallTimeline:
    duration = ev.duration_s if ev.duration_s is not None else tl.duration_s
    if tl.phase is Phase.ENDED:
        if tl.end_reason is EndReason.UNKNOWN:
            # We gave up waiting; the real ending arrived late and says why.
            reason = end_reason_for(ev.cause, ev.leg, tl.agent_answered_at is not None)
            return replace(tl, end_reason=reason, duration_s=duration, end_detail="",
                           ended_on=ev.leg)
        if duration is not None and tl.duration_s is None:
            return replace(tl, duration_s=duration)
        return tl
    reason = end_reason_for(ev.cause, ev.leg, tl.agent_answered_at is not None)
    return _end(tl, reason, ev.at, duration, "", ev.leg)


def _end(
    tl: CallTimeline, reason: EndReason, at: float, duration: int | None, detail: str,
    leg: Leg | None = None,
) -> CallTimeline:
    ended = replace(
        tl,
        checking=False,
        phase=Phase.ENDED,
        ended_on=leg,
        phase_since=at,
        end_reason=reason,
        end_detail=detail,
        ended_at=at,
        duration_s=duration if duration is not None else tl.duration_s,
    )
    return _with_step(ended, at, detail or reason.label)


def _advance(tl: CallTimeline, target: Phase, at: float) -> CallTimeline:
    if tl.phase is Phase.ENDED or target <= tl.phase:
        return tl
    moved = replace(tl, phase=target, phase_since=at, checking=False)
    return _with_step(moved, at, target.label)


def _with_step(tl: CallTimeline, at: float, text: str) -> CallTimeline:
    steps = list(tl.steps)
    insort(steps, TimelineStep(at, text))
    return replace(tl, steps=tuple(steps))


def _earliest(current: float | None, at: float) -> float:
    return at if current is None else min(current, at)


_CALL_STATUS_CAUSES = {
    "answered": "completed",
    "completed": "completed",
    "busy": "busy",
    "no_answer": "no_answer",
    "failed": "failed",
    "agent_no_answer": "agent_no_answer",
    "agent_failed": "agent_failed",
    "agent_busy": "agent_busy",
    "cancelled": "cancelled",
}


def events_from_live_state(state: Mapping[str, Any] | object, at: float) -> list[CallEvent]:
    """Turn one polled call state (a ``LiveCallState`` or its wire mapping) into events.

    Event ids are derived from the fact (``poll:<logid>:agent-answer``) so
    polling the same state again adds nothing; webhook events for the same
    facts merge through the state machine's monotonic rules.
    """
    logid = _text(_field(state, "logid"))
    overall = _text(_field(state, "state")).lower()
    agent = _text(_field(state, "agent_status")).lower()
    customer = _text(_field(state, "customer_status")).lower()
    call_status = _text(_field(state, "call_status")).lower()
    duration = _int_or_none(_field(state, "call_duration"))

    def event(kind: EventKind, leg: Leg | None, name: str, **extra: Any) -> CallEvent:
        event_id = f"poll:{logid}:{name}"
        return CallEvent(logid, kind, leg, at, event_id=event_id, source="poll", **extra)

    events: list[CallEvent] = []
    if overall in ("ringing_agent", "ringing_customer", "connected", "ended") or agent:
        events.append(event(EventKind.RING, Leg.AGENT, "agent-ring"))
    if agent == "answered" or overall in ("ringing_customer", "connected"):
        events.append(event(EventKind.ANSWER, Leg.AGENT, "agent-answer"))
    if customer in ("ringing", "answered") or overall in ("ringing_customer", "connected"):
        events.append(event(EventKind.RING, Leg.CUSTOMER, "customer-ring"))
    if customer == "answered" or overall == "connected":
        events.append(event(EventKind.ANSWER, Leg.CUSTOMER, "customer-answer"))
    if overall == "connected":
        snapshot = CallEvent(
            logid, EventKind.SNAPSHOT, None, at, duration_s=duration, source="poll"
        )
        events.append(snapshot)
    if overall == "ended":
        cause = _CALL_STATUS_CAUSES.get(call_status, call_status or "failed")
        leg = _failing_leg(cause, agent, customer)
        events.append(event(EventKind.HANGUP, leg, "hangup", cause=cause, duration_s=duration))
    return events


def _failing_leg(cause: str, agent: str, customer: str) -> Leg | None:
    if cause.startswith("agent_") or agent in ("no_answer", "failed"):
        return Leg.AGENT
    if cause in ("busy", "no_answer", "failed") or customer in ("busy", "no_answer", "failed"):
        return Leg.CUSTOMER
    return Leg.CUSTOMER if customer == "answered" else None


def _field(state: Mapping[str, Any] | object, name: str) -> Any:
    if isinstance(state, Mapping):
        return state.get(name)
    return getattr(state, name, None)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _int_or_none(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None
