"""Qt face of the Line status panel: the session's StatusService as table rows.

The service refreshes in the background; the panel asks for a refresh on
demand, and the freshness line is re-rendered every few seconds so "3 min
ago" stays true while the window is open.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget
from qasync import asyncSlot

from agentapp.qt.bridge import Subscriptions
from agentapp.qt.status_rows import DID_COLUMNS, EXTENSION_COLUMNS, PanelData, panel_data
from agentapp.services.status import StatusService, StatusSnapshot
from agentapp.ui.status_panel import StatusPanel

AGES_MS = 5_000


class StatusPanelFacade(QObject):
    data_changed = Signal(object)  # status_rows.PanelData
    busy_changed = Signal(bool)

    def __init__(self, clock: Callable[[], float] = time.time,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._subs = Subscriptions()
        self._status: StatusService | None = None
        self._snapshot = StatusSnapshot()
        self.panel: StatusPanel | None = None
        self._ages = QTimer(self, interval=AGES_MS)
        self._ages.timeout.connect(self._publish)

    def bind(self, status: StatusService | None) -> None:
        self._subs.clear()
        self._status = status
        self._snapshot = status.snapshot.value if status is not None else StatusSnapshot()
        if status is not None:
            self._subs.add(status.snapshot, self._changed)
        self._publish()

    @property
    def data(self) -> PanelData:
        return panel_data(self._snapshot, self._clock())

    def _changed(self, snapshot: StatusSnapshot) -> None:
        self._snapshot = snapshot
        self._publish()

    def _publish(self) -> None:
        data = self.data
        self.data_changed.emit(data)
        if self.panel is not None:
            self.panel.show_data(data.extensions, data.dids, data.freshness, data.stale)

    @asyncSlot()
    async def refresh(self) -> None:
        status = self._status
        if status is None:
            return
        self.busy_changed.emit(True)
        try:
            await status.refresh()
        finally:
            self.busy_changed.emit(False)

    def open(self, parent: QWidget | None = None) -> StatusPanel:
        """Show the panel (one per window) and refresh it now."""
        if self.panel is None:
            panel = StatusPanel(EXTENSION_COLUMNS, DID_COLUMNS, parent)
            panel.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            panel.refresh_requested.connect(self.refresh)
            self.busy_changed.connect(panel.set_busy)
            panel.destroyed.connect(self._closed)
            self.panel = panel
            self._ages.start()
        self._publish()
        self.panel.show()
        self.panel.raise_()
        self.panel.activateWindow()
        self.refresh()
        return self.panel

    def _closed(self) -> None:
        self.panel = None
        self._ages.stop()


def install_status_panel_action(window: QMainWindow, facade: StatusPanelFacade) -> QAction:
    """Ctrl+Shift+L "Line status…" in the window and its Call menu."""
    action = QAction("&Line status…", window)
    action.setShortcut(QKeySequence("Ctrl+Shift+L"))
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(lambda: facade.open(parent=window))
    window.addAction(action)
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        if isinstance(menu, QMenu) and menu_action.text().replace("&", "") == "Call":
            menu.addAction(action)
    return action
