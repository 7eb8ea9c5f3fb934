"""A thread that owns one sqlite connection; coroutines hand it work and await the result.

sqlite connections belong to the thread that opened them, and disk I/O must
never run on the UI/event-loop thread, so each connection lives in its own
worker thread for its whole life: the store has one writer worker (all writes
are serialised there, in order) and a few reader workers (WAL lets them read
while the writer writes).
"""

from __future__ import annotations

import asyncio
import queue
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

T = TypeVar("T")
Job = Callable[[sqlite3.Connection], Any]


class StoreClosedError(RuntimeError):
    """Work was submitted after the store was closed."""


class DbWorker:
    """One thread, one connection, jobs run in submission order."""

    def __init__(self, name: str, connect: Callable[[], sqlite3.Connection]) -> None:
        self._jobs: queue.SimpleQueue[tuple[Job, Future[Any]] | None] = queue.SimpleQueue()
        self._connect = connect
        self._closed = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, job: Callable[[sqlite3.Connection], T]) -> Future[T]:
        if self._closed:
            raise StoreClosedError("the history store is closed")
        future: Future[T] = Future()
        self._jobs.put((job, future))
        return future

    async def run(self, job: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``job(conn)`` on this worker's thread; the loop stays free meanwhile."""
        return await asyncio.wrap_future(self.submit(job))

    def close(self) -> None:
        """Finish queued jobs, close the connection, join the thread (idempotent)."""
        if self._closed:
            return
        self._closed = True
        self._jobs.put(None)
        self._thread.join()

    async def aclose(self) -> None:
        """``close`` without blocking the loop while queued jobs finish."""
        await asyncio.to_thread(self.close)

    def _run(self) -> None:
        """Open, then serve jobs; a failure to open fails every job with that error."""
        conn: sqlite3.Connection | None = None
        failure: BaseException | None = None
        try:
            conn = self._connect()
        except BaseException as exc:
            failure = exc
        try:
            while True:
                item = self._jobs.get()
                if item is None:
                    return
                job, future = item
                if not future.set_running_or_notify_cancel():
                    continue
                if conn is None:
                    future.set_exception(failure or StoreClosedError("no connection"))
                    continue
                try:
                    future.set_result(job(conn))
                except BaseException as exc:
                    future.set_exception(exc)
                # Drop the finished job now, not when the next one arrives: a sync's
                # write holds 100,000 rows, which would otherwise stay alive (and be
                # walked by every garbage-collector pass) until the next write.
                del item, job, future
        finally:
            if conn is not None:
                conn.close()
