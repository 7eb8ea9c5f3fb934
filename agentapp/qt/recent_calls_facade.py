"""Qt face of the recent-calls list."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from agentapp.qt.bridge import Subscriptions
from agentapp.services.recent_calls import RecentCalls


class RecentCallsFacade(QObject):
    calls_changed = Signal(list)  # list[CallRecord], newest first
    error_changed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._subs = Subscriptions()

    def bind(self, recent: RecentCalls | None) -> None:
        self._subs.clear()
        self.calls_changed.emit(recent.calls.value if recent is not None else [])
        if recent is not None:
            self._subs.add(recent.calls, self.calls_changed.emit)
            self._subs.add(recent.error, self.error_changed.emit)
