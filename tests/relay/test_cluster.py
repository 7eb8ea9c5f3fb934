"""A 3-node JetStream cluster loses a node (the stream leader) during a burst.

The relay answers 503 while JetStream cannot acknowledge, the provider
(simulated here) retries, and at the desktop every event arrives exactly once.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import aiohttp
import nats

from agentapp.relay.natsd import NatsCluster
from agentapp.services.event_source import LiveState, SourcedEvent
from agentapp.services.event_source_subjects import stream_name
from agentapp.services.relay_subscription import RelaySubscription, RelayTarget

from .relay_support import ACCOUNT, post, ring, running_relay, stream_messages

BURST = 150


async def until(predicate: Callable[[], object], within: float = 30.0) -> None:
    deadline = time.monotonic() + within
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def deliver_like_a_provider(http: aiohttp.ClientSession, url: str, n: int) -> int:
    """POST event ``n`` until it gets a 2xx (bounded); returns how many attempts it took."""
    for attempt in range(1, 200):
        try:
            status, _ = await post(http, url, ring(logid=9000 + n, seq=1))
        except aiohttp.ClientError:
            status = 0
        if 200 <= status < 300:
            return attempt
        await asyncio.sleep(0.1)
    raise AssertionError(f"event {n} never accepted")


async def stream_leader(urls: list[str]) -> str:
    nc = await nats.connect(urls)
    try:
        info = await nc.jetstream().stream_info(stream_name(ACCOUNT))
        assert info.cluster is not None and info.cluster.leader
        return str(info.cluster.leader)
    finally:
        await nc.close()


def test_killing_the_stream_leader_mid_burst_loses_and_duplicates_nothing(
        nats_cluster: NatsCluster) -> None:
    seen: list[SourcedEvent] = []

    async def scenario() -> None:
        urls = nats_cluster.urls
        async with running_relay(urls, replicas=3, publish_timeout_s=1.0) as relay, \
                aiohttp.ClientSession() as http:
            await until(lambda: relay.ready)
            app = RelaySubscription(RelayTarget(tuple(urls), ACCOUNT, "2101"), seen.append,
                                    backoff_s=(0.05, 0.5), fetch_wait_s=1.0, ack_wait_s=2.0)
            await app.start()
            await until(lambda: app.state.value is LiveState.CONNECTED)
            leader = await stream_leader(urls)
            victim = next(n for n in nats_cluster.nodes if n.name == leader)
            sent = asyncio.Semaphore(10)

            async def one(n: int) -> int:
                await asyncio.sleep(n * 0.01)  # a burst of ~1.5 s, 100 events/s
                async with sent:
                    return await deliver_like_a_provider(http, relay.webhook_url, n)

            burst = [asyncio.create_task(one(n)) for n in range(BURST)]
            await until(lambda: len(seen) >= BURST // 3)
            at_kill = len(seen)
            await asyncio.to_thread(victim.kill)
            attempts = await asyncio.gather(*burst)
            await until(lambda: len(seen) >= BURST, within=40)
            await asyncio.sleep(2.5)  # > ack_wait: any redelivery would have shown by now
            await app.stop()
            ids = [e.event_id for e in seen]
            assert sorted(ids) == sorted(f"{9000 + n}-1" for n in range(BURST))
            assert len(ids) == len(set(ids)) == app.delivered == BURST
            alive = [n.url for n in nats_cluster.nodes if n.proc is not None]
            assert len(await stream_messages(alive)) == BURST
            assert at_kill < BURST  # the node died mid-burst, not after it
            print(f"delivered at kill {at_kill}, 503s {relay.metrics.unavailable}, "
                  f"max attempts {max(attempts)}, duplicates {relay.metrics.duplicates}")

    asyncio.run(scenario())
