"""End to end on loopback: sandbox -> relay -> NATS JetStream -> the app's session.

The sandbox (the provider stand-in) delivers its webhooks to the relay; the
app's session, built by ``composition.build_session`` with a relay
configured, subscribes and feeds its EventIntake. With the relay configured
the app registers no webhook of its own, and a forged post never arrives.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp
import httpx

from agentapp.api.client import make_http_client
from agentapp.composition import RelayAccess, build_session
from agentapp.core.call import CallEvent, EventKind
from agentapp.core.events import CallRecordNotice
from agentapp.relay.natsd import NatsCluster
from agentapp.sandbox.thread import SandboxThread
from agentapp.services.event_source import LiveState
from agentapp.settings import Settings
from agentapp.startup import StartPlan

from .relay_support import ACCOUNT, SECRET, post, ring, running_relay, stream_messages

DID = "+911143104567"


async def until(predicate: Callable[[], object], within: float = 20.0) -> None:
    deadline = time.monotonic() + within
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


def test_inbound_call_at_the_sandbox_reaches_the_app_through_the_relay(
        sandbox: SandboxThread, nats_single: NatsCluster, tmp_path: Path,
        data_dirs: Path) -> None:
    async def scenario() -> None:
        http = make_http_client("test", timeout=5.0)
        async with running_relay(nats_single.urls) as relay, aiohttp.ClientSession() as raw:
            await until(lambda: relay.ready)
            await asyncio.to_thread(sandbox.control, "POST", "/_sandbox/webhook",
                                    {"url": relay.webhook_url, "secret": SECRET})
            plan = StartPlan("account", sandbox.base_url, "2101", DID, sandbox.token)
            access = RelayAccess(tuple(nats_single.urls), ACCOUNT)
            services = await build_session(plan, http, Settings(tmp_path / "settings.json"),
                                           register_webhook=False, relay=access)
            try:
                assert services.events.kind == "relay" and services.receiver is None
                events: list[CallEvent | None] = []
                records: list[CallRecordNotice | None] = []
                services.intake.events.subscribe(events.append)
                services.intake.records.subscribe(records.append)
                await until(lambda: services.live.value is LiveState.CONNECTED)
                assert not services.events.healthy  # connected, but nothing proven yet
                info = await asyncio.to_thread(sandbox.control, "GET", "/_sandbox/info")
                assert info["webhook_url"] == relay.webhook_url  # the app registered nothing

                # a forged ring for this extension is refused at the relay
                status, _ = await post(raw, relay.webhook_url, ring(logid=99), secret=None)
                assert status == 401

                answer = await asyncio.to_thread(
                    sandbox.control, "POST", "/_sandbox/inbound",
                    {"from": "09812345678", "did": DID, "ext_no": "2101",
                     "outcome": "answered", "talk_seconds": 1})
                logid = str(answer["logid"])
                # another extension's call never reaches this desktop
                await asyncio.to_thread(
                    sandbox.control, "POST", "/_sandbox/inbound",
                    {"from": "09812345679", "did": "+918044475500", "ext_no": "2102",
                     "outcome": "missed"})
                await until(lambda: any(r and r.recordid == logid for r in records))
                kinds = [e.kind for e in events if e]
                assert kinds[0] is EventKind.RING and kinds[-1] is EventKind.HANGUP
                assert services.events.healthy  # events flow: the tracker may poll less
                ring_event = next(e for e in events if e)
                assert (ring_event.call_type, ring_event.client_no) == ("incoming",
                                                                        "9812345678")
                # the other extension's ring is in the stream, yet never arrived here
                stored = await stream_messages(nats_single.urls)
                assert any(m.subject == "ivr.acme.ext.2102" for m in stored)
                await asyncio.sleep(0.3)
                assert {e.logid for e in events if e} == {logid}
            finally:
                await services.close()
            assert services.live.value is LiveState.OFF
        await http.aclose()

    asyncio.run(scenario())


class ShiftedClock:
    """The desktop's clock: wall time plus an offset the test moves."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


def test_calls_while_the_app_is_closed_replay_into_history_without_popping(
        sandbox: SandboxThread, nats_single: NatsCluster, tmp_path: Path,
        data_dirs: Path) -> None:
    clock = ShiftedClock()

    async def session(access: RelayAccess, http: httpx.AsyncClient) -> Any:
        plan = StartPlan("account", sandbox.base_url, "2101", DID, sandbox.token)
        services = await build_session(plan, http, Settings(tmp_path / "settings.json"),
                                       register_webhook=False, relay=access)
        return services  # subscribing now, before any await, misses no delivery

    async def inbound(outcome: str, caller: str) -> str:
        answer = await asyncio.to_thread(
            sandbox.control, "POST", "/_sandbox/inbound",
            {"from": caller, "did": DID, "ext_no": "2101", "outcome": outcome,
             "talk_seconds": 1})
        return str(answer["logid"])

    async def all_delivered() -> bool:
        rows = (await asyncio.to_thread(sandbox.control, "GET", "/_sandbox/deliveries"))["data"]
        return bool(rows) and all(r["state"] == "delivered" for r in rows)

    async def scenario() -> None:
        http = make_http_client("test", timeout=5.0)
        async with running_relay(nats_single.urls) as relay:
            await until(lambda: relay.ready)
            await asyncio.to_thread(sandbox.control, "POST", "/_sandbox/webhook",
                                    {"url": relay.webhook_url, "secret": SECRET})
            access = RelayAccess(tuple(nats_single.urls), ACCOUNT, clock=clock)
            first: Any = await session(access, http)
            await until(lambda: first.live.value is LiveState.CONNECTED)
            await first.close()  # the app quits (its durable consumer stays)

            missed = await inbound("missed", "09812345670")
            answered = await inbound("answered", "09812345671")
            deadline = time.monotonic() + 20
            while not await all_delivered():
                assert time.monotonic() < deadline, "sandbox deliveries did not finish"
                await asyncio.sleep(0.05)

            clock.offset = 600.0  # the app starts again ten minutes later
            second: Any = await session(access, http)
            pops: list[CallEvent | None] = []
            history: list[CallEvent | None] = []
            records: list[CallRecordNotice | None] = []
            second.intake.events.subscribe(pops.append)
            second.intake.history.subscribe(history.append)
            second.intake.records.subscribe(records.append)
            try:
                await until(lambda: second.live.value is LiveState.CONNECTED)
                await until(lambda: sum(1 for e in history if e) == 5)
                await until(lambda: {r.recordid for r in records if r} == {missed, answered})
                replayed = [e for e in history if e]
                assert sorted((e.logid, e.kind) for e in replayed) == sorted([
                    (missed, EventKind.RING), (missed, EventKind.HANGUP),
                    (answered, EventKind.RING), (answered, EventKind.ANSWER),
                    (answered, EventKind.HANGUP)])
                assert pops == []  # no stale ring popped or reached the tracker

                clock.offset = 0.0  # time runs on; a new call rings now: live, it pops
                live = await inbound("missed", "09812345672")
                await until(lambda: any(e and e.logid == live and e.kind is EventKind.RING
                                        for e in pops))
                assert all(e and e.logid == live for e in pops)
            finally:
                await second.close()
        await http.aclose()

    asyncio.run(scenario())


def test_register_webhook_with_a_relay_registers_the_relay_not_the_app(
        sandbox: SandboxThread, nats_single: NatsCluster, tmp_path: Path,
        data_dirs: Path) -> None:
    """``agentapp --register-webhook --relay-url URL``: the account's one webhook becomes
    the relay's (signed with the relay's secret), and the app starts no receiver."""
    async def scenario() -> None:
        http = make_http_client("test", timeout=5.0)
        async with running_relay(nats_single.urls) as relay:
            await until(lambda: relay.ready)
            plan = StartPlan("account", sandbox.base_url, "2101", DID, sandbox.token)
            access = RelayAccess(tuple(nats_single.urls), ACCOUNT,
                                 webhook_url=relay.webhook_url, webhook_secret=SECRET)
            services = await build_session(plan, http, Settings(tmp_path / "settings.json"),
                                           register_webhook=True, relay=access)
            try:
                assert services.receiver is None and services.events.kind == "relay"
                info = await asyncio.to_thread(sandbox.control, "GET", "/_sandbox/info")
                assert info["webhook_url"] == relay.webhook_url
                events: list[CallEvent | None] = []
                services.intake.events.subscribe(events.append)
                await until(lambda: services.live.value is LiveState.CONNECTED)
                answer = await asyncio.to_thread(
                    sandbox.control, "POST", "/_sandbox/inbound",
                    {"from": "09812345678", "did": DID, "ext_no": "2101", "outcome": "missed"})
                # delivered signed with the relay's secret (else the relay answers 401)
                await until(lambda: any(e and e.logid == str(answer["logid"]) for e in events))
                assert relay.metrics.rejected["signature"] == 0
            finally:
                await services.close()
        await http.aclose()

    asyncio.run(scenario())
