"""The real app (AppRuntime + MainWindow) started with ``--relay``: it registers no
webhook of its own, the status strip says live events are on, and an inbound
call injected at the sandbox reaches the session's intake through the relay."""

from __future__ import annotations

import asyncio
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
from agentapp.single_instance import SingleInstance, instance_name
from testkit.keyrings import MemoryKeyring
from testkit.qt_loop import QtLoop
from testkit.waiting import wait_until

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
