"""The strip at the top of the window: API connection, my extension, my caller ID,
live events and history sync, plus the one message about the connection.

Each pill says its state in words, with an icon and a tone (never colour
alone), and its accessible name carries the state. The extension and caller-ID
pills open a picker; the connection pill checks the connection at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from agentapp.ui.flow_layout import FlowLayout
from agentapp.ui.style import named, set_tone


@dataclass(frozen=True)
class Choice:
    """One entry of a picker: ``enabled`` False for lines that cannot be used."""

    value: str
    label: str
    enabled: bool = True
    current: bool = False


class Pill(QToolButton):
    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Pill")
        self._name = name
        self.setAccessibleName(name)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)

    def show_state(self, text: str, tone: str, tooltip: str = "", accessible: str = "") -> None:
        self.setText(text)
        self.setToolTip(tooltip)
        self.setAccessibleName(accessible or f"{self._name}: {text}")
        self.setAccessibleDescription(tooltip or text)
        set_tone(self, tone)


class StatusStrip(QWidget):
    extension_chosen = Signal(str)
    did_chosen = Signal(str)
    connection_check_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.connection = Pill("API")
        self.extension = Pill("My extension")
        self.did = Pill("My caller ID")
        self.live = Pill("Live call events")
        self.sync = Pill("History sync")
        self.mode = Pill("Mode")
        self.message = named(QLabel(), "StripMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.connection.clicked.connect(self.connection_check_requested)
        self._extension_menu = self._picker(self.extension, "Pick my extension",
                                            self.extension_chosen)
        self._did_menu = self._picker(self.did, "Pick my caller ID", self.did_chosen)
        self._pills = (self.connection, self.extension, self.did, self.live, self.sync,
                       self.mode)
        self._row = row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for pill in self._pills[:-1]:
            row.addWidget(pill)
        row.addStretch(1)
        row.addWidget(self.mode)
        self._grid = FlowLayout()  # the compact sidebar: pills wrap to the width
        self._grid.setContentsMargins(0, 0, 0, 0)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.addLayout(row)
        col.addLayout(self._grid)
        col.addWidget(self.message)
        self.connection.show_state("… Connecting", "info", "Not connected to a server yet.",
                                   "API: connecting")
        self.extension.show_state("⚠ No extension", "warn", "", "My extension: none chosen")
        self.did.show_state("⚠ No caller ID", "warn", "", "My caller ID: none chosen")
        self.sync.hide()  # shown only once a history sync exists for the session
        self.mode.hide()
        self._live_problem = ""
        self._live_state = "off"
        self.set_live("off")
        self.show_message("")

    def set_compact(self, compact: bool) -> None:
        """Compact sidebar: pills wrap to the width (a row of them is ~600 px wide)."""
        for pill in self._pills:
            self._row.removeWidget(pill)
            self._grid.removeWidget(pill)
        if compact:
            for pill in self._pills:
                self._grid.addWidget(pill)
        else:
            for i, pill in enumerate(self._pills[:-1]):
                self._row.insertWidget(i, pill)
            self._row.addWidget(self.mode)

    def _picker(self, pill: Pill, title: str, chosen: SignalInstance) -> QMenu:
        menu = QMenu(title, pill)
        menu.setAccessibleName(title)
        menu.triggered.connect(lambda action: chosen.emit(str(action.data())))
        pill.setMenu(menu)
        pill.setProperty("picker", True)  # app.qss leaves room for the menu arrow
        pill.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        return menu

    # -- rendering ---------------------------------------------------------------------
    def set_connection(self, text: str, tone: str, tooltip: str = "",
                       accessible: str = "") -> None:
        self.connection.show_state(text, tone, tooltip, accessible)

    def set_extension(self, text: str, tone: str, tooltip: str = "",
                      accessible: str = "") -> None:
        self.extension.show_state(text, tone, tooltip, accessible)

    def set_did(self, text: str, tone: str, tooltip: str = "", accessible: str = "") -> None:
        self.did.show_state(text, tone, tooltip, accessible)

    def set_sync(self, text: str, tone: str, tooltip: str = "", accessible: str = "") -> None:
        self.sync.show_state(text, tone, tooltip, accessible)
        self.sync.show()

    def hide_sync(self) -> None:
        self.sync.hide()

    def show_message(self, text: str, tone: str = "bad") -> None:
        """The one connection message; replaced on every change, hidden when empty."""
        self.message.setText(text)
        self.message.setAccessibleName(f"Connection message: {text}" if text else
                                       "Connection message: none")
        set_tone(self.message, tone)
        self.message.setVisible(bool(text))

    def set_extension_choices(self, choices: Sequence[Choice]) -> None:
        _fill(self._extension_menu, choices, "No extensions known yet")

    def set_did_choices(self, choices: Sequence[Choice]) -> None:
        _fill(self._did_menu, choices, "No caller IDs known yet")

    @property
    def extension_menu(self) -> QMenu:
        return self._extension_menu

    @property
    def did_menu(self) -> QMenu:
        return self._did_menu

    def set_live(self, state: str) -> None:
        """Where live call events stand: ``connected``, ``reconnecting`` or ``off``."""
        self._live_state = state
        icon, words, tone, tip = _LIVE.get(state, _LIVE["off"])
        problem = self._live_problem if state != "connected" else ""
        if problem:  # why, first: "The NATS server's TLS certificate is not trusted…"
            tip = f"{problem[:1].upper()}{problem[1:]}. {tip}"
        self.live.show_state(f"{icon} {words}", tone, tip, f"Live call events: {words}")

    def set_live_problem(self, problem: str) -> None:
        """Why live events are not on, in words ("" = nothing known): the pill's tooltip
        and accessible description lead with it."""
        self._live_problem = problem
        self.set_live(self._live_state)

    def set_demo(self, demo: bool) -> None:
        self.mode.show_state("Demo: not a real line", "info", "A demo agent and line: calls go "
                             "to the built-in sandbox, not to real phones",
                             "Mode: demo sandbox, not a real line")
        self.mode.setVisible(demo)


_LIVE = {
    "connected": ("✓", "Live events on", "ok", "Call events arrive as they happen"),
    "reconnecting": ("…", "Live events reconnecting", "warn",
                     "Reconnecting to the event source (for this app's own webhook: registering "
                     "it again once IVR Solutions is reachable); missed events are replayed "
                     "where the source keeps them, and calls you place are followed by polling "
                     "meanwhile"),
    "off": ("…", "Live events off", "info",
            "No live call events: calls you place are followed by polling, incoming calls do "
            "not pop. File → Settings… → Register webhook… registers this app's receiver"),
}


def _fill(menu: QMenu, choices: Sequence[Choice], empty: str) -> None:
    menu.clear()
    if not choices:
        placeholder = QAction(empty, menu)
        placeholder.setEnabled(False)
        menu.addAction(placeholder)
        return
    for choice in choices:
        action = QAction(choice.label, menu)
        action.setData(choice.value)
        action.setCheckable(True)
        action.setChecked(choice.current)
        action.setEnabled(choice.enabled)
        menu.addAction(action)
