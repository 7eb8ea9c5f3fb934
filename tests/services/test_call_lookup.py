"""CallLookup against the sandbox, without webhooks: the click-to-call log settles it.

The answer to click-to-call is lost (the sandbox's ``after_handler`` faults),
no webhook receiver is registered, so the only way to learn about the call is
``get_c2c_log_by_number`` (rows appear when a call ends) and then the live
state by logid. Also: logs that cannot be read either never offer a retry, and
a request that never left this machine (connection refused) is a clear
"not placed" with no lookup at all.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from datetime import time as clock_time

import pytest
from services_support import ivr_client, sandbox_calls, wait_until

from agentapp.api.client import IvrClient, make_http_client
from agentapp.core.call import CallTimeline, EndReason, ExpiryLimits, Phase
from agentapp.core.session import Session
from agentapp.sandbox import SandboxConfig
from agentapp.sandbox.thread import SandboxThread
from agentapp.services.call_lookup import CallLookup, LookupTiming, same_number
from agentapp.services.call_tracker import CallTracker
from agentapp.services.connectivity import ConnectivityMonitor
from agentapp.services.dialing import DialingService, DialRefused
from agentapp.services.status import StatusService

DELHI = "+911143104567"
BUSY = "9876543200"  # the sandbox's customer is busy (docs/sandbox.md)
C2C_PATHS = ["/api/c2c_post"]
LOG_PATH = "/api/get_c2c_log_by_number"
TIMING = LookupTiming(window_s=20.0, poll_interval_s=0.1, tick_s=0.02)


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    # Speed 20: the call's log time runs ahead of ours by at most a minute in these
    # tests, inside the lookup's clock-skew allowance.
    return SandboxConfig(host="127.0.0.1", port=0, seed=1, speed=20.0, history=0)


@dataclass
class Rig:
    tracker: CallTracker
    lookup: CallLookup
    dialing: DialingService
    timelines: list[CallTimeline] = field(default_factory=list)

    async def settled(self, call_id: str, within: float = 15.0) -> CallTimeline:
        await wait_until(lambda: not self._live(call_id), within)
        final = self.tracker.get(call_id)
        assert final is not None
        return final

    def _live(self, call_id: str) -> bool:
        current = self.tracker.get(call_id)
        return current is not None and current.is_live


@asynccontextmanager
async def rig(client: IvrClient, timing: LookupTiming = TIMING) -> AsyncIterator[Rig]:
    tracker = CallTracker(client, time.time, 0.05, ExpiryLimits(), tick_s=0.05)
    lookup = CallLookup(client, tracker, time.time, timing=timing)
    connectivity = ConnectivityMonitor(client.dids, first_retry_s=0.05)
    status = StatusService(client, connectivity=connectivity)
    session = Session("sandbox", "2101", DELHI, is_sandbox=True)
    dialing = DialingService(
        client, tracker, status, connectivity, lambda: session, time.time,
        (clock_time(0, 0), clock_time(0, 0)), lambda: datetime(2026, 11, 26, 12, 0),
        lookup=lookup,
    )  # fmt: skip
    r = Rig(tracker, lookup, dialing)
    tracker.changed.subscribe(lambda t: r.timelines.append(t) if t else None)
    try:
        yield r
    finally:
        await lookup.aclose()
        await tracker.aclose()
        await connectivity.stop()
        await status.stop()


def test_lost_answer_is_found_in_the_log_and_followed_to_its_real_outcome(
        sandbox: SandboxThread) -> None:
    sandbox.control("POST", "/_sandbox/faults", {"malformed_rate": 1.0, "after_handler": True,
                                                 "paths": C2C_PATHS, "count": 1})

    async def scenario() -> tuple[CallTimeline, CallTimeline, list[CallTimeline]]:
        async with ivr_client(sandbox) as client, rig(client) as r:
            checking = await r.dialing.dial(BUSY)  # no exception: the card tells the story
            final = await r.settled(checking.call_id)
            assert r.lookup.running == 0
            return checking, final, r.timelines

    checking, final, seen = asyncio.run(scenario())
    calls = sandbox_calls(sandbox)
    assert len(calls) == 1
    assert checking.checking and checking.phase is Phase.STARTING
    assert final.logid == calls[0]["id"]
    assert final.end_reason is EndReason.CUSTOMER_BUSY
    assert all(not t.checking for t in seen if t.logid)


def test_logs_that_cannot_be_read_leave_the_call_not_known(sandbox: SandboxThread) -> None:
    """Dropped answers everywhere: still not known, so the card never offers a retry."""
    sandbox.control("POST", "/_sandbox/faults",
                    {"drop_rate": 1.0, "paths": [*C2C_PATHS, LOG_PATH]})
    timing = LookupTiming(window_s=0.5, poll_interval_s=0.1, tick_s=0.02)

    async def scenario() -> CallTimeline:
        async with ivr_client(sandbox) as client, rig(client, timing) as r:
            checking = await r.dialing.dial(BUSY)
            return await r.settled(checking.call_id)

    final = asyncio.run(scenario())
    sandbox.control("POST", "/_sandbox/faults", {})
    assert sandbox_calls(sandbox) == []
    assert final.end_reason is EndReason.UNREACHABLE
    assert final.end_detail.startswith("Could not check Recent calls")


def test_connection_refused_is_a_clear_not_placed() -> None:
    """No connection was made, so the request never left: Call again at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again when the block ends: refused

    async def scenario() -> tuple[str, CallTimeline]:
        http = make_http_client("test", timeout=2.0)
        client = IvrClient(f"http://127.0.0.1:{port}", "t", http=http, retries=0)
        try:
            async with rig(client) as r:
                with pytest.raises(DialRefused) as info:
                    await r.dialing.dial(BUSY)
                assert r.lookup.running == 0
                return info.value.message, r.timelines[-1]
        finally:
            await http.aclose()

    message, final = asyncio.run(scenario())
    assert "may already have reached" not in message
    assert final.end_reason is EndReason.NOT_PLACED
    assert final.end_detail.startswith("The call was not placed: ")


@pytest.mark.parametrize(("a", "b", "same"), [
    ("+91 98765 43210", "9876543210", True),
    ("919876543210", "+919876543210", True),
    ("09876543210", "9876543210", True),
    ("9876543210", "9876543211", False),
    ("", "9876543210", False),
])
def test_same_number_ignores_prefixes(a: str, b: str, same: bool) -> None:
    assert same_number(a, b) is same
