"""Wrap-up after a call: the status list, drafts kept as the agent types, "disposition first".

Qt-free. Calls end in two places: the agent's own click-to-call (the call
tracker's timeline) and inbound or outbound calls the webhook reports. Each
ended call becomes a :class:`CallRef` (the record the note belongs to) and is
offered for wrap-up through ``ended``. The last connected call is also kept in
the store, so the optional "disposition before the next call" rule holds
across restarts.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Coroutine
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from agentapp.api.errors import ApiError
from agentapp.api.models import DispositionStatus
from agentapp.core.call import CallEvent, CallTimeline, EventKind
from agentapp.services.disposition_outbox import DispositionOutbox, RecordChange
from agentapp.services.observable import Observable
from agentapp.services.tasks import cancel_and_wait
from agentapp.store import Store, number_key
from agentapp.store.dispositions_repo import Draft, RecordState, StatusRow

log = logging.getLogger(__name__)

LAST_CALL_KEY = "dispositions.last_call"
_CALL_LOG_TYPES = ("incoming", "inbound", "outgoing")
_OPEN: tuple[RecordState, ...] = ("none", "draft")


@dataclass(frozen=True)
class CallRef:
    """The call a disposition belongs to: the server's ``(source, record_id)`` and how to send it.

    ``source`` is the store's id namespace ("call" for the call log, "c2c" for
    click-to-call, "dialer"); ``call_type`` the API's value for
    ``update_call_note``.
    """

    source: str
    record_id: str
    call_type: str
    number: str = ""
    sip_call_id: str = ""
    connected: bool = True

    @property
    def key(self) -> tuple[str, str]:
        return self.source, self.record_id

    def draft(self, status_id: int | None, remark: str) -> Draft:
        return Draft(source=self.source, record_id=self.record_id, call_type=self.call_type,
                     status_id=status_id, remark=remark, sip_call_id=self.sip_call_id,
                     number=self.number)


class StatusApi(Protocol):
    async def disposition_statuses(self) -> list[DispositionStatus]: ...


class Dispositions:
    def __init__(self, api: StatusApi, store: Store, outbox: DispositionOutbox, *,
                 ext_no: str = "") -> None:
        self._api = api
        self._store = store
        self.outbox = outbox
        self._ext_no = ext_no
        self._ended: set[tuple[str, str]] = set()
        self._answered: set[str] = set()
        self._gate: CallRef | None = None
        self._tasks: set[asyncio.Task[object]] = set()
        self.statuses: Observable[tuple[StatusRow, ...]] = Observable(())
        self.ended: Observable[CallRef | None] = Observable(None)
        self.gate: Observable[CallRef | None] = Observable(None)
        outbox.changed.subscribe(self._state_changed)

    @property
    def store_path(self) -> Path:
        """Which account's store (one per server): a form belongs to it across restarts."""
        return self._store.path

    # -- lifecycle ---------------------------------------------------------------------
    async def start(self) -> None:
        """Cached statuses and the gate from the store, then the API's list; start sending."""
        self.statuses.set(tuple(await self._store.dispositions.statuses()))
        raw = await self._store.sync.get(LAST_CALL_KEY)
        if raw:
            try:
                last = CallRef(**json.loads(raw))
            except (TypeError, ValueError):
                log.warning("ignoring an unreadable last-call record")
            else:
                await self._update_gate(last)
        self.outbox.start()
        self._spawn(self.refresh_statuses())

    async def stop(self) -> None:
        await cancel_and_wait(list(self._tasks))
        await self.outbox.stop()

    async def refresh_statuses(self) -> bool:
        """The account's list from the API into the cache; False (cache kept) when it failed."""
        try:
            fresh = await self._api.disposition_statuses()
        except ApiError as err:
            log.info("disposition statuses not refreshed: %s", type(err).__name__)
            return False
        rows = tuple(StatusRow(s.id, s.name) for s in fresh)
        if rows:
            await self._store.dispositions.replace_statuses(rows)
            self.statuses.set(rows)
        return True

    def status_name(self, status_id: int) -> str:
        return next((s.name for s in self.statuses.value if s.id == status_id), str(status_id))

    # -- the agent's side --------------------------------------------------------------
    async def save_draft(self, ref: CallRef, status_id: int | None, remark: str) -> None:
        await self._store.dispositions.save_draft(ref.draft(status_id, remark))
        await self._state_of(ref)

    async def save(self, ref: CallRef, status_id: int, remark: str) -> int:
        seq = await self.outbox.save(ref.draft(status_id, remark))
        await self._state_of(ref)
        return seq

    async def draft(self, ref: CallRef) -> Draft | None:
        return await self._store.dispositions.draft(ref.source, ref.record_id)

    async def state(self, ref: CallRef) -> tuple[RecordState, str]:
        return await self._store.dispositions.state(ref.source, ref.record_id)

    async def local_states(self) -> dict[tuple[str, str], tuple[RecordState, str]]:
        """Every call with a draft or a saved disposition on this computer, and its state."""
        return await self._store.dispositions.local_states()

    async def undelivered(self) -> list[CallRef]:
        """Calls whose saved disposition is waiting or failed, oldest first."""
        items = await self._store.dispositions.items(["pending", "failed"])
        refs = []
        for item in items:
            draft = await self._store.dispositions.draft(item.source, item.record_id)
            refs.append(CallRef(item.source, item.record_id, item.call_type,
                                number=draft.number if draft else "",
                                sip_call_id=item.sip_call_id))
        return refs

    def refusal(self) -> str | None:
        """Why the next call must wait (the "disposition first" rule), or None."""
        gate = self._gate
        if gate is None:
            return None
        who = f" with {gate.number}" if gate.number else ""
        return (f"Save a disposition for your last call{who} before placing the next one "
                "(Settings: require a disposition before the next call).")

    # -- calls ending ------------------------------------------------------------------
    def on_timeline(self, timeline: CallTimeline | None) -> None:
        """CallTracker.changed: the agent's own click-to-call ended."""
        if timeline is None or timeline.is_live or not timeline.logid:
            return
        self._call_ended(CallRef("c2c", timeline.logid, "c2c", number_key(timeline.customer),
                                 connected=timeline.connected_at is not None))

    def on_event(self, event: CallEvent | None) -> None:
        """EventIntake.events: a call-log call (inbound or outbound) for this extension ended."""
        if event is None or event.call_type not in _CALL_LOG_TYPES or not event.logid:
            return
        if self._ext_no and event.ext_no and event.ext_no != self._ext_no:
            return
        if event.kind is EventKind.ANSWER:
            self._answered.add(event.logid)
        elif event.kind is EventKind.HANGUP:
            connected = event.logid in self._answered or event.cause == "completed"
            self._answered.discard(event.logid)
            call_type = "outgoing" if event.call_type == "outgoing" else "incoming"
            self._call_ended(CallRef("call", event.logid, call_type,
                                     number_key(event.client_no), connected=connected))

    def _call_ended(self, ref: CallRef) -> None:
        if ref.key in self._ended:
            return
        self._ended.add(ref.key)
        self.ended.emit(ref)
        if ref.connected:
            self._spawn(self._remember_last(ref))

    async def _remember_last(self, ref: CallRef) -> None:
        await self._store.sync.set({LAST_CALL_KEY: json.dumps(asdict(ref))})
        await self._update_gate(ref)

    async def _update_gate(self, ref: CallRef) -> None:
        state, _reason = await self.state(ref)
        self._gate = ref if state in _OPEN else None
        self.gate.set(self._gate)

    async def _state_of(self, ref: CallRef) -> None:
        if self._gate is not None and self._gate.key == ref.key:
            await self._update_gate(ref)

    def _state_changed(self, change: RecordChange | None) -> None:
        gate = self._gate
        if gate is not None and change is not None and (
                change.source, change.record_id) == gate.key:
            self._spawn(self._update_gate(gate))

    def _spawn(self, coro: Coroutine[Any, Any, object]) -> None:
        task: asyncio.Task[object] = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
