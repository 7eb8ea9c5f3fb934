"""Qt face of the call tracker: every timeline change as one signal."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from agentapp.qt.bridge import Subscriptions
from agentapp.services.call_tracker import CallTracker


class CallsFacade(QObject):
    timeline_changed = Signal(object)  # core.call.CallTimeline

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._subs = Subscriptions()

    def bind(self, tracker: CallTracker | None) -> None:
        self._subs.clear()
        if tracker is not None:
            self._subs.add(tracker.changed, self._changed)

    def _changed(self, timeline: object) -> None:
        if timeline is not None:
            self.timeline_changed.emit(timeline)
