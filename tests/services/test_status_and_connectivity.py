"""StatusService and ConnectivityMonitor against the real sandbox and a dead port."""

from __future__ import annotations

import asyncio
import socket

from agentapp.api.client import IvrClient, make_http_client
from agentapp.api.errors import ApiConnectionError, AuthError, ServerError
from agentapp.sandbox.config import SandboxConfig
from agentapp.sandbox.thread import SandboxThread
from agentapp.services.connectivity import ConnectivityMonitor, ConnState, means_offline
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
    assert monitor.is_online  # degraded, not offline


def test_offline_then_probe_brings_us_back(sandbox: SandboxThread) -> None:
    """A real connection failure takes us offline; probing the live sandbox recovers."""

    async def scenario() -> tuple[list[bool], list[str]]:
        http = make_http_client("test", timeout=2.0)
        dead = IvrClient(f"http://127.0.0.1:{free_port()}", "t", http=http, retries=0)
        live = IvrClient(sandbox.base_url, sandbox.token, http=http, retries=0)
        probes: list[str] = []
        use_live = asyncio.Event()

        async def probe() -> object:
            client = live if use_live.is_set() else dead
            probes.append("live" if client is live else "dead")
            return await client.dids()

        monitor = ConnectivityMonitor(probe, interval_s=3600, first_retry_s=0.01,
                                      max_retry_s=0.05)
        changes: list[bool] = []
        monitor.online.subscribe(changes.append)
        monitor.start()
        try:
            await wait_until(lambda: probes.count("dead") >= 3, within=5)
            assert not monitor.is_online and monitor.last_error
            assert monitor.state is ConnState.OFFLINE
            use_live.set()
            await wait_until(lambda: monitor.is_online, within=5)
        finally:
            await monitor.stop()
            await http.aclose()
        return changes, probes

    changes, probes = asyncio.run(scenario())
    assert changes == [False, True]
    assert probes[-1] == "live" and set(probes[:-1]) == {"dead"}


def _sandbox_on(port: int) -> SandboxThread:
    sb = SandboxThread(SandboxConfig(host="127.0.0.1", port=port, seed=1, speed=20.0,
                                     history=10))
    sb.start()
    return sb


def test_outage_detected_by_the_next_probe_and_recovered_after_restart() -> None:
    """No request in flight: the periodic probe alone notices the server going away
    (the first probe after the stop), and notices it coming back on the same port,
    with ``recovered`` fired once and the last error cleared."""
    first = _sandbox_on(0)
    port = int(first.base_url.rsplit(":", 1)[1])
    interval = 0.3
    holder: list[SandboxThread] = [first]

    async def scenario() -> tuple[list[ConnState], int, int, list[float]]:
        async with ivr_client(first) as client:
            probes: list[float] = []

            async def probe() -> object:
                probes.append(asyncio.get_running_loop().time())
                return await client.disposition_statuses()

            monitor = ConnectivityMonitor(probe, interval_s=interval, first_retry_s=0.05,
                                          max_retry_s=0.2)
            states: list[ConnState] = []
            monitor.health.subscribe(lambda h: states.append(h.state)
                                     if not states or states[-1] is not h.state else None)
            recoveries: list[float] = []
            monitor.recovered.subscribe(recoveries.append)
            monitor.start()
            try:
                await wait_until(lambda: monitor.state is ConnState.ONLINE, within=10)
                await asyncio.get_running_loop().run_in_executor(None, first.stop)
                probes_at_stop = len(probes)
                await wait_until(lambda: monitor.state is ConnState.OFFLINE, within=10)
                probes_to_notice = len(probes) - probes_at_stop
                assert monitor.last_error
                holder.append(await asyncio.get_running_loop().run_in_executor(
                    None, _sandbox_on, port))
                await wait_until(lambda: monitor.state is ConnState.ONLINE, within=10)
                assert monitor.last_error == "" and monitor.health.value.error_at is None
            finally:
                await monitor.stop()
            return states, probes_to_notice, len(recoveries), probes

    try:
        states, probes_to_notice, recoveries, probes = asyncio.run(scenario())
    finally:
        for sb in holder:
            sb.stop()
    assert probes_to_notice == 1  # the very next probe, at most one interval later
    assert states == [ConnState.ONLINE, ConnState.OFFLINE, ConnState.ONLINE]
    assert recoveries == 1
    assert probes[1] - probes[0] >= interval * 0.9  # paced while online, not spinning


def test_server_errors_mean_degraded_and_a_refused_token_means_signed_out(
        sandbox: SandboxThread) -> None:
    async def scenario() -> list[ConnState]:
        async with ivr_client(sandbox) as client:
            monitor = ConnectivityMonitor(client.disposition_statuses, interval_s=0.2,
                                          first_retry_s=0.05, max_retry_s=0.1)
            states: list[ConnState] = []
            monitor.health.subscribe(lambda h: states.append(h.state)
                                     if not states or states[-1] is not h.state else None)
            monitor.start()
            try:
                await wait_until(lambda: monitor.state is ConnState.ONLINE)
                sandbox.control("POST", "/_sandbox/faults", {"error_rate": 1.0})
                await wait_until(lambda: monitor.state is ConnState.DEGRADED)
                assert monitor.is_online  # degraded still lets the agent try
                sandbox.control("POST", "/_sandbox/faults", {})
                await wait_until(lambda: monitor.state is ConnState.ONLINE)
                sandbox.control("POST", "/_sandbox/faults",
                                {"error_rate": 1.0, "error_status": 401})
                await wait_until(lambda: monitor.state is ConnState.SIGNED_OUT)
                sandbox.control("POST", "/_sandbox/faults", {})
            finally:
                await monitor.stop()
            return states

    assert asyncio.run(scenario()) == [ConnState.ONLINE, ConnState.DEGRADED, ConnState.ONLINE,
                                       ConnState.SIGNED_OUT]


def test_client_errors_prove_nothing_about_the_connection() -> None:
    from agentapp.api.errors import ValidationError

    monitor = ConnectivityMonitor(lambda: asyncio.sleep(0))
    monitor.report_failure(ValidationError("bad number"))
    assert monitor.state is ConnState.CHECKING
    monitor.report_failure(ServerError("x"))
    assert monitor.state is ConnState.DEGRADED and monitor.is_online
    monitor.report_failure(ApiConnectionError("x"))
    assert monitor.state is ConnState.OFFLINE and not monitor.is_online
    monitor.report_success()
    assert monitor.state is ConnState.ONLINE and monitor.last_error == ""


# -- the words the strip shows (pure: no window, no wall clock) -------------------------

def test_connection_pill_says_state_in_words_icon_and_name() -> None:
    from datetime import datetime

    from agentapp.qt.status_text import connection_message, connection_pill
    from agentapp.services.connectivity import Health

    since = datetime(2026, 3, 4, 10, 42).timestamp()  # local 10:42 in any time zone
    offline = Health(ConnState.OFFLINE, since, "Could not reach the API.", since + 5)
    pill = connection_pill(offline, since + 65, 10.0)
    assert (pill.text, pill.tone) == ("✕ Offline", "bad")
    assert pill.accessible == "API: offline since 10:42"
    assert "Last error (1 min ago): Could not reach the API." in pill.tooltip
    message = connection_message(offline)
    assert message.startswith("Offline since 10:42") and "reconnects by itself" in message
    assert "Settings" not in message and "queued" not in message
    online = connection_pill(Health(ConnState.ONLINE, since), since + 1, 10.0)
    assert (online.text, online.accessible) == ("✓ Online", "API: online")
    assert connection_message(Health(ConnState.ONLINE, since)) == ""
    refused = connection_message(Health(ConnState.SIGNED_OUT, since))
    assert "File → Sign in to IVR Solutions…" in refused
    degraded = connection_pill(Health(ConnState.DEGRADED, since, "Server problem.", since), since,
                               10.0)
    assert degraded.tone == "warn" and degraded.accessible == "API: degraded since 10:42"


def test_line_pills_never_say_checking_forever() -> None:
    from datetime import date

    from agentapp.api.models import Agent, Did
    from agentapp.qt.status_text import did_pill, extension_pill

    unknown = extension_pill("2101", None, snapshot=StatusSnapshot(), offline=True)
    assert unknown.accessible == "My extension 2101: unknown"
    assert "cannot be reached" in unknown.tooltip and "Checking" not in unknown.tooltip
    failed = extension_pill("2101", None, snapshot=StatusSnapshot(error="Server problem."))
    assert failed.tooltip == "Could not be checked: Server problem."
    fetched = StatusSnapshot(fetched_at=1.0)
    assert extension_pill("2199", None, snapshot=fetched).accessible.endswith("not in this account")
    agent = Agent("2101", "Priya", "", True, False, date(2026, 3, 10), "+911143104567")
    near = extension_pill("2101", agent, today=date(2026, 3, 1))
    assert near.tone == "warn" and near.text.endswith("expires 10 Mar 2026")
    assert near.accessible == "My extension 2101: enabled, expires on 10 Mar 2026"
    far = extension_pill("2101", agent, today=date(2025, 3, 1))
    assert far.tone == "ok" and "expires" not in far.text and "10 Mar 2026" in far.accessible
    inactive = did_pill("+912261234567", Did("+912261234567", "Mumbai", False, "landline"))
    assert inactive.tone == "bad" and inactive.accessible.endswith(": inactive")


def test_sync_pill_reads_any_sync_state() -> None:
    from dataclasses import dataclass
    from datetime import datetime

    from agentapp.qt.status_text import sync_pill

    @dataclass(frozen=True)
    class Sync:
        phase: str
        last_synced_at: int | None
        detail: str = ""

    at = int(datetime(2026, 3, 4, 9, 5).timestamp())
    assert sync_pill(Sync("idle", at), at + 120).accessible == \
        "History sync: last synced 09:05 (2 min ago)"
    retrying = sync_pill(Sync("retrying", at), at + 10)
    assert retrying.tone == "warn" and retrying.accessible.startswith("History sync: retrying")
    assert sync_pill(Sync("idle", None), at).accessible == "History sync: not synced yet"


def test_tracker_says_contact_lost_at_once_and_does_not_expire_meanwhile() -> None:
    from agentapp.core.call import ExpiryLimits
    from agentapp.services.call_tracker import CallTracker

    now = [1000.0]

    class NoApi:
        async def call_state(self, logid: str) -> object:
            raise AssertionError("not polled in this test")

    tracker = CallTracker(NoApi(), clock=lambda: now[0], limits=ExpiryLimits())
    seen: list[bool] = []
    tracker.changed.subscribe(lambda tl: seen.append(bool(tl and tl.contact_lost)))
    call = tracker.begin("2101", "+91 98765 43210")
    tracker.set_contact_lost(True)
    assert seen[-1] is True and tracker.get(call.call_id).contact_lost  # type: ignore[union-attr]
    now[0] += 3600
    tracker.tick()
    timeline = tracker.get(call.call_id)
    assert timeline is not None and timeline.is_live
    tracker.set_contact_lost(False)
    assert seen[-1] is False
    tracker.tick()  # still within the grace for polling to catch up
    assert tracker.get(call.call_id).is_live
