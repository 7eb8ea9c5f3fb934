"""The store never runs sqlite on the caller's thread, and closes cleanly."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest

from agentapp.store import open_store
from agentapp.store.worker import StoreClosedError
from tests.store.store_support import call, opened


def test_work_runs_on_store_threads(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with opened(tmp_path / "s.sqlite3") as store:
            loop_thread = threading.get_ident()

            def where(_conn: sqlite3.Connection) -> int:
                return threading.get_ident()

            writer = await store.write(where)
            readers = {await store.read(where) for _ in range(4)}
            assert loop_thread not in {writer, *readers}
            assert writer not in readers
            assert len(readers) == 2

    asyncio.run(scenario())


def test_readers_see_committed_writes_while_the_loop_runs(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with opened(tmp_path / "s.sqlite3") as store:
            ticks = 0

            async def heartbeat() -> None:
                nonlocal ticks
                while True:
                    ticks += 1
                    await asyncio.sleep(0)

            beat = asyncio.create_task(heartbeat())
            await store.calls.upsert([call(str(i), started_at=i) for i in range(2000)])
            beat.cancel()
            assert ticks > 0  # the loop kept running during the write
            assert await store.calls.count() == 2000

    asyncio.run(scenario())


def test_errors_come_back_to_the_caller(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with opened(tmp_path / "s.sqlite3") as store:
            def bad(conn: sqlite3.Connection) -> None:
                conn.execute("INSERT INTO calls (source) VALUES ('nope')")

            with pytest.raises(sqlite3.IntegrityError):
                await store.write(bad)
            assert await store.calls.count() == 0  # and the writer still works
            await store.calls.upsert([call("1")])
            assert await store.calls.count() == 1

    asyncio.run(scenario())


def test_closed_store_refuses_work(tmp_path: Path) -> None:
    async def scenario() -> None:
        store = await open_store(tmp_path / "s.sqlite3")
        await store.aclose()
        await store.aclose()  # idempotent
        with pytest.raises(StoreClosedError):
            await store.calls.count()

    asyncio.run(scenario())


def test_unopenable_path_fails_with_the_cause(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")

    async def scenario() -> None:
        with pytest.raises((sqlite3.Error, OSError)):
            await open_store(blocker / "s.sqlite3")

    asyncio.run(scenario())


def test_data_survives_reopen(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with opened(tmp_path / "s.sqlite3") as store:
            await store.calls.upsert([call("1")])
        async with opened(tmp_path / "s.sqlite3") as store:
            assert await store.calls.count() == 1

    asyncio.run(scenario())
