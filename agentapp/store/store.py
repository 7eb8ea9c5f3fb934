"""The store's async face: one writer thread, a few reader threads, typed repositories.

Every method is a coroutine that hands the work to a worker thread (see
:mod:`agentapp.store.worker`), so the event loop (the UI thread under qasync)
never touches the disk. Writes are serialised in submission order on the one
writer connection; reads go round-robin to reader connections and see the
last committed state (WAL).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import TypeVar

from agentapp.store import calls_repo, contacts_repo, dispositions_repo, sync_state
from agentapp.store.calls_repo import DaySummary, HistoryFilter, HistoryQuery, UpsertResult
from agentapp.store.connection import open_connection
from agentapp.store.dispositions_repo import (
    Draft,
    OutboxItem,
    OutboxState,
    RecordState,
    StatusRow,
)
from agentapp.store.migrations import migrate
from agentapp.store.rows import CallRow, ContactRow, HistoryRow
from agentapp.store.worker import DbWorker, Job

T = TypeVar("T")
Clock = Callable[[], float]


class _Db:
    """The workers and the clock that repositories share."""

    def __init__(self, writer: DbWorker, readers: Sequence[DbWorker], clock: Clock) -> None:
        self.writer = writer
        self.readers = readers
        self._next_reader = itertools.cycle(readers)
        self.clock = clock

    def now(self) -> int:
        return int(self.clock())

    async def write(self, job: Callable[..., T]) -> T:
        return await self.writer.run(job)

    async def read(self, job: Callable[..., T]) -> T:
        return await next(self._next_reader).run(job)


class CallsStore:
    def __init__(self, db: _Db) -> None:
        self._db = db

    async def upsert(
        self, calls: Iterable[CallRow], state: Mapping[str, str] | None = None
    ) -> int:
        """Store calls (and sync state, same transaction); returns how many were new."""
        rows = list(calls)
        return await self._db.write(
            partial(calls_repo.upsert_calls, calls=rows, now=self._db.now(), state=state)
        )

    async def upsert_counted(
        self, calls: Iterable[CallRow], state: Mapping[str, str] | None = None
    ) -> UpsertResult:
        """Like ``upsert``, also counting stored calls that changed (views reload then)."""
        rows = list(calls)
        return await self._db.write(
            partial(calls_repo.upsert_calls_counted, calls=rows, now=self._db.now(),
                    state=state)
        )

    async def get(self, source: str, record_id: str) -> CallRow | None:
        return await self._db.read(partial(calls_repo.get_call, source=source,
                                           record_id=record_id))

    async def for_number(self, number: str, limit: int = 50) -> list[CallRow]:
        return await self._db.read(partial(calls_repo.calls_for_number, number=number,
                                           limit=limit))

    async def between(self, start: int, end: int, source: str | None = None) -> list[CallRow]:
        return await self._db.read(partial(calls_repo.calls_between, start=start, end=end,
                                           source=source))

    async def count(self) -> int:
        return await self._db.read(calls_repo.count_calls)

    async def history_count(self, f: HistoryFilter, limit: int | None = None) -> int:
        return await self._db.read(partial(calls_repo.count_history, f=f, limit=limit))

    async def history_page(self, query: HistoryQuery, offset: int, limit: int) -> list[HistoryRow]:
        return await self._db.read(partial(calls_repo.history_page, query=query, offset=offset,
                                           limit=limit))

    async def dids(self) -> list[str]:
        return await self._db.read(calls_repo.distinct_dids)

    async def day_summary(self, start: int, end: int, ext_no: str = "") -> DaySummary:
        return await self._db.read(partial(calls_repo.day_summary, start=start, end=end,
                                           ext_no=ext_no))


class ContactsStore:
    def __init__(self, db: _Db) -> None:
        self._db = db

    async def upsert(self, contacts: Iterable[ContactRow]) -> None:
        rows = list(contacts)
        await self._db.write(partial(contacts_repo.upsert_contacts, contacts=rows,
                                     now=self._db.now()))

    async def get(self, number: str) -> ContactRow | None:
        return await self._db.read(partial(contacts_repo.get_contact, number=number))

    async def delete(self, number: str) -> None:
        await self._db.write(partial(contacts_repo.delete_contact, number=number))

    async def search(self, text: str, limit: int = 20) -> list[ContactRow]:
        return await self._db.read(partial(contacts_repo.search_contacts, text=text,
                                           limit=limit))


class DispositionsStore:
    def __init__(self, db: _Db) -> None:
        self._db = db

    async def replace_statuses(self, statuses: Sequence[StatusRow]) -> None:
        await self._db.write(partial(dispositions_repo.replace_statuses, statuses=statuses,
                                     now=self._db.now()))

    async def statuses(self) -> list[StatusRow]:
        return await self._db.read(dispositions_repo.cached_statuses)

    async def save_draft(self, draft: Draft) -> None:
        await self._db.write(partial(dispositions_repo.save_draft, draft=draft,
                                     now=self._db.now()))

    async def draft(self, source: str, record_id: str) -> Draft | None:
        return await self._db.read(partial(dispositions_repo.get_draft, source=source,
                                           record_id=record_id))

    async def open_drafts(self) -> list[Draft]:
        return await self._db.read(dispositions_repo.open_drafts)

    async def commit(self, draft: Draft) -> int:
        """Draft done + outbox item, one transaction; returns the item's seq."""
        return await self._db.write(partial(dispositions_repo.commit_disposition, draft=draft,
                                            now=self._db.now()))

    async def next_due(self) -> OutboxItem | None:
        # On the writer: it must see the writer's own latest commits, in order.
        return await self._db.write(partial(dispositions_repo.next_due, now=self._db.now()))

    async def mark_sent(self, seq: int) -> None:
        await self._db.write(partial(dispositions_repo.mark_sent, seq=seq, now=self._db.now()))

    async def mark_retry(self, seq: int, next_attempt_at: int, reason: str) -> None:
        await self._db.write(partial(dispositions_repo.mark_retry, seq=seq,
                                     next_attempt_at=next_attempt_at, reason=reason))

    async def mark_failed(self, seq: int, reason: str) -> None:
        await self._db.write(partial(dispositions_repo.mark_failed, seq=seq, reason=reason))

    async def items(self, states: Sequence[OutboxState]) -> list[OutboxItem]:
        return await self._db.read(partial(dispositions_repo.outbox_items, states=states))

    async def counts(self) -> dict[str, int]:
        return await self._db.read(dispositions_repo.outbox_counts)

    # Delivery bookkeeping: on the writer, so each step sees the previous one.
    async def begin_attempt(self, seq: int) -> None:
        await self._db.write(partial(dispositions_repo.begin_attempt, seq=seq,
                                     now=self._db.now()))

    async def in_flight(self) -> int | None:
        return await self._db.write(dispositions_repo.in_flight)

    async def finish_sent(self, seq: int) -> None:
        await self._db.write(partial(dispositions_repo.finish_sent, seq=seq,
                                     now=self._db.now()))

    async def finish_retry(self, seq: int, next_attempt_at: int, reason: str, *,
                           maybe_applied: bool) -> None:
        await self._db.write(partial(dispositions_repo.finish_retry, seq=seq,
                                     next_attempt_at=next_attempt_at, reason=reason,
                                     maybe_applied=maybe_applied, now=self._db.now()))

    async def finish_failed(self, seq: int, reason: str) -> None:
        await self._db.write(partial(dispositions_repo.finish_failed, seq=seq, reason=reason,
                                     now=self._db.now()))

    async def make_due(self) -> int:
        return await self._db.write(partial(dispositions_repo.make_due, now=self._db.now()))

    async def head_pending(self) -> OutboxItem | None:
        return await self._db.write(dispositions_repo.head_pending)

    async def state(self, source: str, record_id: str) -> tuple[RecordState, str]:
        # A reader: a long history write on the writer must not hold up what the form shows
        # (callers await their own writes first, and WAL readers see every commit).
        return await self._db.read(partial(dispositions_repo.record_state, source=source,
                                           record_id=record_id))

    async def states(self, keys: Sequence[tuple[str, str]]
                     ) -> dict[tuple[str, str], tuple[RecordState, str]]:
        return await self._db.read(partial(dispositions_repo.record_states, keys=list(keys)))

    async def local_states(self) -> dict[tuple[str, str], tuple[RecordState, str]]:
        return await self._db.read(dispositions_repo.local_states)

    def now(self) -> int:
        """The store's clock (outbox due times are compared with it)."""
        return self._db.now()


class SyncStateStore:
    def __init__(self, db: _Db) -> None:
        self._db = db

    async def get(self, key: str, default: str = "") -> str:
        return await self._db.read(partial(sync_state.get_state, key=key, default=default))

    async def all(self) -> dict[str, str]:
        return await self._db.read(sync_state.all_state)

    async def set(self, values: Mapping[str, str]) -> None:
        await self._db.write(partial(sync_state.set_state, values=dict(values),
                                     now=self._db.now()))


class Store:
    """One profile's database. Create with :func:`open_store`; close with ``aclose``."""

    def __init__(self, db: _Db, path: Path) -> None:
        self._db = db
        self.path = path
        self.calls = CallsStore(db)
        self.contacts = ContactsStore(db)
        self.dispositions = DispositionsStore(db)
        self.sync = SyncStateStore(db)

    async def write(self, job: Job) -> object:
        """Escape hatch for a multi-table write in one job (runs on the writer)."""
        return await self._db.write(job)

    async def read(self, job: Job) -> object:
        return await self._db.read(job)

    async def aclose(self) -> None:
        for worker in (self._db.writer, *self._db.readers):
            await worker.aclose()


async def open_store(path: Path, *, clock: Clock = time.time, readers: int = 2) -> Store:
    """Open (creating and migrating as needed) without blocking the loop.

    Migration runs on the writer before any reader opens, so readers always
    see the current schema.
    """
    writer = DbWorker("store-writer", partial(open_connection, path))
    try:
        await writer.run(migrate)
    except BaseException:
        await writer.aclose()
        raise
    reader_workers = [
        DbWorker(f"store-reader-{i}", partial(open_connection, path, readonly=True))
        for i in range(max(1, readers))
    ]
    return Store(_Db(writer, reader_workers, clock), path)
