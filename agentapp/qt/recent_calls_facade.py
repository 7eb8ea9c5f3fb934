"""Recent calls in the main window: a view of the history store's model.

The rows are :attr:`HistoryFacade.recent_model` (this agent's latest calls from
the local store, reloaded with the history window's model after every sync), so
Recent calls works offline and says the same as the history window. This
facade only connects the passive panel to it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from agentapp.qt.history_facade import HistoryFacade
from agentapp.ui.recent_calls import RecentCallsPanel


class RecentCallsFacade(QObject):
    def __init__(self, history: HistoryFacade, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.history = history
        self.model = history.recent_model

    def attach(self, panel: RecentCallsPanel) -> None:
        panel.set_model(self.model)
        panel.hold_changed.connect(self.model.hold)
        self.history.recent_status_changed.connect(panel.show_status)
