"""Find out whether a click-to-call whose answer we could not read was placed.

A timeout, a dropped connection, a cut-off or garbled body or a 5xx after the
request was sent all leave the same doubt: the platform may be ringing the
agent already. Offering "Call again" then rings the customer twice, so the
card says the call may be on its way and this lookup settles it:

- a webhook event for a call we do not track, to the same number from the
  agent's extension, that started after the dial (minus the allowed skew): the
  card follows that call from then on;
- a row in the click-to-call log for the number (``c2c_logs_by_number``), from
  the same extension when the row says, with a ``call_time`` after the dial
  (minus skew) and a ``recordid`` we do not track already: the card follows it;
- neither within the window: the card says so, and only then offers Call again.

Rows appear in the log when a call ends (the sandbox does; for the provider it is a
guess, docs/api-reference.md E4), so a call
that rings and connects is normally found by its webhook events, and a call
whose events never reach us by its log row once it ends. Each lookup is one
owned task; ``aclose`` cancels them all (session close).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from agentapp.api.errors import ApiError
from agentapp.api.models import CallRecord
from agentapp.core.call import CallEvent, CallTimeline, EndReason, events_from_live_state
from agentapp.core.phone import PhoneNumber
from agentapp.services.tasks import cancel_and_wait

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LookupTiming:
    """How long to look, how often to read the log, how far apart clocks may be."""

    window_s: float = 180.0  # a placed call rings the agent's phone within seconds
    poll_interval_s: float = 5.0  # the click-to-call log
    tick_s: float = 0.5  # webhook events we already hold (in memory, cheap)
    skew_s: float = 120.0  # our clock against the platform's (log times are the server's)


class LogsApi(Protocol):
    async def c2c_logs_by_number(self, phone: str) -> list[CallRecord]: ...


class LookupTracker(Protocol):
    def get(self, call_id: str) -> CallTimeline | None: ...
    def by_logid(self, logid: str) -> CallTimeline | None: ...
    def unclaimed_calls(self) -> list[CallEvent]: ...
    def track(self, logid: str, ext_no: str, customer: str, *,
              call_id: str | None = None) -> CallTimeline: ...
    def feed(self, event: CallEvent) -> CallTimeline | None: ...
    def reject(self, call_id: str, message: str, *,
               reason: EndReason = EndReason.REJECTED) -> CallTimeline | None: ...


@dataclass(frozen=True)
class Wanted:
    """The call we are looking for."""

    call_id: str
    number: PhoneNumber
    ext_no: str
    dialled_at: float  # our clock (epoch seconds)


def same_number(a: str, b: str) -> bool:
    """Same subscriber: the last ten digits agree (logs drop or keep the +91 prefix)."""
    da, db = _digits(a), _digits(b)
    n = min(10, len(da), len(db))
    return n >= 6 and da[-n:] == db[-n:]


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


class CallLookup:
    def __init__(
        self,
        api: LogsApi,
        tracker: LookupTracker,
        clock: Callable[[], float] = time.time,
        *,
        timing: LookupTiming | None = None,
        local_time: Callable[[float], datetime] = datetime.fromtimestamp,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self._api = api
        self._tracker = tracker
        self._clock = clock
        self.timing = timing or LookupTiming()  # read at each lookup's start
        self._local_time = local_time
        self._sleep = sleep
        self._tasks: dict[str, asyncio.Task[None]] = {}

    @property
    def running(self) -> int:
        return sum(1 for task in self._tasks.values() if not task.done())

    def start(self, wanted: Wanted) -> None:
        """Look for ``wanted`` in the background; the tracker's timeline shows the result."""
        task = asyncio.get_running_loop().create_task(
            self._run(wanted), name=f"lookup-call-{wanted.call_id}")
        self._tasks[wanted.call_id] = task
        task.add_done_callback(lambda _done: self._tasks.pop(wanted.call_id, None))

    async def aclose(self) -> None:
        await cancel_and_wait(list(self._tasks.values()))

    async def _run(self, wanted: Wanted) -> None:
        """Webhook events are checked every tick (cheap, in memory), the log every poll."""
        timing = self.timing
        deadline = wanted.dialled_at + timing.window_s
        logs_read = False
        next_read = self._clock()
        while True:
            current = self._tracker.get(wanted.call_id)
            if current is None or not current.checking:
                return  # settled elsewhere (the session moved on)
            if self._from_events(wanted, timing.skew_s):
                return
            now = self._clock()
            if now >= next_read or now >= deadline:
                next_read = now + timing.poll_interval_s
                try:
                    records = await self._api.c2c_logs_by_number(wanted.number.for_api())
                except ApiError as exc:
                    log.info("looking the call up in the logs failed: %s", type(exc).__name__)
                else:
                    logs_read = True
                    if self._from_logs(wanted, records, timing.skew_s):
                        return
                if self._clock() >= deadline:
                    self._give_up(wanted, logs_read)
                    return
            await self._sleep(timing.tick_s)

    def _from_events(self, wanted: Wanted, skew_s: float) -> bool:
        for event in self._tracker.unclaimed_calls():
            if (event.call_type in ("", "c2c") and same_number(event.client_no, wanted.number.e164)
                    and (not event.ext_no or event.ext_no == wanted.ext_no)
                    and event.at >= wanted.dialled_at - skew_s):
                log.info("the uncertain call was found by its webhook events")
                self._tracker.track(event.logid, wanted.ext_no, wanted.number.display(),
                                    call_id=wanted.call_id)
                return True
        return False

    def _from_logs(self, wanted: Wanted, records: list[CallRecord], skew_s: float) -> bool:
        earliest = wanted.dialled_at - skew_s
        latest = self._clock() + skew_s
        for record in sorted(records, key=lambda r: r.call_time):
            if (not same_number(record.customer_number, wanted.number.e164)
                    or (record.ext_no and record.ext_no != wanted.ext_no)
                    or not earliest <= record.call_time.timestamp() <= latest
                    or self._tracker.by_logid(record.recordid) is not None):
                continue
            log.info("the uncertain call was found in the click-to-call log")
            # Guessed (docs/api-reference.md): a c2c record id is the call's logid.
            timeline = self._tracker.track(record.recordid, wanted.ext_no,
                                           wanted.number.display(), call_id=wanted.call_id)
            if record.status.strip() and timeline.is_live:
                # The full log says how it ended; the by-number rows do not (the tracker's
                # poll of the call's state by logid then tells).
                state = {"logid": record.recordid, "state": "ended",
                         "call_status": record.status, "call_duration": record.duration_s}
                for event in events_from_live_state(state, at=self._clock()):
                    self._tracker.feed(event)
            return True
        return False

    def _give_up(self, wanted: Wanted, logs_read: bool) -> None:
        since = self._local_time(wanted.dialled_at).strftime("%H:%M")
        if logs_read:
            self._tracker.reject(
                wanted.call_id,
                f"No call to {wanted.number.display()} since {since} in Recent calls: "
                "you can call again",
                reason=EndReason.NOT_PLACED)
        else:
            # We could not read the logs either: still not known, so no Call again.
            self._tracker.reject(
                wanted.call_id,
                "Could not check Recent calls: the call may already be on its way, check "
                "Recent calls before calling again", reason=EndReason.UNREACHABLE)
