"""The window the agent sees while the rest of the app loads: frame, title, "Starting…".

Why: importing and building everything (HTTP client, store, services, the
full main window) takes several times as long as showing a bare Qt window.
``agentapp.app`` shows this shell first, waits for its first paint, and only
then imports the rest; the runtime replaces it by the real main window at the
same place and size. It claims nothing it has not reached: no line, no
account, no "Online", just that the app is starting. Only Qt is imported here.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QByteArray, QCoreApplication, QEvent, QEventLoop
from PySide6.QtWidgets import QLabel, QMainWindow, QVBoxLayout, QWidget

DEFAULT_SIZE = (1000, 640)  # the main window's minimum is 760x520
MIN_SIZE = (340, 520)
PAINT_PATIENCE_S = 2.0


class StartingShell(QMainWindow):
    """A cheap QMainWindow with the main window's title and a starting state in words."""

    def __init__(self, title: str, geometry: bytes = b"") -> None:
        super().__init__()
        self.painted = False
        self.setWindowTitle(title)
        self.setMinimumSize(*MIN_SIZE)
        if not (geometry and self.restoreGeometry(QByteArray(geometry))):
            self.resize(*DEFAULT_SIZE)
        root = QWidget()
        col = QVBoxLayout(root)
        col.setContentsMargins(14, 10, 14, 10)
        self.state = QLabel(self.tr("Starting… not connected yet."))
        self.state.setObjectName("ShellState")
        self.state.setAccessibleName(self.tr("Status: starting, not connected yet"))
        col.addWidget(self.state)
        col.addStretch(1)
        self.setCentralWidget(root)
        self.setAccessibleName(self.tr("{app}, starting").format(app=title))
        self.statusBar().showMessage(self.tr("Starting…"))

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted = True
        return super().event(event)

    def show_painted(self, patience_s: float = PAINT_PATIENCE_S) -> bool:
        """Show, and run Qt's events until the first paint (or ``patience_s``) has passed."""
        self.show()
        deadline = time.monotonic() + patience_s
        while not self.painted and time.monotonic() < deadline:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            if not self.painted:
                time.sleep(0.002)
        return self.painted

    def hand_over(self, window: QMainWindow, keep_geometry: bool) -> None:
        """Show the real window in the shell's place (and size, unless it has its own), then
        go: the window comes first, so there is no moment without one."""
        if not keep_geometry:
            window.setGeometry(self.geometry())
        window.show()
        self.hide()
        self.deleteLater()

