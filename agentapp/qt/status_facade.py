"""Qt face of the session's health: connection, line status, live events, history sync.

``bind`` takes the session's connection monitor, status service and live-events
state (``SessionServices.live``, which follows whichever event source is in
use: this app's webhook link, the team relay, or none). History sync is bound
on its own through a tiny protocol (an observable of a ``status_text.SyncState``),
since only sessions with a history store have one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal
from qasync import asyncSlot

from agentapp.qt.bridge import Subscriptions
from agentapp.services.connectivity import ConnectivityMonitor
from agentapp.services.event_source import LiveState
from agentapp.services.observable import Observable
from agentapp.services.status import StatusService


class _Observable(Protocol):
    @property
    def value(self) -> Any: ...
    def subscribe(self, callback: Callable[[Any], None]) -> Callable[[], None]: ...


class StatusFacade(QObject):
    online_changed = Signal(bool)
    health_changed = Signal(object)  # services.connectivity.Health
    snapshot_changed = Signal(object)  # services.status.StatusSnapshot
    live_changed = Signal(str)  # services.event_source.LiveState value
    live_problem_changed = Signal(str)  # why live events are not on, in words ("" = none)
    sync_changed = Signal(object)  # a status_text.SyncState, or None: no sync this session

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._subs = Subscriptions()
        self._sync_subs = Subscriptions()
        self._connectivity: ConnectivityMonitor | None = None
        self._status: StatusService | None = None

    @property
    def connectivity(self) -> ConnectivityMonitor | None:
        return self._connectivity

    @property
    def status(self) -> StatusService | None:
        return self._status

    def bind(self, connectivity: ConnectivityMonitor | None, status: StatusService | None,
             live: Observable[LiveState] | None = None,
             live_problem: Observable[str] | None = None) -> None:
        self._subs.clear()
        self._connectivity, self._status = connectivity, status
        if live is not None:
            self._subs.add(live, lambda state: self.live_changed.emit(str(state)))
        if live_problem is not None:
            self._subs.add(live_problem, self.live_problem_changed.emit)
        self.live_problem_changed.emit(live_problem.value if live_problem is not None else "")
        self.live_changed.emit(str(live.value if live is not None else LiveState.OFF))
        if connectivity is not None:
            self._subs.add(connectivity.online, self.online_changed.emit)
            self._subs.add(connectivity.health, self.health_changed.emit)
            self.online_changed.emit(bool(connectivity.online.value))
            self.health_changed.emit(connectivity.health.value)
        if status is not None:
            self._subs.add(status.snapshot, self.snapshot_changed.emit)
            self.snapshot_changed.emit(status.snapshot.value)

    def bind_sync(self, sync: _Observable | None) -> None:
        self._sync_subs.clear()
        if sync is None:
            self.sync_changed.emit(None)
            return
        self._sync_subs.add(sync, self.sync_changed.emit)
        self.sync_changed.emit(sync.value)

    def check_now(self) -> None:
        if self._connectivity is not None:
            self._connectivity.check_now()

    @asyncSlot()
    async def refresh(self) -> None:
        if self._status is not None:
            await self._status.refresh()
