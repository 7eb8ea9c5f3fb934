"""Calls that progress in simulated time: click-to-call, inbound, click-connect,
API one-shots (text, flow, voice-bot calls) and dialer campaign calls.

Each call is one owned task following the outcome rules of docs/sandbox.md; every
step publishes a webhook event, and the finished call lands in the right log.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any

from .call_logging import log_finished_call
from .clock import SimClock
from .live_call import CAUSE_TO_STATUS, LiveCall
from .webhooks import WebhookDispatcher
from .world import CLICK_CONNECT_BASE, Agent, Dialer, World

AGENT_RING_S = 3.0
CUSTOMER_RING_S = 4.0
AGENT_FAIL_S = 1.0
AGENT_NO_ANSWER_S = 20.0
INBOUND_MISSED_RING_S = 15.0
FLOW_DTMF_AFTER_S = 2.0  # a flow call's keypress, this long after the customer answers
# customer number suffix -> (seconds until the outcome, hangup cause)
CUSTOMER_RULES = {"00": (2.0, "busy"), "99": (25.0, "no_answer"), "98": (1.0, "failed")}


def talk_seconds(number: str) -> int:
    """Deterministic talk time of 15-45 sim seconds, derived from the number."""
    return 15 + int("".join(ch for ch in number if ch.isdigit()) or "0") % 31


@dataclass
class InboundSpec:
    caller: str
    did_no: str
    agent: Agent
    answered: bool
    talk_s: int | None = None
    dtmf: str = ""


class CallSimulator:
    """Owns every call task; ``base_url`` is set by the server once it is bound."""

    def __init__(self, world: World, clock: SimClock, webhooks: WebhookDispatcher) -> None:
        self._world = world
        self._clock = clock
        self._webhooks = webhooks
        self.base_url = ""
        self.calls: dict[int, LiveCall] = {}
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._next_c2c = world.next_c2c_id()
        self._next_call_log = world.next_call_log_id()
        self._next_dialer_log = world.next_dialer_log_id()
        self._next_click_connect = CLICK_CONNECT_BASE + len(world.click_connect_logs) + 1
        self._stopping = False

    # ---- starting calls ---------------------------------------------
    def start_c2c(self, agent: Agent, did_no: str, customer: str) -> LiveCall:
        busy = self.agent_busy(agent.ext_no)
        call = self._new(self._take("_next_c2c"), "c2c", did_no, agent.ext_no, agent.phone,
                         customer)
        self._spawn(call, self._run_c2c(call, agent, busy))
        return call

    def start_inbound(self, spec: InboundSpec) -> LiveCall:
        call = self._new(self._take("_next_call_log"), "inbound", spec.did_no,
                         spec.agent.ext_no, spec.agent.phone, spec.caller)
        self._spawn(call, self._run_inbound(call, spec))
        return call

    def agent_busy(self, ext_no: str) -> bool:
        """An agent already on a live call (any kind) cannot take another."""
        return any(c.live and c.ext_no == ext_no for c in self.calls.values() if c.agent_leg)

    def start_outgoing(self, did_no: str, customer: str, source: str, delay_s: float = 0.0,
                       dtmf: str = "") -> LiveCall:
        """An API one-shot (``dial_by_text``/``flow``/``voicebot``): no agent leg, logged in
        call logs as ``outgoing``; placed after ``delay_s`` sim seconds when scheduled."""
        call = self._new(self._take("_next_call_log"), "outgoing", did_no, "", "", customer)
        call.source, call.dtmf = source, dtmf
        call.state = "scheduled" if delay_s > 0 else "ringing_customer"
        self._spawn(call, self._run_outgoing(call, delay_s))
        return call

    def start_dialer_call(self, dialer: Dialer, customer: str) -> LiveCall:
        """One campaign call from ``dialer``'s DID, logged in dialer logs."""
        call = self._new(self._take("_next_dialer_log"), "dialer", dialer.did_no, "", "",
                         customer)
        call.source, call.dialer_id = "dialer", dialer.id
        call.dtmf = flow_keypress(customer)
        call.state = "ringing_customer"
        self._spawn(call, self._run_outgoing(call, 0.0))
        return call

    def start_click_connect(self, did_no: str, first: str, second: str,
                            delay_s: float = 0.0) -> LiveCall:
        call = self._new(self._take("_next_click_connect"), "click_connect", did_no, "",
                         first, second)
        if delay_s > 0:
            call.state = "scheduled"
        self._spawn(call, self._run_click_connect(call, delay_s))
        return call

    def cancel_click_connect(self, did_no: str, first: str) -> LiveCall | None:
        for call in self.calls.values():
            if (call.kind == "click_connect" and call.live and call.did_no == did_no
                    and call.agent_no == first):
                task = self._tasks.get(call.id)
                if task is not None:
                    task.cancel()
                return call
        return None

    def live_calls(self) -> list[LiveCall]:
        return [c for c in self.calls.values() if c.live]

    async def stop(self) -> None:
        self._stopping = True
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    # ---- internals --------------------------------------------------
    def _take(self, counter: str) -> int:
        value: int = getattr(self, counter)
        setattr(self, counter, value + 1)
        return value

    def _new(self, call_id: int, kind: str, did_no: str, ext_no: str, agent_no: str,
             client_no: str) -> LiveCall:
        call = LiveCall(call_id, kind, did_no, ext_no, agent_no, client_no, self._clock.now_str())
        self.calls[call_id] = call
        return call

    def _spawn(self, call: LiveCall, body: Coroutine[Any, Any, None]) -> None:
        async def runner() -> None:
            try:
                await body
            except asyncio.CancelledError:
                if not self._stopping and call.live:
                    self._finish(call, "cancelled", "agent")
                raise
            finally:
                self._tasks.pop(call.id, None)

        self._tasks[call.id] = asyncio.create_task(runner())

    def _emit(self, call: LiveCall, name: str, leg: str, **extra: str) -> None:
        self._webhooks.publish(call.event(name, leg, self._clock.now_str(), **extra))

    async def _ring_agent_leg(self, call: LiveCall, agent: Agent) -> bool:
        """Ring the agent; False when the agent leg failed (the call is then finished)."""
        call.agent_status = "ringing"
        self._emit(call, "ring", "agent")
        if not agent.usable_on(self._clock.now().date()):
            await self._clock.sleep(AGENT_FAIL_S)
            call.agent_status = "failed"
            self._finish(call, "agent_failed", "agent")
            return False
        if not agent.answers:
            await self._clock.sleep(AGENT_NO_ANSWER_S)
            call.agent_status = "no_answer"
            self._finish(call, "agent_no_answer", "agent")
            return False
        await self._clock.sleep(AGENT_RING_S)
        call.agent_status = "answered"
        self._emit(call, "answer", "agent")
        return True

    async def _customer_leg(self, call: LiveCall, number: str, leg: str = "customer",
                            dtmf: str = "") -> None:
        call.state = "ringing_customer"
        call.customer_status = "ringing"
        self._emit(call, "ring", leg)
        rule = CUSTOMER_RULES.get(number[-2:])
        if rule is not None:
            delay, cause = rule
            await self._clock.sleep(delay)
            call.customer_status = cause
            self._finish(call, cause, leg)
            return
        await self._clock.sleep(CUSTOMER_RING_S)
        call.customer_status = "answered"
        self._connect(call, leg)
        call.call_duration = talk_seconds(number)
        remaining = float(call.call_duration)
        if dtmf:
            await self._clock.sleep(FLOW_DTMF_AFTER_S)
            self._emit(call, "dtmf", leg, digits=dtmf)
            remaining -= FLOW_DTMF_AFTER_S
        await self._clock.sleep(remaining)
        self._finish(call, "completed", leg)

    def _connect(self, call: LiveCall, leg: str) -> None:
        call.state = "connected"
        call.answered_at = self._clock.now_str()
        self._emit(call, "answer", leg)

    async def _run_c2c(self, call: LiveCall, agent: Agent, busy: bool) -> None:
        if busy:  # the platform finds the agent's line engaged: no ring, one hangup
            await self._clock.sleep(AGENT_FAIL_S)
            call.agent_status = "busy"
            self._finish(call, "agent_busy", "agent")
        elif await self._ring_agent_leg(call, agent):
            await self._customer_leg(call, call.client_no)

    async def _run_outgoing(self, call: LiveCall, delay_s: float) -> None:
        if delay_s > 0:
            call.state = "scheduled"
            await self._clock.sleep(delay_s)
            call.call_time = self._clock.now_str()
        await self._customer_leg(call, call.client_no, dtmf=call.dtmf)

    async def _run_click_connect(self, call: LiveCall, delay_s: float = 0.0) -> None:
        if delay_s > 0:
            await self._clock.sleep(delay_s)
            call.call_time = self._clock.now_str()
            call.state = "ringing_agent"
        call.agent_status = "ringing"
        self._emit(call, "ring", "agent")
        rule = CUSTOMER_RULES.get(call.agent_no[-2:])
        if rule is not None:
            await self._clock.sleep(rule[0])
            call.agent_status = rule[1]
            self._finish(call, rule[1], "agent")
            return
        await self._clock.sleep(AGENT_RING_S)
        call.agent_status = "answered"
        self._emit(call, "answer", "agent")
        await self._customer_leg(call, call.client_no)

    async def _run_inbound(self, call: LiveCall, spec: InboundSpec) -> None:
        call.customer_status = "answered"  # the caller is on the line already
        call.agent_status = "ringing"
        self._emit(call, "ring", "agent")
        usable = spec.agent.usable_on(self._clock.now().date())
        if not spec.answered or not usable:
            await self._clock.sleep(INBOUND_MISSED_RING_S if usable else AGENT_FAIL_S)
            call.agent_status = "no_answer"
            self._finish(call, "no_answer", "agent")
            return
        await self._clock.sleep(AGENT_RING_S)
        call.agent_status = "answered"
        self._connect(call, "agent")
        call.call_duration = spec.talk_s if spec.talk_s is not None else talk_seconds(spec.caller)
        remaining = float(call.call_duration)
        if spec.dtmf:
            await self._clock.sleep(1.0)
            self._emit(call, "dtmf", "customer", digits=spec.dtmf)
            remaining = max(0.0, remaining - 1.0)
        await self._clock.sleep(remaining)
        self._finish(call, "completed", "agent", dtmf=spec.dtmf)

    def _finish(self, call: LiveCall, cause: str, leg: str, dtmf: str = "") -> None:
        call.state = "ended"
        call.outcome = cause
        call.ended_at = self._clock.now_str()
        if dtmf:
            call.dtmf = dtmf
        if call.kind == "inbound":
            call.call_status = "answered" if cause == "completed" else "missed"
        else:
            call.call_status = CAUSE_TO_STATUS[cause]
        self._emit(call, "hangup", leg, cause=cause, call_duration=str(call.call_duration))
        recording_url = log_finished_call(self._world, call, self.base_url)
        self._webhooks.publish(call.post_call_record(recording_url))


def flow_keypress(number: str) -> str:
    """The key a flow/dialer call's customer presses: 1-3, derived from the number."""
    digits = "".join(ch for ch in number if ch.isdigit()) or "0"
    return str(int(digits) % 3 + 1)
