"""CallTracker against the sandbox: webhook-driven and polling-only timelines, expiry."""

from __future__ import annotations

import asyncio
import time

import pytest

from agentapp.core.call import (
    CallEvent,
    CallTimeline,
    EndReason,
    EventKind,
    ExpiryLimits,
    Leg,
    Phase,
)
from agentapp.sandbox import SandboxConfig
from agentapp.sandbox.thread import SandboxThread
from agentapp.services.call_tracker import CallTracker
from agentapp.services.webhook_receiver import EventIntake, WebhookReceiver
from testkit.sandbox import ivr_client
from testkit.waiting import wait_until

DELHI_DIGITS = "911143104567"
SECRET = "tracker-test-secret"


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(host="127.0.0.1", port=0, seed=1, speed=100.0, history=0)


def test_webhook_driven_timeline(sandbox: SandboxThread) -> None:
    """Polling is effectively off: only signed webhook deliveries move the timeline."""

    async def scenario() -> tuple[CallTimeline, list[CallEvent], WebhookReceiver]:
        async with ivr_client(sandbox) as client:
            tracker = CallTracker(client, time.monotonic, poll_interval_s=3600, tick_s=0.05)
            intake = EventIntake(tracker.feed)
            seen: list[CallEvent] = []
            intake.events.subscribe(lambda e: seen.append(e) if e else None)
            receiver = WebhookReceiver(intake, secret=SECRET)
            url = await receiver.start()
            try:
                await client.register_webhook(url, secret=SECRET)
                started = await client.click_to_call(
                    did=DELHI_DIGITS, ext_no="2101", phone="09876543210"
                )
                timeline = tracker.track(started.logid, "2101", "+91 98765 43210")
                await wait_until(lambda: not tracker.get(timeline.call_id).is_live)  # type: ignore[union-attr]
                final = tracker.get(timeline.call_id)
                assert final is not None
                return final, seen, receiver
            finally:
                await tracker.aclose()
                await receiver.stop()

    final, seen, _ = asyncio.run(scenario())
    assert final.end_reason is EndReason.COMPLETED
    assert final.connected_at is not None and final.agent_answered_at is not None
    assert {e.source for e in seen} == {"webhook"}
    assert [(e.kind, e.leg) for e in seen] == [
        (EventKind.RING, Leg.AGENT), (EventKind.ANSWER, Leg.AGENT),
        (EventKind.RING, Leg.CUSTOMER), (EventKind.ANSWER, Leg.CUSTOMER),
        (EventKind.HANGUP, Leg.CUSTOMER),
    ]  # fmt: skip
    deliveries = sandbox.control("GET", "/_sandbox/deliveries")["data"]
    assert len(deliveries) >= 5


def test_polling_only_timeline(sandbox: SandboxThread) -> None:
    async def scenario() -> list[CallTimeline]:
        async with ivr_client(sandbox) as client:
            tracker = CallTracker(client, time.monotonic, poll_interval_s=0.02, tick_s=0.02)
            history: list[CallTimeline] = []
            tracker.changed.subscribe(lambda t: history.append(t) if t else None)
            started = await client.click_to_call(
                did=DELHI_DIGITS, ext_no="2101", phone="09876543200"
            )
            timeline = tracker.track(started.logid, "2101", "+91 98765 43200")
            assert tracker.track(started.logid, "2101", "x") is tracker.by_logid(started.logid)
            try:
                await wait_until(lambda: not tracker.live_calls())
            finally:
                await tracker.aclose()
            assert tracker.get(timeline.call_id) is history[-1]
            return history

    history = asyncio.run(scenario())
    assert history[-1].end_reason is EndReason.CUSTOMER_BUSY
    assert Phase.RINGING_CUSTOMER in {t.phase for t in history}


def test_feed_is_synchronous_and_orphans_are_replayed(sandbox: SandboxThread) -> None:
    async def scenario() -> None:
        async with ivr_client(sandbox) as client:
            tracker = CallTracker(client, time.monotonic, poll_interval_s=3600)
            try:
                early = CallEvent("424242", EventKind.RING, Leg.AGENT, 1.0, event_id="e1")
                assert tracker.feed(early) is None  # not tracked yet: kept
                timeline = tracker.track("424242", "2101", "+91 98765 43210")
                assert timeline.phase is Phase.RINGING_AGENT
                seen: list[Phase] = []
                tracker.changed.subscribe(lambda t: seen.append(t.phase) if t else None)
                answer = CallEvent("424242", EventKind.ANSWER, Leg.CUSTOMER, 2.0, event_id="e2")
                tracker.feed(answer)
                assert seen == [Phase.CONNECTED]  # before feed() returned
                tracker.feed(answer)
                assert seen == [Phase.CONNECTED]  # duplicate: no new notification
            finally:
                await tracker.aclose()

    asyncio.run(scenario())


def test_unknown_call_expires_as_unknown(sandbox: SandboxThread) -> None:
    """A logid the platform never heard of (polls 404) must not ring forever."""

    async def scenario() -> CallTimeline:
        async with ivr_client(sandbox) as client:
            limits = ExpiryLimits(starting_s=0.2, ringing_agent_s=0.2)
            tracker = CallTracker(client, time.monotonic, 0.02, limits, tick_s=0.02)
            try:
                timeline = tracker.track("999999999", "2101", "+91 98765 43210")
                await wait_until(lambda: not tracker.live_calls(), within=5)
                final = tracker.get(timeline.call_id)
                assert final is not None
                await wait_until(lambda: tracker.polling_count == 0)  # polling ended too
                return final
            finally:
                await tracker.aclose()

    final = asyncio.run(scenario())
    assert (final.phase, final.end_reason) == (Phase.ENDED, EndReason.UNKNOWN)


def test_close_cancels_polling(sandbox: SandboxThread) -> None:
    async def scenario() -> None:
        async with ivr_client(sandbox) as client:
            tracker = CallTracker(client, time.monotonic, poll_interval_s=3600)
            tracker.track("123", "2101", "x")
            tracker.track("124", "2101", "y")
            assert tracker.polling_count == 2
            await tracker.aclose()
            assert tracker.polling_count == 0

    asyncio.run(scenario())


class CountingApi:
    """The real client, counting polls (to see the poll rate, not to fake answers)."""

    def __init__(self, client: object) -> None:
        self._client = client
        self.polls = 0

    async def call_state(self, logid: str) -> object:
        self.polls += 1
        return await self._client.call_state(logid)  # type: ignore[attr-defined]


class CountingClock:
    """The real monotonic clock, counting reads: the tracker reads it on every tick."""

    def __init__(self) -> None:
        self.reads = 0

    def __call__(self) -> float:
        self.reads += 1
        return time.monotonic()


@pytest.mark.parametrize("healthy", [False, True])
def test_poll_rate_follows_webhook_health(sandbox: SandboxThread, healthy: bool) -> None:
    """Unhealthy webhooks: a poll per 20 ms tick. Healthy: none over the same ~60 ticks.

    Counted in ticks (clock reads), not in seconds slept, so a loaded machine
    that runs fewer ticks per second cannot change the answer.
    """
    sandbox.control("POST", "/_sandbox/speed", {"speed": 1})  # the call stays ringing

    async def scenario() -> tuple[int, int]:
        async with ivr_client(sandbox) as client:
            api = CountingApi(client)
            clock = CountingClock()
            tracker = CallTracker(
                api, clock, poll_interval_s=0.02, slow_poll_interval_s=3600,
                webhook_healthy=lambda: healthy, tick_s=0.02,
            )  # fmt: skip
            started = await client.click_to_call(
                did=DELHI_DIGITS, ext_no="2101", phone="09876543210"
            )
            tracker.track(started.logid, "2101", "+91 98765 43210")
            reads_at_start = clock.reads
            if healthy:
                await wait_until(lambda: clock.reads - reads_at_start >= 120, 20, "60 ticks")
            else:
                await wait_until(lambda: api.polls >= 5, 20, "5 polls")
            await tracker.aclose()
            return api.polls, clock.reads - reads_at_start

    polls, reads = asyncio.run(scenario())
    if healthy:
        assert polls == 0, (polls, reads)
    else:
        assert polls >= 5 and reads < 120 * 5, (polls, reads)
