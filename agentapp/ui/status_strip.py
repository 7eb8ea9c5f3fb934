"""The strip at the top of the window: online state, extension, caller ID.

Each pill says in words what blocks dialing, where the agent looks first.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from agentapp.ui.style import set_tone


class Pill(QLabel):
    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Pill")
        self.setAccessibleName(name)

    def show_state(self, text: str, tone: str, tooltip: str = "") -> None:
        self.setText(text)
        self.setToolTip(tooltip)
        self.setAccessibleDescription(tooltip or text)
        set_tone(self, tone)


class StatusStrip(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.connection = Pill("Connection")
        self.extension = Pill("Extension")
        self.did = Pill("Caller ID")
        self.live = Pill("Live call events")
        self.mode = Pill("Mode")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for pill in (self.connection, self.extension, self.did, self.live):
            row.addWidget(pill)
        row.addStretch(1)
        row.addWidget(self.mode)
        self.set_online(False)
        self.extension.show_state("No extension", "warn")
        self.did.show_state("No caller ID", "warn")
        self.mode.hide()
        self.set_live("off")

    def set_online(self, online: bool) -> None:
        if online:
            self.connection.show_state("Online", "ok", "Connected to IVR Solutions")
        else:
            self.connection.show_state(
                "Offline", "bad", "Cannot reach the API: calls cannot be placed until it is back")

    def set_extension(self, text: str, tone: str, tooltip: str = "") -> None:
        self.extension.show_state(text, tone, tooltip)

    def set_did(self, text: str, tone: str, tooltip: str = "") -> None:
        self.did.show_state(text, tone, tooltip)

    def set_live(self, state: str) -> None:
        """Where live call events stand: ``connected``, ``reconnecting`` or ``off``."""
        text, tone, tip = _LIVE.get(state, _LIVE["off"])
        self.live.show_state(text, tone, tip)
        self.live.setAccessibleName(f"Live call events: {text}")

    def set_demo(self, demo: bool) -> None:
        self.mode.show_state("Demo sandbox", "info", "Calls go to the built-in sandbox, "
                             "not to real phones")
        self.mode.setVisible(demo)


_LIVE = {
    "connected": ("Live events on", "ok", "Call events arrive as they happen"),
    "reconnecting": ("Live events reconnecting", "warn",
                     "Reconnecting to the event source; missed events are replayed"),
    "off": ("Live events off", "info",
            "No live call events: calls you place are followed by polling, "
            "incoming calls do not pop"),
}
