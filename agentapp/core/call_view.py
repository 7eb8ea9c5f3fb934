"""What the call card says about one call: pure text derived from a ``CallTimeline``.

The card used to tick every step once a call ended, so a busy customer read
"✓ Ringing customer ✓ Connected". Here each step gets a state from the facts
the timeline holds: a step is *done* only when it was reached and passed,
the step where the call stopped is *failed* (with the reason), the steps after
it are *not reached*, and when we cannot know (no answer from the API, lost
track of the call) they say *not known*. The steps of a two-leg call are a
chain (the customer is dialled only once the agent answers), so reaching a
step proves every step before it.

Every state is in words (``text``, also the accessible name); the glyph is
decoration. ``now`` is passed in: nothing here reads a clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from agentapp.core.call import CHECKING_TEXT, CallTimeline, EndReason, Leg, Phase


class StepState(StrEnum):
    NOT_REACHED = "not reached"
    ACTIVE = "active"
    DONE = "done"
    FAILED = "failed"
    UNKNOWN = "not known"


class StepKey(StrEnum):
    PLACING = "placing"
    AGENT = "agent"
    CUSTOMER = "customer"
    CONNECTED = "connected"


STEP_ORDER = (StepKey.PLACING, StepKey.AGENT, StepKey.CUSTOMER, StepKey.CONNECTED)

GLYPHS = {
    StepState.NOT_REACHED: "○",
    StepState.ACTIVE: "●",
    StepState.DONE: "✓",
    StepState.FAILED: "✗",
    StepState.UNKNOWN: "?",
}

# Why a step failed, as the step says it ("Ringing customer: failed, busy").
_FAILED_DETAIL = {
    EndReason.AGENT_NO_ANSWER: "failed, not answered",
    EndReason.AGENT_FAILED: "failed, your phone could not be reached",
    EndReason.AGENT_BUSY: "failed, your line was busy on another call",
    EndReason.CUSTOMER_BUSY: "failed, busy",
    EndReason.CUSTOMER_NO_ANSWER: "failed, no answer",
    EndReason.FAILED: "failed",
    EndReason.CANCELLED: "failed, cancelled",
    EndReason.REJECTED: "failed, refused",
    EndReason.NOT_PLACED: "failed, not placed",
}
_AGENT_REASONS = frozenset({EndReason.AGENT_NO_ANSWER, EndReason.AGENT_FAILED,
                            EndReason.AGENT_BUSY})
_CUSTOMER_REASONS = frozenset({EndReason.CUSTOMER_BUSY, EndReason.CUSTOMER_NO_ANSWER})
_UNCERTAIN = frozenset({EndReason.UNREACHABLE, EndReason.UNKNOWN})


def format_duration(seconds: float) -> str:
    seconds = max(0, int(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


@dataclass(frozen=True)
class StepView:
    key: StepKey
    label: str
    state: StepState
    detail: str

    @property
    def glyph(self) -> str:
        return GLYPHS[self.state]

    @property
    def text(self) -> str:
        """The step in words, e.g. "Connected: not reached"; also its accessible name."""
        return f"{self.label}: {self.detail}"


@dataclass(frozen=True)
class CardView:
    title: str
    name: str  # the card's accessible name: "Call to +91 98765 43200"
    status: str  # where the call is or why it ended, and what to do next
    steps: tuple[StepView, ...]
    hint: str
    retry_customer: bool
    call_again: bool
    dismiss: bool
    ticking: bool  # a timer on the card counts up: render again every second

    def step(self, key: StepKey) -> StepView:
        return next(s for s in self.steps if s.key is key)


def present(tl: CallTimeline, now: float) -> CardView:
    """The card for ``tl`` at time ``now`` (same clock as the timeline's times)."""
    states = _states(tl)
    steps = tuple(
        StepView(key, _label(key, tl), states[key], _detail(key, states[key], tl, now))
        for key in STEP_ORDER
    )
    ended = tl.phase is Phase.ENDED
    reason = tl.end_reason
    return CardView(
        title=tl.customer,
        name=f"Call to {tl.customer}",
        status=status_text(tl),
        steps=steps,
        hint=_hint(tl),
        retry_customer=ended and reason in _CUSTOMER_REASONS,
        # Never offered while the call may exist: only once the logs showed it was not placed
        # (or the platform clearly refused it, or it ended and we know how).
        call_again=ended and reason not in _CUSTOMER_REASONS
        and reason is not EndReason.UNREACHABLE,
        dismiss=ended,
        ticking=tl.is_live and any(s.state is StepState.ACTIVE for s in steps[1:]),
    )


def status_text(tl: CallTimeline) -> str:
    """The card's status line: the phase while live, then the reason and what to do next."""
    if tl.checking:
        return (f"No readable answer from IVR Solutions: the call may already be on its way, "
                f"check Recent calls before calling again. {CHECKING_TEXT}")
    if tl.phase is not Phase.ENDED or tl.end_reason is None:
        return tl.phase.label
    ext = f"ext {tl.ext_no}" if tl.ext_no else "your extension"
    reason = tl.end_reason
    if reason is EndReason.COMPLETED:
        return "Call completed"
    if reason is EndReason.CUSTOMER_BUSY:
        return "Customer is busy: try again later"
    if reason is EndReason.CUSTOMER_NO_ANSWER:
        return "Customer did not answer: try again later"
    if reason is EndReason.AGENT_NO_ANSWER:
        return f"You did not answer on {ext}: is your phone registered?"
    if reason is EndReason.AGENT_FAILED:
        return (f"Your phone on {ext} could not be reached: is it registered, and is the "
                "extension enabled?")
    if reason is EndReason.AGENT_BUSY:
        return (f"Your line ({ext}) was already on a call: finish that call, then call "
                "again")
    if reason is EndReason.FAILED:
        if tl.connected_at is not None:
            return "The call was cut off: call again if you need to"
        return "Call failed: check the number and try again"
    if reason is EndReason.CANCELLED:
        return "Call cancelled"
    if reason is EndReason.REJECTED:
        detail = tl.end_detail or "no reason given"
        return f"IVR Solutions refused the call: {detail}"
    if reason is EndReason.UNREACHABLE:
        return ("Could not reach IVR Solutions: the call may already be on its way, "
                "check Recent calls before calling again")
    if reason is EndReason.NOT_PLACED:
        return tl.end_detail or "The call was not placed: you can call again"
    return "Lost track of the call: check Recent calls for how it ended"


def _label(key: StepKey, tl: CallTimeline) -> str:
    if key is StepKey.PLACING:
        return "Placing the call"
    if key is StepKey.AGENT:
        return f"Ringing your phone (ext {tl.ext_no})" if tl.ext_no else "Ringing your phone"
    if key is StepKey.CUSTOMER:
        return "Ringing customer"
    return "Connected"


def _reached(tl: CallTimeline) -> int:
    """Index in ``STEP_ORDER`` of the furthest step the facts prove was reached."""
    if tl.connected_at is not None or tl.end_reason is EndReason.COMPLETED:
        return 3
    if (tl.customer_ring_at is not None or tl.agent_answered_at is not None
            or tl.end_reason in _CUSTOMER_REASONS or tl.ended_on is Leg.CUSTOMER):
        return 2
    if (tl.agent_ring_at is not None or tl.end_reason in _AGENT_REASONS
            or tl.ended_on is Leg.AGENT):
        return 1
    return 0


def _states(tl: CallTimeline) -> dict[StepKey, StepState]:
    reached = _reached(tl)
    states: dict[StepKey, StepState] = {}
    if tl.checking:
        return {key: StepState.UNKNOWN for key in STEP_ORDER}
    if tl.is_live:
        for i, key in enumerate(STEP_ORDER):
            # A step is passed once a later one is reached; placing, once the API gave a logid.
            if i < reached or (i == 0 and tl.logid):
                states[key] = StepState.DONE
            elif i == reached:
                states[key] = StepState.ACTIVE
            else:
                states[key] = StepState.NOT_REACHED
        return states
    reason = tl.end_reason
    if reason in (EndReason.REJECTED, EndReason.NOT_PLACED):
        stopped = 0
    elif reason is EndReason.UNREACHABLE:
        stopped = 0 if not tl.logid else reached
    elif reason is EndReason.COMPLETED:
        stopped = len(STEP_ORDER)  # nothing stopped it
    elif reached == 3:
        # Ended after connecting: the conversation happened, whatever the cause says.
        stopped = len(STEP_ORDER) if reason is not EndReason.UNKNOWN else 3
    else:
        # The API accepted the call (it gave a logid): it stopped at the agent leg at the
        # earliest, even when no ring event told us so.
        stopped = max(reached, 1 if tl.logid else 0)
    for i, key in enumerate(STEP_ORDER):
        if i < stopped:
            states[key] = StepState.DONE
        elif i == stopped:
            states[key] = StepState.UNKNOWN if reason in _UNCERTAIN else StepState.FAILED
        else:
            states[key] = StepState.UNKNOWN if reason in _UNCERTAIN else StepState.NOT_REACHED
    return states


def _detail(key: StepKey, state: StepState, tl: CallTimeline, now: float) -> str:
    if state is StepState.NOT_REACHED:
        return "not reached"
    if state is StepState.UNKNOWN:
        if key is StepKey.PLACING and tl.checking:
            return "not known, checking Recent calls"
        if key is StepKey.PLACING and tl.end_reason is EndReason.UNREACHABLE:
            return "not known, IVR Solutions did not answer"
        return "not known"
    if state is StepState.FAILED:
        assert tl.end_reason is not None
        return _FAILED_DETAIL.get(tl.end_reason, "failed")
    if key is StepKey.PLACING:
        return "waiting for IVR Solutions" if state is StepState.ACTIVE else "accepted"
    if key is StepKey.CONNECTED:
        return format_duration(_connected_seconds(tl, now))
    if state is StepState.ACTIVE:
        since = _ringing_since(key, tl)
        return f"ringing {format_duration(now - since)}"
    return "answered"


def _ringing_since(key: StepKey, tl: CallTimeline) -> float:
    if key is StepKey.AGENT:
        return tl.agent_ring_at if tl.agent_ring_at is not None else tl.phase_since
    # The platform dials the customer as soon as the agent answers.
    for at in (tl.customer_ring_at, tl.agent_answered_at):
        if at is not None:
            return at
    return tl.phase_since


def _connected_seconds(tl: CallTimeline, now: float) -> float:
    """Talk time: counted from the answer event while live; the API's figure once ended."""
    if tl.phase is Phase.ENDED:
        if tl.duration_s:
            return tl.duration_s
        if tl.connected_at is not None and tl.ended_at is not None:
            return tl.ended_at - tl.connected_at
        return 0
    start = tl.connected_at if tl.connected_at is not None else tl.phase_since
    return now - start


LOST_CONTACT_TEXT = ("Lost contact with IVR Solutions: the call goes on on your phone. "
                     "This card catches up by itself once the connection is back.")


def _hint(tl: CallTimeline) -> str:
    if tl.checking:
        return "If your phone rings, answer it: that is this call."
    if tl.contact_lost and tl.is_live:
        return LOST_CONTACT_TEXT
    if tl.phase in (Phase.STARTING, Phase.RINGING_AGENT):
        return ("Answer your phone: the customer is dialled once you pick up. "
                "IVR Solutions has no way to cancel a click-to-call from this app: "
                "to cancel, reject the call on your phone.")
    if tl.phase is Phase.RINGING_CUSTOMER:
        return "Stay on the line: the customer's phone is ringing."
    return ""
