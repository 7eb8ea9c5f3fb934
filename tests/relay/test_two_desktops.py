"""Two desktops on one extension each get every event, in order, once (their own consumers).

Each desktop installation holds its own durable consumer slot, found again by
its id after a restart (so each replays what *it* missed); a desktop nobody
starts again loses its consumers after the idle limit, freeing the slot.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import aiohttp
import nats

from agentapp.relay.natsd import NatsCluster
from agentapp.services.event_source import LiveState, SourcedEvent
from agentapp.services.event_source_desktop import DESKTOP_ID_FILE, load_desktop_id
from agentapp.services.event_source_subjects import DESKTOP_SLOTS, stream_name
from agentapp.services.relay_subscription import RelaySubscription, RelayTarget

from .relay_support import ACCOUNT, post, ring, running_relay


async def until(predicate: Callable[[], object], within: float = 15.0) -> None:
    deadline = time.monotonic() + within
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


def desktop(urls: list[str], desktop_id: str, seen: list[str],
            inactive_after_s: float = 3600.0) -> RelaySubscription:
    def sink(event: SourcedEvent) -> None:
        seen.append(event.event_id)

    return RelaySubscription(RelayTarget(tuple(urls), ACCOUNT, "2101", desktop_id=desktop_id),
                             sink, backoff_s=(0.05, 0.3), fetch_wait_s=1.0, ack_wait_s=1.0,
                             inactive_after_s=inactive_after_s)


async def consumer_names(urls: list[str]) -> list[str]:
    nc = await nats.connect(urls)
    try:
        return sorted(c.name for c in await nc.jetstream().consumers_info(stream_name(ACCOUNT)))
    finally:
        await nc.close()


def test_both_desktops_get_every_event_in_order_once_and_each_replays_its_own(
        nats_single: NatsCluster) -> None:
    urls = nats_single.urls
    seen_a: list[str] = []
    seen_b: list[str] = []

    async def scenario() -> None:
        async with running_relay(urls) as relay, aiohttp.ClientSession() as http:
            await until(lambda: relay.ready)
            a, b = desktop(urls, "a" * 32, seen_a), desktop(urls, "b" * 32, seen_b)
            for app in (a, b):
                await app.start()
            await until(lambda: a.state.value is b.state.value is LiveState.CONNECTED)
            assert sorted((a.slot, b.slot)) == [1, 2]
            first = [f"7001-{n}" for n in range(1, 21)]
            for n in range(1, 21):
                assert (await post(http, relay.webhook_url, ring(seq=n)))[0] == 200
            await until(lambda: len(seen_a) >= 20 and len(seen_b) >= 20)
            slot_b = b.slot
            await b.stop()  # B's app quits; A stays
            later = [f"7002-{n}" for n in range(1, 6)]
            for n in range(1, 6):
                assert (await post(http, relay.webhook_url, ring(logid=7002, seq=n)))[0] == 200
            await until(lambda: len(seen_a) >= 25)
            b_again = desktop(urls, "b" * 32, seen_b)  # the same installation restarts
            await b_again.start()
            await until(lambda: len(seen_b) >= 25)
            assert b_again.slot == slot_b  # back on its own consumer, so it replayed
            await asyncio.sleep(1.5)  # > ack wait: a redelivery would have shown by now
            assert seen_a == first + later
            # In order, once. (B's replay is in order too unless a message went to its
            # quitting app's last open pull: then it comes after the ack wait, see
            # docs/relay.md; so the replayed tail is compared as a set.)
            assert seen_b[:20] == first and sorted(seen_b[20:]) == later
            assert len(seen_b) == len(set(seen_b)) == 25
            for app in (a, b_again):
                await app.stop()
            assert await consumer_names(urls) == ["desk_2101_1", "desk_2101_2"]

    asyncio.run(scenario())


def test_slots_run_out_in_words_and_an_abandoned_desktop_frees_its_slot(
        nats_single: NatsCluster) -> None:
    urls = nats_single.urls

    async def scenario() -> None:
        async with running_relay(urls) as relay:
            await until(lambda: relay.ready)
            # the last one will be abandoned: only its consumers get a short idle limit
            apps = [desktop(urls, f"{n:032x}", [],
                            inactive_after_s=1.0 if n == DESKTOP_SLOTS - 1 else 3600.0)
                    for n in range(DESKTOP_SLOTS)]
            for app in apps:
                await app.start()
            await until(lambda: all(a.state.value is LiveState.CONNECTED for a in apps))
            assert sorted(a.slot for a in apps) == list(range(1, DESKTOP_SLOTS + 1))
            one_too_many = desktop(urls, "f" * 32, [])
            await one_too_many.start()
            await until(lambda: one_too_many.problem.value.startswith("all 4 desktop places"))
            assert one_too_many.state.value is LiveState.RECONNECTING
            abandoned = apps.pop()
            await abandoned.stop()  # never started again: the server deletes it when idle
            await until(lambda: one_too_many.state.value is LiveState.CONNECTED, within=20)
            assert one_too_many.slot == abandoned.slot and one_too_many.problem.value == ""
            for app in [*apps, one_too_many]:
                await app.stop()

    asyncio.run(scenario())


def test_the_desktop_id_is_made_once_and_kept(tmp_path: Path) -> None:
    first = load_desktop_id(tmp_path / "profile")
    assert len(first) == 32 and load_desktop_id(tmp_path / "profile") == first
    assert load_desktop_id(tmp_path / "other") != first
    (tmp_path / "profile" / DESKTOP_ID_FILE).write_text("not an id\n")
    assert load_desktop_id(tmp_path / "profile") not in (first, "not an id")
