"""When a pop opens: live events (incoming ring or answer), our own calls, by hand.

Kept apart from the look-up so the rules are testable without a network:
an inbound ring for this agent's extension opens an "Incoming call" pop
(setting: on ring, on answer, or off); digits the caller pressed and the
hang-up update it; an inbound call that ends without being answered becomes
a missed call. The agent's own click-to-call opens an "Outgoing call" pop
once the API has given the call a logid.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from collections.abc import Callable
from typing import Literal

from agentapp.core.call import CallEvent, CallTimeline, EventKind
from agentapp.services.observable import Observable
from agentapp.services.screen_pop import PopRequest, ScreenPops

IncomingTrigger = Literal["ring", "answer", "off"]
_INCOMING = ("incoming", "inbound", "")
_REMEMBERED = 500  # repeated deliveries of a call this recent never pop twice


class PopTriggers:
    def __init__(self, pops: ScreenPops, *, ext_no: Callable[[], str],
                 incoming: Callable[[], str]) -> None:
        self._pops = pops
        self._ext_no = ext_no
        self._incoming = incoming
        self._answered: set[str] = set()
        self._opened: OrderedDict[str, None] = OrderedDict()  # the last calls popped
        self._lookups = itertools.count(1)
        self.missed: Observable[int] = Observable(0)  # missed calls not yet seen by the agent

    def on_event(self, event: CallEvent | None) -> None:
        """EventIntake.events subscriber (every live webhook event)."""
        if event is None or event.call_type not in _INCOMING:
            return
        ext = self._ext_no()
        if ext and event.ext_no and event.ext_no != ext:
            return
        trigger = self._incoming()
        logid = event.logid
        if event.kind is EventKind.RING and trigger == "ring" and event.client_no:
            self._open(PopRequest(logid, "incoming", event.client_no, event.did_no))
        elif event.kind is EventKind.ANSWER:
            self._answered.add(logid)
            if trigger == "answer" and event.client_no:
                self._open(PopRequest(logid, "incoming", event.client_no, event.did_no))
        elif event.kind is EventKind.DTMF and event.digits:
            self._pops.update(logid, dtmf=event.digits)
        elif event.kind is EventKind.HANGUP:
            missed = logid not in self._answered and event.cause != "completed"
            self._pops.update(logid, ended=True, missed=missed)
            if missed and logid in self._opened:
                self.missed.emit(self.missed.value + 1)
            self._answered.discard(logid)

    def on_timeline(self, timeline: CallTimeline | None) -> None:
        """CallTracker.changed subscriber: the agent's own click-to-call."""
        if timeline is None or not timeline.logid or timeline.logid in self._opened:
            return
        if timeline.is_live:
            self._open(PopRequest(timeline.logid, "outgoing", timeline.customer))

    def look_up(self, number: str) -> str:
        """Ctrl+F: a pop for any number; returns its pop id."""
        pop_id = f"lookup-{next(self._lookups)}"
        self._pops.open(PopRequest(pop_id, "lookup", number))
        return pop_id

    def missed_seen(self) -> None:
        self.missed.set(0)

    def _open(self, request: PopRequest) -> None:
        if request.pop_id in self._opened:
            return
        self._opened[request.pop_id] = None
        while len(self._opened) > _REMEMBERED:
            self._opened.popitem(last=False)
        self._pops.open(request)
