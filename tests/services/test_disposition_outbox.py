"""The disposition outbox end to end: real store file, real IvrClient, the sandbox on loopback.

Time is a FakeClock (the store's and the outbox's); the test advances it and
calls ``deliver_due`` itself, so nothing depends on the wall clock.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agentapp.api.client import IvrClient
from agentapp.sandbox.thread import SandboxThread
from agentapp.services.disposition_outbox import Backoff, DispositionOutbox, RecordChange
from agentapp.services.dispositions import CallRef, Dispositions
from agentapp.store import Store, open_store
from testkit.sandbox import ivr_client
from testkit.waiting import wait_until
from tests.store.store_support import FakeClock

NOTE_PATH = "/api/update_call_note"


@dataclass
class Rig:
    client: IvrClient
    store: Store
    outbox: DispositionOutbox
    dispositions: Dispositions
    clock: FakeClock
    changes: list[RecordChange]


@asynccontextmanager
async def rig(sb: SandboxThread, path: Path, clock: FakeClock | None = None
              ) -> AsyncIterator[Rig]:
    clock = clock or FakeClock()
    async with ivr_client(sb) as client:
        store = await open_store(path, clock=clock)
        outbox = DispositionOutbox(client, store.dispositions, backoff=Backoff(2.0, 60.0),
                                   rand=lambda: 0.5)  # jitter factor exactly 1
        changes: list[RecordChange] = []
        outbox.changed.subscribe(lambda c: changes.append(c) if c else None)
        dispositions = Dispositions(client, store, outbox)
        try:
            yield Rig(client, store, outbox, dispositions, clock, changes)
        finally:
            await dispositions.stop()
            await store.aclose()


async def c2c_refs(client: IvrClient, n: int) -> list[CallRef]:
    records = [r for r in await client.c2c_logs() if r.customer_number][:n]
    assert len(records) == n
    return [CallRef("c2c", r.recordid, "c2c", number=r.customer_number) for r in records]


def notes(sb: SandboxThread) -> list[dict[str, Any]]:
    return list(sb.control("GET", "/_sandbox/notes")["data"])


def faults(sb: SandboxThread, **plan: Any) -> None:
    sb.control("POST", "/_sandbox/faults", plan)


def test_saved_disposition_reaches_the_sandbox(sandbox: SandboxThread, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with rig(sandbox, tmp_path / "s.sqlite3") as r:
            (ref,) = await c2c_refs(r.client, 1)
            await r.dispositions.save_draft(ref, None, "Wants a call")
            assert await r.dispositions.state(ref) == ("draft", "")
            await r.dispositions.save(ref, 3, "Wants a call back at 6")
            assert (await r.dispositions.state(ref))[0] == "pending"
            assert await r.outbox.deliver_due() is None
            assert await r.dispositions.state(ref) == ("sent", "")
            assert r.outbox.counts.value.total == 0
            assert [(n["record_id"], n["call_status"], n["call_remark"])
                    for n in notes(sandbox)] == [(ref.record_id, "3", "Wants a call back at 6")]
            # The sandbox's log now shows it (what a later sync reads back).
            logs = {x.recordid: x for x in await r.client.c2c_logs()}
            assert logs[ref.record_id].disposition == "3"

    asyncio.run(scenario())


def test_faults_keep_items_pending_in_order_then_they_go_in_order(
        sandbox: SandboxThread, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with rig(sandbox, tmp_path / "s.sqlite3") as r:
            refs = await c2c_refs(r.client, 3)
            faults(sandbox, error_rate=1.0, paths=[NOTE_PATH])
            for i, ref in enumerate(refs):
                await r.dispositions.save(ref, 1 + i, f"note {i}")
            wait = await r.outbox.deliver_due()
            assert wait == 2.0  # first backoff: base 2 s x jitter factor 1
            assert r.outbox.counts.value.pending == 3
            states = [await r.dispositions.state(ref) for ref in refs]
            assert states[0][0] == "pending" and "server" in states[0][1].lower()
            assert notes(sandbox) == []
            r.clock.now += 1  # not due yet: nothing is tried
            assert await r.outbox.deliver_due() == 1.0
            r.clock.now += 1
            assert await r.outbox.deliver_due() == 4.0  # second failure: 2 s x 2
            faults(sandbox)
            r.clock.now += 4
            assert await r.outbox.deliver_due() is None
            sent = notes(sandbox)
            assert [n["record_id"] for n in sent] == [ref.record_id for ref in refs]
            assert [n["call_remark"] for n in sent] == ["note 0", "note 1", "note 2"]
            assert r.outbox.counts.value.total == 0

    asyncio.run(scenario())


def test_validation_error_is_a_failure_with_its_reason_then_edit_and_retry(
        sandbox: SandboxThread, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with rig(sandbox, tmp_path / "s.sqlite3") as r:
            bad, good = await c2c_refs(r.client, 2)
            await r.dispositions.save(bad, 99, "status the account does not have")
            await r.dispositions.save(good, 2, "")
            assert await r.outbox.deliver_due() is None
            state, reason = await r.dispositions.state(bad)
            assert state == "failed" and "call_status" in reason
            assert r.outbox.counts.value.failed == 1
            assert [n["record_id"] for n in notes(sandbox)] == [good.record_id]  # not held up
            assert any(c.record_id == bad.record_id and c.state == "failed" for c in r.changes)
            # Edit and retry: the agent picks a real status and saves again.
            await r.dispositions.save_draft(bad, 4, "status the account does not have")
            assert (await r.dispositions.state(bad))[0] == "draft"
            await r.dispositions.save(bad, 4, "wrong number after all")
            assert await r.outbox.deliver_due() is None
            assert await r.dispositions.state(bad) == ("sent", "")
            assert r.outbox.counts.value.total == 0
            assert [n["record_id"] for n in notes(sandbox)] == [good.record_id, bad.record_id]

    asyncio.run(scenario())


def test_unknown_record_fails_with_the_servers_reason(
        sandbox: SandboxThread, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with rig(sandbox, tmp_path / "s.sqlite3") as r:
            ref = CallRef("c2c", "999999999", "c2c")
            await r.dispositions.save(ref, 1, "")
            await r.outbox.deliver_due()
            state, reason = await r.dispositions.state(ref)
            assert state == "failed" and "Record not found" in reason

    asyncio.run(scenario())


def test_answer_lost_after_the_server_applied_it_is_not_sent_twice(
        sandbox: SandboxThread, tmp_path: Path) -> None:
    """A truncated answer: the server did apply it. The retry checks the log first."""
    async def scenario() -> None:
        async with rig(sandbox, tmp_path / "s.sqlite3") as r:
            (ref,) = await c2c_refs(r.client, 1)
            faults(sandbox, truncated_rate=1.0, paths=[NOTE_PATH], count=1)
            await r.dispositions.save(ref, 6, "converted on the call")
            assert await r.outbox.deliver_due() == 2.0
            assert (await r.dispositions.state(ref))[0] == "pending"
            assert len(notes(sandbox)) == 1  # applied, but we could not read the answer
            r.clock.now += 2
            assert await r.outbox.deliver_due() is None
            assert await r.dispositions.state(ref) == ("sent", "")
            assert len(notes(sandbox)) == 1  # verified in the log, not sent again

    asyncio.run(scenario())


def test_rate_limit_waits_at_least_retry_after(sandbox: SandboxThread, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with rig(sandbox, tmp_path / "s.sqlite3") as r:
            (ref,) = await c2c_refs(r.client, 1)
            faults(sandbox, rate_limit_retry_after=30, paths=[NOTE_PATH], count=1)
            await r.dispositions.save(ref, 1, "")
            assert await r.outbox.deliver_due() == 30.0
            r.clock.now += 30
            assert await r.outbox.deliver_due() is None
            assert len(notes(sandbox)) == 1

    asyncio.run(scenario())


def test_queue_survives_a_restart_and_statuses_are_cached(
        sandbox: SandboxThread, tmp_path: Path) -> None:
    async def scenario() -> None:
        path = tmp_path / "s.sqlite3"
        async with rig(sandbox, path) as r:
            await r.dispositions.start()
            await r.outbox.stop()  # the app quits before anything is sent
            await r.dispositions.refresh_statuses()
            assert [s.name for s in r.dispositions.statuses.value][:2] == [
                "Interested", "Not Interested"]
            (ref,) = await c2c_refs(r.client, 1)
            await r.dispositions.save(ref, 5, "do not call")
        assert notes(sandbox) == []
        faults(sandbox, error_rate=1.0)  # statuses cannot be fetched: the cache is used
        async with rig(sandbox, path) as r:
            await r.dispositions.start()
            assert len(r.dispositions.statuses.value) == 7
            faults(sandbox)
            r.outbox.wake()
            # The background loop sends it at start.
            await wait_until(lambda: not r.outbox.counts.value.pending and bool(notes(sandbox)))
            assert [n["record_id"] for n in notes(sandbox)] == [ref.record_id]

    asyncio.run(scenario())


def test_backoff_grows_exponentially_with_bounded_jitter() -> None:
    b = Backoff(2.0, 60.0)
    assert [b.delay(n, 0.5) for n in range(6)] == [2.0, 4.0, 8.0, 16.0, 32.0, 60.0]
    assert b.delay(3, 0.0) == 8.0 and b.delay(3, 0.999) < 24.0
