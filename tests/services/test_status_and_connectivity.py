"""StatusService and ConnectivityMonitor against the real sandbox and a dead port."""

from __future__ import annotations

import asyncio
import socket

import pytest

from agentapp.api.client import IvrClient, make_http_client
from agentapp.api.errors import ApiConnectionError, AuthError, ServerError
from agentapp.sandbox.thread import SandboxThread
from agentapp.services.connectivity import ConnectivityMonitor, means_offline
from agentapp.services.status import StatusService, StatusSnapshot
from testkit.sandbox import ivr_client
from testkit.waiting import wait_until


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_status_snapshot_from_sandbox(sandbox: SandboxThread) -> None:
    async def scenario() -> StatusService:
        async with ivr_client(sandbox) as client:
            status = StatusService(client, interval_s=3600)
            snapshot = await status.refresh()
            assert snapshot.fetched_at is not None and not snapshot.error
            return status

    status = asyncio.run(scenario())
    assert set(status.snapshot.value.agents) >= {"2101", "2102", "2103", "2104", "2105"}
    disabled, expired, fine = status.agent("2103"), status.agent("2104"), status.agent(" 2101 ")
    assert disabled is not None and not disabled.enabled
    assert expired is not None and expired.expired
    assert fine is not None and fine.enabled and not fine.expired
    assert status.agent("9999") is None
    for spelling in ("+912261234567", "912261234567", "+91 22 6123 4567"):
        did = status.did(spelling)
        assert did is not None and not did.active
    assert status.did("+911143104567").active  # type: ignore[union-attr]


def test_latest_refresh_wins_and_errors_keep_old_data(sandbox: SandboxThread) -> None:
    async def scenario() -> list[StatusSnapshot]:
        async with ivr_client(sandbox) as client:
            status = StatusService(client, interval_s=3600)
            seen: list[StatusSnapshot] = []
            status.snapshot.subscribe(seen.append)
            status.start()
            await wait_until(lambda: len(seen) == 1)
            sandbox.control("POST", "/_sandbox/faults", {"latency_ms": 300})
            first = asyncio.ensure_future(status.refresh())
            await asyncio.sleep(0.05)
            second = await status.refresh()
            assert await first is second  # the superseded caller gets the newer result
            sandbox.control("POST", "/_sandbox/faults", {"error_rate": 1.0, "error_status": 500})
            failed = await status.refresh()
            sandbox.control("POST", "/_sandbox/faults", {})
            await status.stop()
            assert failed.error and failed.agents == second.agents
            return seen

    seen = asyncio.run(scenario())
    assert len(seen) == 3  # start, the winning manual refresh, the failure
    assert seen[-1].error


def test_only_transport_errors_mean_offline() -> None:
    assert means_offline(ApiConnectionError("x"))
    assert not means_offline(AuthError("x"))
    assert not means_offline(ServerError("x"))
    monitor = ConnectivityMonitor(lambda: asyncio.sleep(0))
    monitor.report_failure(ServerError("down"))
    assert monitor.is_online


def test_offline_then_probe_brings_us_back(sandbox: SandboxThread) -> None:
    """A real connection failure takes us offline; probing the live sandbox recovers."""

    async def scenario() -> list[bool]:
        http = make_http_client("test", timeout=2.0)
        dead = IvrClient(f"http://127.0.0.1:{free_port()}", "t", http=http, retries=0)
        live = IvrClient(sandbox.base_url, sandbox.token, http=http, retries=0)
        probes: list[str] = []

        async def probe() -> object:
            client = dead if len(probes) < 2 else live
            probes.append("dead" if client is dead else "live")
            return await client.dids()

        monitor = ConnectivityMonitor(probe, first_retry_s=0.01, max_retry_s=0.05)
        changes: list[bool] = []
        monitor.online.subscribe(changes.append)
        monitor.start()
        try:
            with pytest.raises(ApiConnectionError) as info:
                await dead.agents()
            monitor.report_failure(info.value)
            assert not monitor.is_online and monitor.last_error
            await wait_until(lambda: monitor.is_online, within=5)
            assert probes == ["dead", "dead", "live"]
        finally:
            await monitor.stop()
            await http.aclose()
        return changes

    assert asyncio.run(scenario()) == [False, True]
