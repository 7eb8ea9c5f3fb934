"""Qt face of connectivity and extension/DID status."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from agentapp.qt.bridge import Subscriptions
from agentapp.services.connectivity import ConnectivityMonitor
from agentapp.services.status import StatusService


class StatusFacade(QObject):
    online_changed = Signal(bool)
    snapshot_changed = Signal(object)  # services.status.StatusSnapshot

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._subs = Subscriptions()

    def bind(self, connectivity: ConnectivityMonitor | None, status: StatusService | None) -> None:
        self._subs.clear()
        if connectivity is not None:
            self._subs.add(connectivity.online, self.online_changed.emit)
            self.online_changed.emit(bool(connectivity.online.value))
        if status is not None:
            self._subs.add(status.snapshot, self.snapshot_changed.emit)
            if status.snapshot.value is not None:
                self.snapshot_changed.emit(status.snapshot.value)
