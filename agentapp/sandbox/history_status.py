"""Live state (``get_call_status?logid=``) of a call that ended before the sandbox started.

A historical log row only says who answered, the status and the duration; the
per-leg statuses and the answer/end times are rebuilt with the same timing
rules simulated calls follow (docs/sandbox.md, "Outcome rules"), so a past call
and a simulated one with the same outcome look the same.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from .calls import (
    AGENT_FAIL_S,
    AGENT_NO_ANSWER_S,
    AGENT_RING_S,
    CUSTOMER_RING_S,
    CUSTOMER_RULES,
    INBOUND_MISSED_RING_S,
)
from .clock import IST, TIME_FORMAT
from .live_call import LiveCall
from .world import World

# call_status -> (customer leg status, sim seconds from the customer ring to the end)
_CUSTOMER_END = {
    "busy": ("busy", CUSTOMER_RULES["00"][0]),
    "no_answer": ("no_answer", CUSTOMER_RULES["99"][0]),
    "failed": ("failed", CUSTOMER_RULES["98"][0]),
}
# c2c call_status where the agent leg did not answer -> (agent status, seconds to the end)
_AGENT_END = {
    "agent_no_answer": ("no_answer", AGENT_NO_ANSWER_S),
    "agent_failed": ("failed", AGENT_FAIL_S),
    "agent_busy": ("busy", AGENT_FAIL_S),
    "cancelled": ("ringing", 0.0),
}


def _plus(call_time: str, seconds: float) -> str:
    start = datetime.strptime(call_time, TIME_FORMAT).replace(tzinfo=IST)
    return (start + timedelta(seconds=seconds)).strftime(TIME_FORMAT)


def _customer_leg(call: LiveCall, ring_at: float) -> None:
    """Fill the customer leg of an ended call whose customer rang ``ring_at`` s in."""
    if call.call_status in ("answered", "completed"):
        call.customer_status = "answered"
        call.answered_at = _plus(call.call_time, ring_at + CUSTOMER_RING_S)
        call.ended_at = _plus(call.call_time, ring_at + CUSTOMER_RING_S + call.call_duration)
        return
    status, seconds = _CUSTOMER_END.get(call.call_status, ("no_answer", CUSTOMER_RULES["99"][0]))
    call.customer_status = status
    call.ended_at = _plus(call.call_time, ring_at + seconds)


def past_call(world: World, call_id: int) -> LiveCall | None:
    c2c = world.c2c_log(call_id)
    if c2c is not None:
        call = LiveCall(c2c.recordid, "c2c", c2c.did_no, c2c.ext_no, c2c.agent_no, c2c.client_no,
                        c2c.call_time, state="ended", call_status=c2c.call_status,
                        call_duration=c2c.call_duration)
        if c2c.call_status in _AGENT_END:
            call.agent_status, seconds = _AGENT_END[c2c.call_status]
            call.ended_at = _plus(c2c.call_time, seconds)
        else:
            call.agent_status = "answered"
            _customer_leg(call, AGENT_RING_S)
        return call
    log = world.call_log(call_id)
    if log is not None:
        if log.call_type == "incoming":
            call = LiveCall(log.recordid, "inbound", log.did_no, log.ext_no, log.agent_no,
                            log.client_no, log.call_time, state="ended",
                            customer_status="answered", call_status=log.call_status,
                            call_duration=log.call_duration)
            if log.call_status == "answered":
                call.agent_status = "answered"
                call.answered_at = _plus(log.call_time, AGENT_RING_S)
                call.ended_at = _plus(log.call_time, AGENT_RING_S + log.call_duration)
            else:
                call.agent_status = "no_answer"
                call.ended_at = _plus(log.call_time, INBOUND_MISSED_RING_S)
            return call
        # outgoing: the agent's own phone (or, for API one-shots, nobody) dials the customer
        call = LiveCall(log.recordid, "outgoing", log.did_no, log.ext_no, log.agent_no,
                        log.outgoing_ext or log.client_no, log.call_time, state="ended",
                        agent_status="answered" if log.ext_no else "",
                        call_status=log.call_status, call_duration=log.call_duration)
        _customer_leg(call, 0.0)
        return call
    dialer = world.dialer_log(call_id)
    if dialer is not None:
        call = LiveCall(dialer.id, "dialer", "", "", "", dialer.customer_no, dialer.call_time,
                        state="ended", call_status=dialer.call_status,
                        call_duration=dialer.call_duration)
        d = world.dialers.get(dialer.dialer_id)
        call.did_no = d.did_no if d else ""
        _customer_leg(call, 0.0)
        return call
    return None
