"""Live call timelines: webhook events and polling feed one state machine per call.

Webhook events are applied synchronously in ``feed`` so subscribers hear
about them within the same loop iteration (the UI target is < 50 ms). A poll
task per live call covers lost webhooks: fast while the receiver has not
proven itself, slow once it has. Expiry ticks make sure no call stays
"ringing" forever. Every task is owned and cancelled by ``close``.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from typing import Protocol

from agentapp.api.errors import ApiError
from agentapp.core.call import (
    CallEvent,
    CallTimeline,
    EndReason,
    ExpiryLimits,
    apply,
    end_locally,
    events_from_live_state,
    expire,
    mark_uncertain,
    new_timeline,
)
from agentapp.services.observable import Observable
from agentapp.services.tasks import cancel_and_wait

log = logging.getLogger(__name__)

_MAX_ORPHAN_CALLS = 200  # events for logids we do not (yet) track, kept for a late track()
_MAX_ENDED_KEPT = 500


class CallStateApi(Protocol):
    async def call_state(self, logid: str) -> object: ...


class CallTracker:
    def __init__(
        self,
        api: CallStateApi,
        clock: Callable[[], float] = time.time,
        poll_interval_s: float = 1.0,
        limits: ExpiryLimits | None = None,
        *,
        slow_poll_interval_s: float = 5.0,
        webhook_healthy: Callable[[], bool] = lambda: False,
        tick_s: float = 0.5,
    ) -> None:
        self._api = api
        self._clock = clock
        self._poll_interval_s = poll_interval_s
        self._slow_poll_interval_s = slow_poll_interval_s
        self._limits = limits or ExpiryLimits()
        self._webhook_healthy = webhook_healthy
        self._tick_s = tick_s
        self.changed: Observable[CallTimeline | None] = Observable(None)
        self._timelines: OrderedDict[str, CallTimeline] = OrderedDict()
        self._by_logid: dict[str, str] = {}
        self._orphans: OrderedDict[str, list[CallEvent]] = OrderedDict()
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._local_ids = itertools.count(1)
        self._contact_lost = False
        self._expiry_paused_until = 0.0

    # -- queries ---------------------------------------------------------------

    def get(self, call_id: str) -> CallTimeline | None:
        return self._timelines.get(call_id)

    def by_logid(self, logid: str) -> CallTimeline | None:
        call_id = self._by_logid.get(logid)
        return self._timelines.get(call_id) if call_id else None

    def live_calls(self) -> list[CallTimeline]:
        return [t for t in self._timelines.values() if t.is_live]

    @property
    def polling_count(self) -> int:
        """Poll tasks still running (one per live tracked call)."""
        return sum(1 for task in self._tasks.values() if not task.done())

    # -- lifecycle of one call ---------------------------------------------------

    def begin(self, ext_no: str, customer: str) -> CallTimeline:
        """A call we are about to place: STARTING, no logid yet."""
        call_id = f"local-{next(self._local_ids)}"
        timeline = new_timeline(call_id, ext_no, customer, self._clock())
        if self._contact_lost:
            timeline = replace(timeline, contact_lost=True)
        self._publish(timeline)
        return timeline

    def track(
        self, logid: str, ext_no: str, customer: str, *, call_id: str | None = None
    ) -> CallTimeline:
        """Follow ``logid`` (binding it to the pending ``call_id`` from ``begin``, if any)."""
        existing = self.by_logid(logid)
        if existing is not None:
            return existing
        pending = self._timelines.get(call_id) if call_id else None
        if pending is not None:
            timeline = replace(pending, logid=logid, checking=False)
        else:
            timeline = new_timeline(logid, ext_no, customer, self._clock(), logid=logid)
        self._by_logid[logid] = timeline.call_id
        for event in self._orphans.pop(logid, []):
            timeline = apply(timeline, event)
        self._publish(timeline)
        if timeline.is_live:
            self._start_polling(timeline.call_id, logid)
        return timeline

    def reject(self, call_id: str, message: str, *,
               reason: EndReason = EndReason.REJECTED) -> CallTimeline | None:
        """The call we were placing did not start: the API refused it (REJECTED, with its
        message), or gave no usable answer (UNREACHABLE: it may still be placed)."""
        timeline = self._timelines.get(call_id)
        if timeline is None:
            return None
        ended = end_locally(timeline, reason, self._clock(), message)
        self._publish(ended)
        return ended

    def uncertain(self, call_id: str) -> CallTimeline | None:
        """The request got no readable answer: the call may be ringing; a lookup decides."""
        timeline = self._timelines.get(call_id)
        if timeline is None:
            return None
        marked = mark_uncertain(timeline, self._clock())
        if marked is not timeline:
            self._publish(marked)
        return marked

    def unclaimed_calls(self) -> list[CallEvent]:
        """The first event of each call we heard about (webhooks) but do not track."""
        return [events[0] for events in self._orphans.values() if events]

    def feed(self, event: CallEvent) -> CallTimeline | None:
        """Apply one event now; subscribers run before this returns."""
        call_id = self._by_logid.get(event.logid)
        if call_id is None:
            self._keep_orphan(event)
            return None
        timeline = self._timelines[call_id]
        updated = apply(timeline, event)
        if updated is not timeline:
            self._publish(updated)
        return updated

    def set_contact_lost(self, lost: bool) -> None:
        """The connection to IVR Solutions went (or came back): every live card says so
        at once. Silence while we cannot listen proves nothing, so no call expires
        then, nor until polling had a chance to catch up."""
        if lost == self._contact_lost:
            return
        self._contact_lost = lost
        if not lost:
            self._expiry_paused_until = self._clock() + 2 * self._slow_poll_interval_s
        for timeline in self.live_calls():
            self._publish(replace(timeline, contact_lost=lost))

    @property
    def contact_lost(self) -> bool:
        return self._contact_lost

    def tick(self) -> None:
        """End calls that have been silent too long (also run by each poll task)."""
        now = self._clock()
        if self._contact_lost or now < self._expiry_paused_until:
            return
        for timeline in list(self._timelines.values()):
            if timeline.is_live:
                expired = expire(timeline, now, self._limits)
                if expired is not timeline:
                    self._publish(expired)

    # -- teardown ---------------------------------------------------------------

    def close(self) -> None:
        """Cancel every poll task (sync, for quit paths); ``aclose`` also waits."""
        for task in self._tasks.values():
            task.cancel()

    async def aclose(self) -> None:
        await cancel_and_wait(list(self._tasks.values()))

    # -- internals ---------------------------------------------------------------

    def _publish(self, timeline: CallTimeline) -> None:
        self._timelines[timeline.call_id] = timeline
        self._timelines.move_to_end(timeline.call_id)
        self._forget_old_calls()
        self.changed.emit(timeline)

    def _forget_old_calls(self) -> None:
        ended = [cid for cid, t in self._timelines.items() if not t.is_live]
        for call_id in ended[: max(0, len(ended) - _MAX_ENDED_KEPT)]:
            old = self._timelines.pop(call_id)
            self._by_logid.pop(old.logid, None)

    def _keep_orphan(self, event: CallEvent) -> None:
        self._orphans.setdefault(event.logid, []).append(event)
        self._orphans.move_to_end(event.logid)
        while len(self._orphans) > _MAX_ORPHAN_CALLS:
            self._orphans.popitem(last=False)

    def _start_polling(self, call_id: str, logid: str) -> None:
        loop = asyncio.get_running_loop()
        task = loop.create_task(self._poll(call_id, logid), name=f"poll-call-{logid}")
        self._tasks[call_id] = task
        task.add_done_callback(lambda done: self._tasks.pop(call_id, None))

    async def _poll(self, call_id: str, logid: str) -> None:
        last_poll = self._clock()
        while True:
            await asyncio.sleep(min(self._tick_s, self._poll_interval_s))
            self.tick()
            timeline = self._timelines.get(call_id)
            if timeline is None or not timeline.is_live:
                return
            interval = (
                self._slow_poll_interval_s if self._webhook_healthy() else self._poll_interval_s
            )
            if self._clock() - last_poll < interval:
                continue
            last_poll = self._clock()
            try:
                state = await self._api.call_state(logid)
            except ApiError as exc:
                log.info("polling call %s failed: %s", logid, type(exc).__name__)
                continue
            for event in events_from_live_state(state, at=self._clock()):
                self.feed(event)
