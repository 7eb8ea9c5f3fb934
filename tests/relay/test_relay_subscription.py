"""The desktop's relay subscription against a real relay and nats-server.

Its own extension only, ack after handling, a stopped app replays what it
missed on restart with old rings marked stale (history, never the tracker),
reconnects after the server comes back, and the status follows.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import aiohttp

from agentapp.core.call import CallEvent, EventKind
from agentapp.relay.natsd import NatsCluster
from agentapp.services.event_source import LiveState, SourcedEvent, intake_sink, is_live
from agentapp.services.relay_subscription import RelaySubscription, RelayTarget
from agentapp.services.webhook_receiver import EventIntake

from .relay_support import ACCOUNT, post, ring, running_relay


async def until(predicate: Callable[[], object], within: float = 15.0) -> None:
    deadline = time.monotonic() + within
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


class Clock:
    """Wall time plus an offset the test moves (the app 'restarting later')."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


def subscription(urls: list[str], sink: Callable[[SourcedEvent], None], clock: Clock,
                 ext: str = "2101", desktop: str = "d" * 32) -> RelaySubscription:
    """A desktop (``desktop`` is its installation id: the same one comes back to its place)."""
    return RelaySubscription(RelayTarget(tuple(urls), ACCOUNT, ext, desktop_id=desktop), sink,
                             clock=clock,
                             backoff_s=(0.05, 0.5), fetch_wait_s=1.0, ack_wait_s=1.0)


def test_staleness_is_a_plain_age_limit() -> None:
    assert is_live(1000.0, 1000.0 + 120.0)
    assert not is_live(1000.0, 1000.0 + 120.5)
    assert not is_live(1000.0, 1010.0, stale_after_s=5)


def test_own_extension_live_then_missed_events_replay_as_history(
        nats_single: NatsCluster) -> None:
    clock = Clock()
    fed: list[CallEvent] = []
    intake = EventIntake(fed.append, clock=clock)
    popped: list[CallEvent | None] = []
    history: list[CallEvent | None] = []
    intake.events.subscribe(popped.append)
    intake.history.subscribe(history.append)
    seen: list[SourcedEvent] = []

    def sink(event: SourcedEvent) -> None:
        seen.append(event)
        intake_sink(intake)(event)

    async def scenario() -> None:
        async with running_relay(nats_single.urls) as relay, aiohttp.ClientSession() as http:
            await until(lambda: relay.ready)
            app = subscription(nats_single.urls, sink, clock)
            states: list[LiveState] = []
            app.state.subscribe(states.append)
            await app.start()
            await until(lambda: app.state.value is LiveState.CONNECTED)
            for payload in (ring(logid=7000, ext="2102"), ring(logid=7001)):
                assert (await post(http, relay.webhook_url, payload))[0] == 200
            await until(lambda: len(seen) == 1)
            assert seen[0].live and seen[0].event_id == "7001-1"
            assert [e.kind for e in popped if e] == [EventKind.RING]
            await app.stop()
            assert app.state.value is LiveState.OFF
            assert states[:2] == [LiveState.RECONNECTING, LiveState.CONNECTED]

            # The app is closed while a call rings, is answered and ends.
            for seq, event in ((1, "ring"), (2, "answer"), (3, "hangup")):
                payload = ring(logid=7002, seq=seq, event=event, cause="completed")
                assert (await post(http, relay.webhook_url, payload))[0] == 200
            clock.offset = 600.0  # ... and started again ten minutes later
            again = subscription(nats_single.urls, sink, clock)
            await again.start()
            await until(lambda: len(seen) == 4)
            replayed = seen[1:]
            # Usually in order; but an event published while the stopped app's last pull
            # request was still open on the server went to that dead request and comes
            # back after the ack wait (1 s here), after the later ones.
            assert sorted(e.event_id for e in replayed) == ["7002-1", "7002-2", "7002-3"]
            assert not any(e.live for e in replayed)
            assert sorted(e.kind for e in history if e) == sorted(
                [EventKind.RING, EventKind.ANSWER, EventKind.HANGUP])
            assert len(popped) == 1  # no stale ring popped, none reached the tracker
            assert len(fed) == 1
            await again.stop()

            # a third start has nothing left to replay: everything was acknowledged
            third = subscription(nats_single.urls, sink, clock)
            await third.start()
            await until(lambda: third.state.value is LiveState.CONNECTED)
            await asyncio.sleep(0.3)
            assert len(seen) == 4
            await third.stop()

    asyncio.run(scenario())


def test_reconnects_after_the_server_restarts_and_delivers_what_came_meanwhile(
        nats_single: NatsCluster) -> None:
    clock = Clock()
    seen: list[SourcedEvent] = []

    async def scenario() -> None:
        async with running_relay(nats_single.urls) as relay, aiohttp.ClientSession() as http:
            await until(lambda: relay.ready)
            app = subscription(nats_single.urls, seen.append, clock)
            await app.start()
            await until(lambda: app.state.value is LiveState.CONNECTED)
            node = nats_single.nodes[0]
            await asyncio.to_thread(node.stop)
            await until(lambda: app.state.value is LiveState.RECONNECTING)
            await asyncio.to_thread(nats_single.restart, node)
            await until(lambda: relay.ready)
            assert (await post(http, relay.webhook_url, ring()))[0] == 200
            await until(lambda: len(seen) == 1)
            assert app.state.value is LiveState.CONNECTED and seen[0].live
            await app.stop()

    asyncio.run(scenario())
