"""Drafts and the outbox (schema for issue 10): atomic commit, order, one open item per call."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from agentapp.store.connection import open_connection
from agentapp.store.dispositions_repo import Draft, StatusRow, commit_disposition
from agentapp.store.migrations import migrate
from tests.store.store_support import T0, FakeClock, opened


def _draft(record_id: str, status: int | None = 1, remark: str = "") -> Draft:
    return Draft(source="call", record_id=record_id, call_type="incoming", status_id=status,
                 remark=remark)


def test_draft_then_commit_then_deliver_in_order(tmp_path: Path) -> None:
    clock = FakeClock()

    async def scenario() -> None:
        async with opened(tmp_path / "s.sqlite3", clock) as store:
            await store.dispositions.save_draft(_draft("1", None, "Call aft"))
            await store.dispositions.save_draft(_draft("1", 2, "Call after 6 pm"))
            draft = await store.dispositions.draft("call", "1")
            assert draft is not None and draft.remark == "Call after 6 pm"
            assert [d.record_id for d in await store.dispositions.open_drafts()] == ["1"]

            first = await store.dispositions.commit(_draft("1", 2, "Call after 6 pm"))
            second = await store.dispositions.commit(_draft("2", 3))
            assert first < second
            assert await store.dispositions.open_drafts() == []
            done = await store.dispositions.draft("call", "1")
            assert done is not None and done.state == "done"

            due = await store.dispositions.next_due()
            assert due is not None and due.seq == first and due.remark == "Call after 6 pm"
            await store.dispositions.mark_retry(first, int(clock.now) + 30, "timeout")
            assert await store.dispositions.next_due() is None  # never skips ahead of #1
            clock.now += 30
            due = await store.dispositions.next_due()
            assert due is not None and (due.seq, due.attempts, due.reason) == (first, 1, "timeout")
            await store.dispositions.mark_sent(first)
            due = await store.dispositions.next_due()
            assert due is not None and due.seq == second
            await store.dispositions.mark_failed(second, "call_status is invalid")
            assert await store.dispositions.counts() == {"pending": 0, "sent": 1, "failed": 1}
            failed = await store.dispositions.items(["failed"])
            assert failed[0].reason == "call_status is invalid"

    asyncio.run(scenario())


def test_resave_replaces_the_unsent_item(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with opened(tmp_path / "s.sqlite3") as store:
            await store.dispositions.commit(_draft("1", 1, "first"))
            await store.dispositions.commit(_draft("2", 1))
            await store.dispositions.commit(_draft("1", 4, "second"))
            pending = await store.dispositions.items(["pending"])
            assert [(i.record_id, i.remark) for i in pending] == [("2", ""), ("1", "second")]

    asyncio.run(scenario())


def test_commit_is_atomic(tmp_path: Path) -> None:
    """If queueing fails, the draft stays open: the disposition is never in neither place."""
    conn = open_connection(tmp_path / "s.sqlite3")
    migrate(conn)
    from agentapp.store.dispositions_repo import get_draft, save_draft

    save_draft(conn, _draft("1", 1, "keep me"), T0)
    conn.execute("CREATE TRIGGER boom BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'x'); END")
    with pytest.raises(sqlite3.IntegrityError):
        commit_disposition(conn, _draft("1", 1, "keep me"), T0)
    draft = get_draft(conn, "call", "1")
    assert draft is not None and (draft.state, draft.remark) == ("editing", "keep me")
    assert conn.execute("SELECT COUNT(*) FROM outbox").fetchone()[0] == 0
    conn.close()


def test_commit_needs_a_status(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with opened(tmp_path / "s.sqlite3") as store:
            with pytest.raises(ValueError, match="status"):
                await store.dispositions.commit(_draft("1", None))

    asyncio.run(scenario())


def test_status_cache_keeps_server_order(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with opened(tmp_path / "s.sqlite3") as store:
            statuses = [StatusRow(5, "Interested"), StatusRow(1, "Call back")]
            await store.dispositions.replace_statuses(statuses)
            assert await store.dispositions.statuses() == statuses

    asyncio.run(scenario())
