"""The one place unexpected errors are shown to the agent (non-blocking)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


class ErrorPresenter:
    """Shows at most one error box at a time; later errors replace its text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self._parent = parent
        self._box: QMessageBox | None = None

    def show(self, message: str) -> None:
        if self._box is None or not self._box.isVisible():
            self._box = QMessageBox(QMessageBox.Icon.Critical, "Agent Companion",
                                    message, QMessageBox.StandardButton.Ok, self._parent)
            self._box.open()
        else:
            self._box.setText(message)
