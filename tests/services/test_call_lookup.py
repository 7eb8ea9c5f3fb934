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
from datetime import UTC, datetime
from datetime import time as clock_time

import pytest

from agentapp.api.client import IvrClient, make_http_client
from agentapp.api.errors import ApiConnectionError
from agentapp.api.models import CallRecord
from agentapp.core.call import CallTimeline, EndReason, ExpiryLimits, Phase
from agentapp.core.phone import parse_dial_target
from agentapp.core.session import Session
from agentapp.sandbox import SandboxConfig
from agentapp.sandbox.thread import SandboxThread
from agentapp.services.call_lookup import CallLookup, LookupTiming, Wanted, same_number
from agentapp.services.call_tracker import CallTracker
from agentapp.services.connectivity import ConnectivityMonitor
from agentapp.services.dialing import DialingService, DialRefused
from agentapp.services.status import StatusService
from testkit.sandbox import ivr_client
from testkit.sandbox import placed_calls as sandbox_calls
from testkit.waiting import wait_until

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


# -- matching rules, with the API faked at its boundary and an injected clock -------------

class FakeLogs:
    """``c2c_logs_by_number`` answering fixed rows; ``call_state`` never answers."""

    def __init__(self, rows: list[CallRecord]) -> None:
        self.rows = rows
        self.reads = 0

    async def c2c_logs_by_number(self, phone: str) -> list[CallRecord]:
        self.reads += 1
        return self.rows

    async def call_state(self, logid: str) -> object:
        raise ApiConnectionError("not in this test")


DIALLED = 1_800_000_000.0  # our clock at the dial (2027-01-15 08:00 UTC)


def row(recordid: str, seconds_after_dial: float, *, ext_no: str = "2101",
        number: str = "9876543210", status: str = "") -> CallRecord:
    when = datetime.fromtimestamp(DIALLED + seconds_after_dial, tz=UTC)
    return CallRecord("c2c", recordid, "outbound", number, "911143104567", ext_no, "", "",
                      when, 12, status, "c2c")


def lookup_once(rows: list[CallRecord], known: tuple[str, ...] = ()) -> CallTimeline:
    """Run one lookup to its end on a fake clock that each sleep moves on."""
    now = [DIALLED]

    async def sleep(seconds: float) -> None:
        now[0] += seconds
        await asyncio.sleep(0)

    async def scenario() -> CallTimeline:
        api = FakeLogs(rows)
        tracker = CallTracker(api, lambda: now[0], 3600.0, ExpiryLimits(), tick_s=3600.0)
        for logid in known:
            tracker.track(logid, "2101", "+91 98765 43210")
        pending = tracker.begin("2101", "+91 98765 43210")
        tracker.uncertain(pending.call_id)
        lookup = CallLookup(api, tracker, lambda: now[0],
                            timing=LookupTiming(window_s=30.0, poll_interval_s=5.0, tick_s=1.0,
                                                skew_s=60.0),
                            local_time=lambda t: datetime.fromtimestamp(t, tz=UTC),
                            sleep=sleep)
        lookup.start(Wanted(pending.call_id, parse_dial_target("9876543210"), "2101",
                            DIALLED))
        await wait_until(lambda: lookup.running == 0, 5.0)
        final = tracker.get(pending.call_id)
        await tracker.aclose()
        assert final is not None
        return final

    return asyncio.run(scenario())


def test_rows_that_are_not_this_call_are_ignored() -> None:
    final = lookup_once([
        row("1", -3600.0),  # an hour before the dial: an older call
        row("2", 10.0, ext_no="2102"),  # another agent's call to the same customer
        row("3", 10.0, number="9876543211"),  # another customer
        row("4", 5.0),  # this app's own earlier call (tracked already)
    ], known=("4",))
    assert final.end_reason is EndReason.NOT_PLACED
    assert final.end_detail == ("No call to +91 98765 43210 since 08:00 in Recent calls: "
                                "you can call again")


def test_a_row_within_the_clock_skew_is_the_call_and_says_how_it_ended() -> None:
    final = lookup_once([row("9", -45.0, status="busy")])  # the server's clock is behind
    assert final.logid == "9"
    assert final.end_reason is EndReason.CUSTOMER_BUSY
