"""Every IvrClient method once, over real HTTP against the sandbox on loopback."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from agentapp.api.client import IvrClient
from agentapp.api.models import CallRecord, ClickConnectLog, SyncCursors
from agentapp.sandbox.thread import SandboxThread
from testkit.waiting import poll_until

ApiRunner = Callable[..., Any]  # the run_api fixture (tests/api/conftest.py)


def _did_digits(number: str) -> str:
    return number.lstrip("+")


def test_account_reads(run_api: ApiRunner) -> None:
    async def reads(c: IvrClient) -> tuple:
        return (
            await c.is_sandbox(),
            await c.validate_token(),
            await c.disposition_statuses(),
            await c.agents(),
            await c.extensions(),
            await c.dids(),
            await c.did_live_status(),
            await c.agent_did_live_status(),
        )

    sandbox, account, statuses, agents, exts, dids, did_live, agent_live = run_api(reads)
    assert sandbox is True
    assert account.account_id
    assert [s.name for s in statuses][:2] == ["Interested", "Not Interested"]
    assert len(statuses) == 7
    assert {a.ext_no for a in agents} == {e.ext_no for e in exts}
    assert all(d.number.startswith("+91") for d in dids)
    assert {d.number for d in did_live} <= {d.number for d in dids}
    assert {a.ext_no for a in agent_live} <= {a.ext_no for a in agents}
    assert all(a.status in ("available", "on_call", "offline") for a in agent_live)


def test_extension_details_and_toggle(run_api: ApiRunner) -> None:
    async def toggle(c: IvrClient) -> tuple:
        ext = (await c.extensions())[0].ext_no
        before = await c.extension_details(ext)
        message = await c.set_extension_enabled(ext, False)
        after = await c.extension_details(ext)
        agents = {a.ext_no: a for a in await c.agents()}
        await c.set_extension_enabled(ext, True)
        return before, message, after, agents[ext], await c.extension_details(ext)

    before, message, after, agent, restored = run_api(toggle)
    assert before.enabled and not after.enabled and not agent.enabled and restored.enabled
    assert "updated" in message.lower()


def test_logs_sync_and_by_number(run_api: ApiRunner) -> None:
    async def logs(c: IvrClient) -> tuple:
        first = await c.sync_call_logs(SyncCursors())
        second = await c.sync_call_logs(first.cursors)
        c2c = await c.c2c_logs()
        dialer = await c.dialer_logs()
        call = first.calls[-1]
        day = call.call_time.date()
        by_day = await c.call_logs(day, day)
        by_number = await c.call_logs_by_number("0" + call.customer_number[-10:])
        c2c_by_number = await c.c2c_logs_by_number("0" + c2c[0].customer_number[-10:])
        return first, second, c2c, dialer, call, by_day, by_number, c2c_by_number

    first, second, c2c, dialer, call, by_day, by_number, c2c_by_number = run_api(logs)
    assert first.calls and first.c2c and dialer
    newest = max(int(r.recordid) for r in first.calls)
    assert first.cursors.call == str(newest)
    assert all(int(r.recordid) > int(first.cursors.call) for r in second.calls)
    assert call.recordid in {r.recordid for r in by_day}
    assert call.recordid in {r.recordid for r in by_number}
    assert all(r.category == "c2c" and r.direction == "outbound" for r in c2c)
    assert c2c[0].recordid in {r.recordid for r in c2c_by_number}
    assert all(r.category == "dialer" for r in dialer)


def test_contacts_roundtrip(run_api: ApiRunner) -> None:
    async def contacts(c: IvrClient) -> tuple:
        missing = await c.get_contact("09123400000")
        new_id = await c.save_contact(name="Test Person", number="9123400000")
        found = await c.get_contact("09123400000")
        agent_found = await c.agent_get_contact("09123400000")
        details = await c.caller_details("9123400000")
        return missing, new_id, found, agent_found, details

    missing, new_id, found, agent_found, details = run_api(contacts)
    assert missing is None
    assert new_id
    assert found is not None and found.name == "Test Person" and found.id == new_id
    assert agent_found == found
    assert details.name == "Test Person"


def test_click_to_call_progresses_and_note_is_saved(
    run_api: ApiRunner, sandbox: SandboxThread
) -> None:
    sandbox.control("POST", "/_sandbox/speed", {"speed": 500})

    async def call(c: IvrClient) -> tuple:
        agent = next(a for a in await c.agents() if a.enabled and not a.expired)
        did = _did_digits(agent.did_no or (await c.dids())[0].number)
        started = await c.click_to_call(did=did, ext_no=agent.ext_no, phone="09876543210")
        first = await c.call_state(started.logid)
        deadline = time.monotonic() + 20
        state = first
        while not state.ended and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
            state = await c.call_state(started.logid)
        statuses = await c.disposition_statuses()
        message = await c.update_call_note(
            record_id=started.recordid, call_status=statuses[0].id, call_type="c2c",
            remark="spoke to customer",
        )
        logs = await c.c2c_logs_by_number("09876543210")
        return started, first, state, message, statuses[0], logs

    started, first, final, message, status, logs = run_api(call)
    assert started.logid.isdigit() and started.message
    assert first.logid == started.logid and first.ext_no
    assert final.ended and final.call_status
    assert "updated" in message.lower()
    record = next(r for r in logs if r.recordid == started.recordid)
    assert record.disposition == str(status.id)
    assert record.note == "spoke to customer"


def test_click_connect_update_and_logs(run_api: ApiRunner) -> None:
    async def masking(c: IvrClient) -> tuple:
        did = _did_digits((await c.dids())[0].number)
        started = await c.click_connect(first_phone="09876543210", second_phone="09812345678",
                                        did=did)
        cancel = await c.click_connect_update(action="cancel", did=did,
                                              first_number="09876543210")
        # The cancelled session's log row is written as the call winds down, just
        # after the answer: wait for it (with a deadline) rather than race it.
        logs: list[ClickConnectLog] = []

        async def logged() -> bool:
            logs[:] = await c.click_connect_logs()
            return any(log.recordid == started.logid for log in logs)

        await poll_until(logged, 5, "the cancelled session in the logs")
        return started, cancel, logs

    started, cancel, logs = run_api(masking)
    assert started.logid or started.masked_did
    assert isinstance(cancel, str)
    assert any(log.recordid == started.logid for log in logs)


def test_register_webhook(run_api: ApiRunner, sandbox: SandboxThread) -> None:
    url = "http://127.0.0.1:9/hook"
    message = run_api(lambda c: c.register_webhook(url, "whsec_test"))
    assert message
    assert sandbox.control("GET", "/_sandbox/info")["webhook_url"] == url


def test_download_recording_streams_with_progress(run_api: ApiRunner, tmp_path: Path) -> None:
    seen: list[tuple[int, int | None]] = []

    async def download(c: IvrClient) -> tuple[CallRecord, Path]:
        batch = await c.sync_call_logs(SyncCursors())
        record = next(r for r in batch.records if r.recording_url)
        dest = tmp_path / "rec" / f"{record.recordid}.mp3"
        return record, await c.download_recording(
            record.recording_url, dest, lambda got, total: seen.append((got, total))
        )

    _, path = run_api(download)
    data = path.read_bytes()
    assert data[:3] == b"ID3" or (data[0] == 0xFF and data[1] & 0xE0 == 0xE0)  # MP3
    assert seen and seen[-1][0] == len(data)
    assert seen[-1][1] in (None, len(data))
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temp file left
