"""Qt face of connectivity and extension/DID status."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from agentapp.qt.bridge import Subscriptions
from agentapp.services.connectivity import ConnectivityMonitor
from agentapp.services.event_source import LiveState
from agentapp.services.observable import Observable
from agentapp.services.status import StatusService


class StatusFacade(QObject):
    online_changed = Signal(bool)
    snapshot_changed = Signal(object)  # services.status.StatusSnapshot
    live_changed = Signal(str)  # services.event_source.LiveState value

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._subs = Subscriptions()

    def bind(self, connectivity: ConnectivityMonitor | None, status: StatusService | None,
             live: Observable[LiveState] | None = None) -> None:
        self._subs.clear()
        if live is not None:
            self._subs.add(live, lambda state: self.live_changed.emit(str(state)))
        self.live_changed.emit(str(live.value if live is not None else LiveState.OFF))
        if connectivity is not None:
            self._subs.add(connectivity.online, self.online_changed.emit)
            self.online_changed.emit(bool(connectivity.online.value))
        if status is not None:
            self._subs.add(status.snapshot, self.snapshot_changed.emit)
            if status.snapshot.value is not None:
                self.snapshot_changed.emit(status.snapshot.value)
