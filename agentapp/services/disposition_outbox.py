"""Deliver saved dispositions to the API: in order, with backoff, across restarts, never lost.

A disposition reaches this service only after the store has queued it (the
draft is marked done in the same transaction), so a crash at any point leaves
it either still a draft or queued. Items leave strictly in ``seq`` order; one
that fails for a passing reason (server error, timeout, no network, rate
limit, refused token) is retried with exponential backoff and jitter and holds
the queue behind it. A validation error (any other 4xx) is permanent: the item
is marked failed with the server's reason and stays visible until the agent
edits and saves it again. It is never dropped.

Exactly once where we can, at least once otherwise: the item on the wire is
marked "in flight" in the store. If the app dies mid-request or the answer is
lost, the next attempt first reads the call's log (by number) and, when the
server already shows this status and remark, records it as sent instead of
sending again. When that check is impossible (no number, an unknown log) the
item is sent again, which is safe: ``update_call_note`` sets the note, so a
repeat leaves the same result.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from agentapp.api.errors import (
    ApiConnectionError,
    ApiError,
    ApiTimeoutError,
    AuthError,
    MalformedResponseError,
    RateLimitedError,
    ServerError,
    TlsError,
)
from agentapp.api.models import CallRecord
from agentapp.core.phone import InvalidNumber, parse_number
from agentapp.services.observable import Observable
from agentapp.services.tasks import cancel_and_wait
from agentapp.store.dispositions_repo import Draft, OutboxItem, RecordState
from agentapp.store.store import DispositionsStore

log = logging.getLogger(__name__)

# Errors after which the request may or may not have been applied.
_MAYBE_APPLIED = (ServerError, ApiTimeoutError, ApiConnectionError, MalformedResponseError)
# Errors that say nothing about the disposition itself: try again later.
_TRANSIENT = (*_MAYBE_APPLIED, TlsError, RateLimitedError, AuthError)
SIP_SOURCE = "sip"  # drafts of calls known only by their SIP call id


class NoteApi(Protocol):
    async def update_call_note(
        self, *, record_id: str, call_status: int, call_type: str, remark: str = ""
    ) -> str: ...
    async def add_call_note(
        self, *, sip_call_id: str, note: str, call_type: str = "", status: str = ""
    ) -> str: ...
    async def call_logs_by_number(self, phone: str) -> list[CallRecord]: ...
    async def c2c_logs_by_number(self, phone: str) -> list[CallRecord]: ...


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with jitter: ``base * 2**attempts`` (capped), times 0.5-1.5."""

    base_s: float = 2.0
    cap_s: float = 300.0

    def delay(self, attempts: int, rand: float) -> float:
        return min(self.cap_s, self.base_s * 2 ** max(0, attempts)) * (0.5 + rand)


@dataclass(frozen=True)
class OutboxCounts:
    pending: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        return self.pending + self.failed


@dataclass(frozen=True)
class RecordChange:
    """One call's disposition state changed (what the card, pop and history show)."""

    source: str
    record_id: str
    state: RecordState
    reason: str = ""


class DispositionOutbox:
    def __init__(self, api: NoteApi, store: DispositionsStore, *,
                 backoff: Backoff = Backoff(), rand: Callable[[], float] = random.random,
                 status_name: Callable[[int], str] = str) -> None:
        self._api = api
        self._store = store
        self._backoff = backoff
        self._rand = rand
        self._status_name = status_name
        self._lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.counts: Observable[OutboxCounts] = Observable(OutboxCounts())
        self.changed: Observable[RecordChange | None] = Observable(None)

    # -- lifecycle ---------------------------------------------------------------------
    def start(self) -> None:
        """Deliver in the background (what is queued from an earlier run goes first)."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            await cancel_and_wait([task])

    async def retry_now(self) -> None:
        """Every waiting item due now (the agent asked, or the app restarted)."""
        await self._store.make_due()
        self.wake()

    def wake(self) -> None:
        """Try now (an item was queued, or the network is back)."""
        self._wake.set()

    # -- the agent's side --------------------------------------------------------------
    async def save(self, draft: Draft) -> int:
        """Queue ``draft`` (atomically marking it done); delivery follows. Returns its seq."""
        seq = await self._store.commit(draft)
        await self._publish(draft.source, draft.record_id)
        self.wake()
        return seq

    async def refresh_counts(self) -> OutboxCounts:
        raw = await self._store.counts()
        counts = OutboxCounts(pending=raw.get("pending", 0), failed=raw.get("failed", 0))
        self.counts.set(counts)
        return counts

    # -- delivery ----------------------------------------------------------------------
    async def deliver_due(self) -> float | None:
        """Send every due item in order; seconds until the head is due (None: queue empty)."""
        async with self._lock:
            while True:
                item = await self._store.next_due()
                if item is None:
                    break
                await self._deliver(item)
            head = await self._store.head_pending()
        if head is None:
            return None
        return max(0.0, head.next_attempt_at - self._store.now())

    async def _run(self) -> None:
        await self._store.make_due()  # queued before a restart: try at once, not after backoff
        await self.refresh_counts()
        while True:
            self._wake.clear()
            try:
                wait = await self.deliver_due()
            except asyncio.CancelledError:
                raise
            except Exception:  # the store itself failed: keep the loop alive, retry later
                log.exception("disposition delivery failed; retrying in a minute")
                wait = 60.0
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=wait)

    async def _deliver(self, item: OutboxItem) -> None:
        if await self._store.in_flight() == item.seq:
            applied = await self._already_applied(item)
            if applied is None:
                return
            if applied:
                log.info("disposition %d was already applied on the server", item.seq)
                await self._store.finish_sent(item.seq)
                await self._publish(item.source, item.record_id)
                return
        await self._store.begin_attempt(item.seq)
        try:
            await self._send(item)
        except _TRANSIENT as err:
            await self._retry(item, err, maybe_applied=isinstance(err, _MAYBE_APPLIED))
            return
        except ApiError as err:
            log.info("disposition %d refused: %s", item.seq, err)
            await self._store.finish_failed(item.seq, err.user_message)
        else:
            await self._store.finish_sent(item.seq)
        await self._publish(item.source, item.record_id)

    async def _send(self, item: OutboxItem) -> None:
        if item.source == SIP_SOURCE:
            await self._api.add_call_note(
                sip_call_id=item.sip_call_id or item.record_id,
                note=item.remark or self._status_name(item.status_id),
                call_type=item.call_type, status=str(item.status_id))
        else:
            await self._api.update_call_note(record_id=item.record_id,
                                             call_status=item.status_id,
                                             call_type=item.call_type, remark=item.remark)

    async def _retry(self, item: OutboxItem, err: ApiError, *, maybe_applied: bool) -> None:
        delay = self._backoff.delay(item.attempts, self._rand())
        if isinstance(err, RateLimitedError) and err.retry_after is not None:
            delay = max(delay, err.retry_after)
        # Floor: once ``delay`` has passed, the store's whole-second clock says "due".
        due = int(self._store.now() + delay)
        log.info("disposition %d not sent (%s); retrying in %.1f s", item.seq,
                 type(err).__name__, delay)
        await self._store.finish_retry(item.seq, due, err.user_message,
                                       maybe_applied=maybe_applied)
        await self._publish(item.source, item.record_id)

    async def _already_applied(self, item: OutboxItem) -> bool | None:
        """True/False from the call's log; None when the look-up failed (retry later).

        Without a way to look (no number, a source with no by-number log) the
        answer is False: send again, which the API treats as the same update.
        """
        draft = await self._store.draft(item.source, item.record_id)
        lookup = {"call": self._api.call_logs_by_number,
                  "c2c": self._api.c2c_logs_by_number}.get(item.source)
        if draft is None or lookup is None or not draft.number:
            return False
        try:
            phone = parse_number(draft.number).national
        except InvalidNumber:
            return False
        try:
            records = await lookup(phone)
        except ApiError as err:
            if not isinstance(err, _TRANSIENT):
                return False
            await self._retry(item, err, maybe_applied=True)
            return None
        for record in records:
            if record.recordid == item.record_id:
                return record.disposition == str(item.status_id) and (
                    not item.remark or record.note == item.remark)
        return False

    async def _publish(self, source: str, record_id: str) -> None:
        state, reason = await self._store.state(source, record_id)
        await self.refresh_counts()  # first: whoever sees the change sees the counts with it
        self.changed.emit(RecordChange(source, record_id, state, reason))
