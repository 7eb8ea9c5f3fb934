"""The real app (AppRuntime + MainWindow) started with ``--relay``: it registers no
webhook of its own, the status strip says live events are on, and an inbound
call injected at the sandbox reaches the session's intake through the relay."""

from __future__ import annotations

import asyncio
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from agentapp.cli import parse_launch
from agentapp.core.call import CallEvent, EventKind
from agentapp.relay.natsd import NatsCluster
from agentapp.runtime import AppRuntime
from agentapp.sandbox.thread import SandboxThread
from agentapp.secrets import AsyncSecretStore, SecretStore
from agentapp.services.relay_subscription import RelaySubscription
from agentapp.single_instance import SingleInstance, instance_name
from agentapp.ui.screen_pop import ScreenPopWindow
from testkit.apps import AppUnderTest, launch_app, new_profile
from testkit.keyrings import MemoryKeyring
from testkit.qt_loop import QtLoop
from testkit.waiting import poll_until, wait_until

from .relay_support import ACCOUNT, SECRET, running_relay

DID = "+911143104567"


def test_app_with_relay_shows_live_events_and_receives_an_inbound_ring(
        qapp: QApplication, qloop: QtLoop, data_dirs: Path,
        sandbox: SandboxThread, nats_single: NatsCluster,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENTAPP_TOKEN", sandbox.token)
    profile = "relay-" + uuid.uuid4().hex[:8]
    launch = parse_launch(["--api-url", sandbox.base_url, "--extension", "2101", "--did", DID,
                           "--profile", profile, "--relay", nats_single.urls[0],
                           "--relay-account", ACCOUNT])
    single = SingleInstance(instance_name(profile))
    single.listen()

    async def scenario() -> None:
        async with running_relay(nats_single.urls) as relay:
            await wait_until(lambda: relay.ready, 15, "relay ready")
            await asyncio.to_thread(sandbox.control, "POST", "/_sandbox/webhook",
                                    {"url": relay.webhook_url, "secret": SECRET})
            runtime = AppRuntime(qapp, launch, single, install_hooks=False,
                                 secrets=AsyncSecretStore(SecretStore(MemoryKeyring())))
            task = asyncio.ensure_future(runtime.run())
            try:
                await wait_until(lambda: runtime.started.is_set() or task.done(), 20, "start")
                services: Any = runtime.services
                assert services is not None and services.events.kind == "relay"
                assert services.receiver is None
                pill = runtime.window.status.live  # type: ignore[union-attr]
                await wait_until(lambda: pill.text() == "✓ Live events on", 15, "live events on")
                assert pill.accessibleName() == "Live call events: Live events on"
                info = await asyncio.to_thread(sandbox.control, "GET", "/_sandbox/info")
                assert info["webhook_url"] == relay.webhook_url  # not replaced by the app

                rings: list[CallEvent] = []
                services.intake.events.subscribe(
                    lambda e: rings.append(e) if e and e.kind is EventKind.RING else None)
                answer = await asyncio.to_thread(
                    sandbox.control, "POST", "/_sandbox/inbound",
                    {"from": "09812345678", "did": DID, "ext_no": "2101", "outcome": "missed"})
                await wait_until(lambda: any(r.logid == str(answer["logid"]) for r in rings),
                                 15, "the inbound ring")
            finally:
                runtime.quit()
                await asyncio.wait_for(task, 10)
            assert pill.text() == "… Live events off"

    try:
        qloop.run(scenario())
    finally:
        single.close()


class RelayClock:
    """The relay's clock: wall time plus an offset (-600 = it received this 10 min ago)."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


def pops_titled(app: AppUnderTest, prefix: str) -> list[ScreenPopWindow]:
    return [w for w in app.runtime.pops.windows.values()
            if w.windowTitle().startswith(prefix) and w.isVisible()]


def test_a_relayed_ring_pops_and_a_stale_replayed_one_lands_in_history_only(
        qapp: QApplication, qloop: QtLoop, data_dirs: Path, sandbox: SandboxThread,
        nats_single: NatsCluster) -> None:
    """sandbox -> relay -> NATS -> the real app: a live ring pops "Incoming call: …";
    the calls that rang while the app was closed are replayed on restart into
    history and never pop."""
    clock = RelayClock()
    profile = new_profile("relay-pop")
    argv = ["--api-url", sandbox.base_url, "--extension", "2101", "--did", DID,
            "--relay", nats_single.urls[0], "--relay-account", ACCOUNT]

    async def start() -> AppUnderTest:
        app = await launch_app(argv, profile=profile, env_token=sandbox.token,
                               sandbox=sandbox, app=qapp)
        qloop.finalizers.append(app.stop)
        pill = app.window.status.live
        await wait_until(lambda: pill.text() == "✓ Live events on", 15, "live events on")
        return app

    def inbound(caller: str, outcome: str) -> str:
        answer = sandbox.control("POST", "/_sandbox/inbound", {
            "from": caller, "did": DID, "ext_no": "2101", "outcome": outcome,
            "talk_seconds": 1})
        return str(answer["logid"])

    def all_delivered() -> bool:
        rows = sandbox.control("GET", "/_sandbox/deliveries")["data"]
        return bool(rows) and all(r["state"] == "delivered" for r in rows)

    async def scenario() -> None:
        # Unsigned deliveries here: the relay's clock is moved back below, and a
        # signature is checked against that clock (signing is tested elsewhere).
        async with running_relay(nats_single.urls, clock=clock, webhook_secret="") as relay:
            await wait_until(lambda: relay.ready, 15, "relay ready")
            await asyncio.to_thread(sandbox.control, "POST", "/_sandbox/webhook",
                                    {"url": relay.webhook_url, "secret": ""})
            app = await start()
            started = time.monotonic()
            await asyncio.to_thread(inbound, "09812345678", "answered")
            await wait_until(lambda: pops_titled(app, "Incoming call: +91 98123 45678"), 10,
                             "the pop for a ring that came through the relay")
            print(f"pop through the relay after {time.monotonic() - started:.3f} s")
            await app.stop()

            # While the app is closed a call rings and is missed; the relay got its
            # events ten minutes before the app starts again.
            clock.offset = -600.0
            stale = await asyncio.to_thread(inbound, "09812345670", "missed")
            await wait_until(all_delivered, 20, "the sandbox's deliveries to the relay")
            clock.offset = 0.0

            app = await start()
            services = app.services
            history = services.history
            assert history is not None
            source = services.events
            assert isinstance(source, RelaySubscription)
            await wait_until(lambda: all(source.handled(i) for i in (
                f"{stale}-1", f"record-{stale}")), 30, "the replayed ring and post-call record")
            rows: list[Any] = []

            async def in_history() -> bool:
                rows[:] = await history.store.calls.for_number("+919812345670")
                return bool(rows)

            await poll_until(in_history, 20, "the missed call in the call history")
            assert [r.record_id for r in rows] == [stale]
            assert stale not in app.runtime.pops.windows  # the stale ring never popped
            assert pops_titled(app, "") == []

            # A call ringing now pops in the restarted app (so no pop above was not luck).
            live = await asyncio.to_thread(inbound, "09812345679", "answered")
            await wait_until(lambda: pops_titled(app, "Incoming call: +91 98123 45679"), 10,
                             "the pop after the restart")
            assert set(app.runtime.pops.windows) == {live}

    qloop.run(scenario())
