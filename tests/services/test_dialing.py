"""DialingService end to end: real IvrClient, real sandbox, real tracker and status.

Each guard refuses before the API (the sandbox sees no call), each sandbox
outcome rule ends the timeline with the right reason, and double dials never
place two calls.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from datetime import time as clock_time

import pytest

from agentapp.api.client import IvrClient
from agentapp.api.errors import ApiConnectionError
from agentapp.core.call import CallTimeline, EndReason, ExpiryLimits, Phase
from agentapp.core.session import Session
from agentapp.sandbox import SandboxConfig
from agentapp.sandbox.thread import SandboxThread
from agentapp.services.call_tracker import CallTracker
from agentapp.services.connectivity import ConnectivityMonitor
from agentapp.services.dialing import (
    LIVE_CALL,
    OUTSIDE_HOURS,
    DialingService,
    DialRefused,
    NeedsConfirmation,
)
from agentapp.services.status import StatusService
from testkit.sandbox import ivr_client, placed_calls
from testkit.waiting import wait_until

DELHI = "+911143104567"
MUMBAI_INACTIVE = "+912261234567"
CUSTOMER = "9876543210"
NOON = datetime(2026, 11, 26, 12, 0)


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(host="127.0.0.1", port=0, seed=1, speed=200.0, history=0)


@dataclass
class Rig:
    client: IvrClient
    tracker: CallTracker
    status: StatusService
    connectivity: ConnectivityMonitor
    dialing: DialingService
    session: list[Session | None]
    now: list[datetime]
    timelines: list[CallTimeline] = field(default_factory=list)

    def sign_in(self, ext_no: str = "2101", did: str = DELHI) -> None:
        self.session[0] = Session("sandbox", ext_no, did, is_sandbox=True)

    async def ended(self, timeline: CallTimeline, timeout_s: float = 10.0) -> CallTimeline:
        def done() -> bool:
            current = self.tracker.get(timeline.call_id)
            return current is not None and not current.is_live

        await wait_until(done, timeout_s)
        final = self.tracker.get(timeline.call_id)
        assert final is not None
        return final


@asynccontextmanager
async def rig(sb: SandboxThread, *, poll_interval_s: float = 0.05) -> AsyncIterator[Rig]:
    async with ivr_client(sb) as client:
        tracker = CallTracker(
            client, time.monotonic, poll_interval_s, ExpiryLimits(), tick_s=0.05
        )
        connectivity = ConnectivityMonitor(client.dids, first_retry_s=0.05)
        status = StatusService(client, connectivity=connectivity)
        session: list[Session | None] = [None]
        now = [NOON]
        dialing = DialingService(
            client, tracker, status, connectivity, lambda: session[0], time.monotonic,
            (clock_time(9, 0), clock_time(21, 0)), lambda: now[0],
        )  # fmt: skip
        r = Rig(client, tracker, status, connectivity, dialing, session, now)
        tracker.changed.subscribe(lambda t: r.timelines.append(t) if t else None)
        await status.refresh()
        connectivity.start()
        try:
            yield r
        finally:
            await tracker.aclose()
            await connectivity.stop()
            await status.stop()


def refused(sb: SandboxThread, setup: Callable[[Rig], None], target: str = CUSTOMER) -> str:
    """Run one dial that must be refused before the API; return the refusal code."""

    async def scenario() -> str:
        async with rig(sb) as r:
            setup(r)
            with pytest.raises(DialRefused) as info:
                await r.dialing.dial(target)
            assert info.value.message
            return info.value.code

    code = asyncio.run(scenario())
    assert placed_calls(sb) == []
    return code


def test_guard_invalid_number(sandbox: SandboxThread) -> None:
    assert refused(sandbox, lambda r: r.sign_in(), target="2101") == "invalid_number"


def test_guard_not_signed_in(sandbox: SandboxThread) -> None:
    assert refused(sandbox, lambda r: None) == "not_signed_in"


def test_guard_no_extension_or_did(sandbox: SandboxThread) -> None:
    assert refused(sandbox, lambda r: r.sign_in(ext_no=" ")) == "no_extension"
    assert refused(sandbox, lambda r: r.sign_in(did="")) == "no_did"


def test_guard_disabled_and_expired_extensions(sandbox: SandboxThread) -> None:
    assert refused(sandbox, lambda r: r.sign_in(ext_no="2103")) == "extension_disabled"
    assert refused(sandbox, lambda r: r.sign_in(ext_no="2104")) == "extension_expired"


def test_guard_inactive_did(sandbox: SandboxThread) -> None:
    assert refused(sandbox, lambda r: r.sign_in(did=MUMBAI_INACTIVE)) == "did_inactive"


def test_guard_offline(sandbox: SandboxThread) -> None:
    def go_offline(r: Rig) -> None:
        r.sign_in()
        r.connectivity.report_failure(ApiConnectionError("refused"))

    assert refused(sandbox, go_offline) == "offline"


def test_outside_hours_needs_confirmation_then_dials(sandbox: SandboxThread) -> None:
    async def scenario() -> CallTimeline:
        async with rig(sandbox) as r:
            r.sign_in()
            r.now[0] = datetime(2026, 11, 26, 22, 30)
            with pytest.raises(NeedsConfirmation) as info:
                await r.dialing.dial(CUSTOMER)
            assert info.value.code == "outside_hours"
            assert placed_calls(sandbox) == []
            timeline = await r.dialing.dial(CUSTOMER, confirmed_outside_hours=True)
            return await r.ended(timeline)

    final = asyncio.run(scenario())
    assert final.end_reason is EndReason.COMPLETED
    assert len(placed_calls(sandbox)) == 1


def test_answered_call_walks_every_phase(sandbox: SandboxThread) -> None:
    async def scenario() -> tuple[CallTimeline, list[CallTimeline], list[bool]]:
        async with rig(sandbox) as r:
            busy: list[bool] = []
            r.dialing.busy.subscribe(busy.append)
            r.sign_in()
            timeline = await r.dialing.dial("+91 98765 43210")
            assert timeline.logid and timeline.call_id.startswith("local-")
            return await r.ended(timeline), r.timelines, busy

    final, history, busy = asyncio.run(scenario())
    assert busy == [True, False]
    assert final.end_reason is EndReason.COMPLETED
    assert final.duration_s is not None and final.duration_s >= 15
    phases = [t.phase for t in history if t.call_id == final.call_id]
    assert phases[0] is Phase.STARTING
    assert {Phase.RINGING_AGENT, Phase.RINGING_CUSTOMER, Phase.CONNECTED} <= set(phases)
    assert phases == sorted(phases)
    (call,) = placed_calls(sandbox)
    assert (call["to"], call["extension"], call["outcome"]) == ("9876543210", "2101", "completed")


@pytest.mark.parametrize(
    ("ext_no", "customer", "reason"),
    [
        ("2101", "9876543200", EndReason.CUSTOMER_BUSY),
        ("2101", "9876543299", EndReason.CUSTOMER_NO_ANSWER),
        ("2105", CUSTOMER, EndReason.AGENT_NO_ANSWER),
    ],
)
def test_outcome_rules(sandbox: SandboxThread, ext_no: str, customer: str,
                       reason: EndReason) -> None:
    async def scenario() -> CallTimeline:
        async with rig(sandbox) as r:
            r.sign_in(ext_no=ext_no)
            return await r.ended(await r.dialing.dial(customer))

    final = asyncio.run(scenario())
    assert final.end_reason is reason
    assert final.status_text == reason.label


def test_double_dial_places_exactly_one_call(sandbox: SandboxThread) -> None:
    sandbox.control("POST", "/_sandbox/faults", {"latency_ms": 150, "paths": ["/api/c2c_post"]})

    async def scenario() -> list[str]:
        async with rig(sandbox) as r:
            r.sign_in()
            results = await asyncio.gather(
                r.dialing.dial(CUSTOMER), r.dialing.dial("tel:+919876543210"),
                return_exceptions=True,
            )  # fmt: skip
            codes = [x.code for x in results if isinstance(x, DialRefused)]
            with pytest.raises(DialRefused) as again:  # a repeated tel: launch right after
                await r.dialing.dial("callto:09876543210")
            codes.append(again.value.code)
            # another number is fine, once the agent confirms a second live call
            other = await r.dialing.dial("9876543211", confirmed={LIVE_CALL})
            await r.ended(other)
            return codes

    assert asyncio.run(scenario()) == ["busy", "duplicate"]
    to_customer = [c for c in placed_calls(sandbox) if c["to"] == CUSTOMER]
    assert len(to_customer) == 1


def test_api_refusal_becomes_dial_refused_and_rejected_timeline(sandbox: SandboxThread) -> None:
    async def scenario() -> Rig:
        async with rig(sandbox) as r:
            r.sign_in(ext_no="2199")  # unknown to status: does not block; the API refuses
            with pytest.raises(DialRefused) as info:
                await r.dialing.dial(CUSTOMER)
            assert info.value.code == "api_error"
            assert "Extension not configured" in info.value.message
            assert r.connectivity.is_online
            return r

    r = asyncio.run(scenario())
    final = r.timelines[-1]
    assert (final.phase, final.end_reason, final.logid) == (Phase.ENDED, EndReason.REJECTED, "")
    assert "Extension not configured" in final.status_text


def test_second_call_while_one_is_live_asks_first(sandbox: SandboxThread) -> None:
    sandbox.control("POST", "/_sandbox/speed", {"speed": 1.0})  # ext 2105 rings 20 s

    async def scenario() -> tuple[str, str, list[str]]:
        async with rig(sandbox) as r:
            r.sign_in(ext_no="2105")
            first = await r.dialing.dial(CUSTOMER)
            await wait_until(lambda: (r.tracker.get(first.call_id) or first).phase
                             is Phase.RINGING_AGENT, 5)
            with pytest.raises(NeedsConfirmation) as info:
                await r.dialing.dial("9876543211")
            assert len(placed_calls(sandbox)) == 1  # asking placed nothing
            # Outside hours too: each question is asked once, the live call first.
            r.now[0] = datetime(2026, 11, 26, 22, 30)
            with pytest.raises(NeedsConfirmation) as hours:
                await r.dialing.dial("9876543211", confirmed={LIVE_CALL})
            await r.dialing.dial("9876543211", confirmed={LIVE_CALL, OUTSIDE_HOURS})
            return info.value.code, info.value.message, [hours.value.code, info.value.title]

    code, question, rest = asyncio.run(scenario())
    assert code == LIVE_CALL
    assert question == ("You are on a call with +91 98765 43210 (ringing your phone). "
                        "Call +91 98765 43211 anyway?")
    assert rest == [OUTSIDE_HOURS, "Start a second call?"]
    assert [c["to"] for c in placed_calls(sandbox)] == [CUSTOMER, "9876543211"]


def test_no_question_once_the_call_has_ended(sandbox: SandboxThread) -> None:
    async def scenario() -> None:
        async with rig(sandbox) as r:
            r.sign_in()
            await r.ended(await r.dialing.dial("9876543200"))  # busy: ends in 2 sim s
            await r.ended(await r.dialing.dial("9876543211"))

    asyncio.run(scenario())
    assert len(placed_calls(sandbox)) == 2


def test_no_answer_from_the_api_ends_the_timeline_unreachable(sandbox: SandboxThread) -> None:
    """A dropped connection: the platform may have placed the call, the card must say so."""
    sandbox.control("POST", "/_sandbox/faults", {"drop_rate": 1.0, "paths": ["/api/c2c_post"]})

    async def scenario() -> Rig:
        async with rig(sandbox) as r:
            r.sign_in()
            with pytest.raises(DialRefused) as info:
                await r.dialing.dial(CUSTOMER)
            assert info.value.code == "api_error"
            return r

    final = asyncio.run(scenario()).timelines[-1]
    assert (final.phase, final.end_reason) == (Phase.ENDED, EndReason.UNREACHABLE)
