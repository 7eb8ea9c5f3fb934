"""Tray icon with the actions an agent wants without opening the window."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget


class Tray(QSystemTrayIcon):
    show_requested = Signal()
    clipboard_requested = Signal()
    audio_check_requested = Signal()
    quit_requested = Signal()

    def __init__(self, icon: QIcon, parent: QWidget | None = None) -> None:
        super().__init__(icon, parent)
        self.setToolTip("Agent Companion")
        menu = QMenu(parent)
        for text, signal in (("Show Agent Companion", self.show_requested),
                             ("Dial number from clipboard", self.clipboard_requested),
                             ("Audio check…", self.audio_check_requested),
                             ("Quit", self.quit_requested)):
            action = QAction(text, menu)
            action.triggered.connect(signal.emit)
            menu.addAction(action)
        self._menu = menu
        self.setContextMenu(menu)
        self.activated.connect(self._activated)

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.show_requested.emit()
