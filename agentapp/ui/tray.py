"""Tray icon with the actions an agent wants without opening the window.

Its icon shows the state at a glance (``tray_icons``: offline, online, ringing,
on a call, dispositions pending) and its tooltip says it in words; menu
entries exist only for features that exist.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

from agentapp import APP_NAME
from agentapp.ui.tray_icons import TrayLook, tray_icon


class Tray(QSystemTrayIcon):
    show_requested = Signal()
    clipboard_requested = Signal()
    audio_check_requested = Signal()
    pause_toggled = Signal(bool)  # "Pause pop-ups"
    sign_out_requested = Signal()
    quit_requested = Signal()

    def __init__(self, icon: QIcon, parent: QWidget | None = None) -> None:
        """``icon``: the app icon; each state's badge is drawn on it."""
        super().__init__(icon, parent)
        self._base = icon
        self._look: TrayLook | None = None
        menu = QMenu(parent)
        self.state_action = QAction("", menu)
        self.state_action.setEnabled(False)  # a line of text, not a command
        menu.addAction(self.state_action)
        menu.addSeparator()
        self.actions_by_text: dict[str, QAction] = {}
        for text, signal in ((f"Show {APP_NAME}", self.show_requested),
                             ("Dial number from clipboard", self.clipboard_requested),
                             ("Audio check…", self.audio_check_requested),
                             ("Sign out", self.sign_out_requested),
                             ("Quit", self.quit_requested)):
            if text == "Quit":
                menu.addSeparator()
            if text == "Sign out":
                self.pause_action = self._pause(menu)
            action = QAction(text, menu)
            action.triggered.connect(signal.emit)
            menu.addAction(action)
            self.actions_by_text[text] = action
        self.sign_out_action = self.actions_by_text["Sign out"]
        self._menu = menu
        self.setContextMenu(menu)
        self.activated.connect(self._activated)
        self._details = ""
        self.set_state("Starting…", TrayLook.OFFLINE)

    def _pause(self, menu: QMenu) -> QAction:
        action = QAction("Pause pop-ups", menu)
        action.setCheckable(True)
        action.setToolTip("Stop pop-up windows for calls; calls and missed calls are "
                          "still recorded")
        action.toggled.connect(self.pause_toggled)
        menu.addAction(action)
        self.actions_by_text[action.text()] = action
        return action

    def set_state(self, state: str, look: TrayLook) -> None:
        self.state_action.setText(f"Status: {state}")
        if look is not self._look:
            self._look = look
            self.setIcon(tray_icon(self._base, look))
        self._compose()

    def look(self) -> TrayLook | None:
        return self._look

    # Other features write their part of the tooltip with setToolTip()/toolTip()
    # (missed calls, dispositions); the state in words always leads what is shown.
    def setToolTip(self, text: str) -> None:
        self._details = text
        self._compose()

    def toolTip(self) -> str:
        return self._details

    def shown_tooltip(self) -> str:
        """What the desktop shows: the state, then the other features' details."""
        return super().toolTip()

    def _compose(self) -> None:
        details = self._details.removeprefix(APP_NAME).lstrip(" —:")
        text = f"{APP_NAME}: {self.state()}" + (f" — {details}" if details else "")
        super().setToolTip(text)

    def state(self) -> str:
        return self.state_action.text().removeprefix("Status: ")

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.show_requested.emit()
