"""How many dispositions are not on the server yet, and the list of them.

The badge sits in the main window's status bar and is hidden while nothing
is waiting or failed; clicking it opens the list, where each item can be
opened (a failed one to edit and retry).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


def badge_text(pending: int, failed: int) -> str:
    parts = []
    if pending:
        parts.append(f"{pending} waiting to send")
    if failed:
        parts.append(f"{failed} not accepted")
    return "Dispositions: " + ", ".join(parts) if parts else ""


def quit_question(pending: int, failed: int) -> str:
    """What quitting leaves behind, in words (asked only when something is not sent)."""
    lines = []
    if pending:
        lines.append(f"{_n(pending)} waiting to send: kept on this computer and sent "
                     "the next time you start the app.")
    if failed:
        lines.append(f"{_n(failed)} not accepted by the server: kept in the list "
                     "(the badge in the status bar) to edit and retry.")
    return "\n".join(lines) + "\n\nQuit anyway?"


def _n(count: int) -> str:
    return f"{count} disposition{'s' if count != 1 else ''}"


class DispositionBadge(QPushButton):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFlat(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.set_counts(0, 0)

    def set_counts(self, pending: int, failed: int) -> None:
        text = badge_text(pending, failed)
        self.setText(text)
        self.setAccessibleName(text or "Dispositions: all sent")
        self.setToolTip("Open the list of dispositions not sent yet" if text else "")
        self.setVisible(bool(text))


class OutboxList(QWidget):
    """Items not on the server yet: waiting ones and failed ones with the server's reason."""

    open_requested = Signal(int)  # row

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Dispositions not sent")
        self.setAccessibleName("Dispositions not sent")
        self.items = QListWidget()
        self.items.setAccessibleName("Dispositions not sent")
        self.items.setWordWrap(True)
        self.empty = QLabel("Every disposition has been sent.")
        self.open_button = QPushButton("Edit and retry")
        self.open_button.setAccessibleName("Edit and retry the selected disposition")
        self.open_button.clicked.connect(self._open)
        self.items.itemActivated.connect(lambda _item: self._open())
        self.items.currentRowChanged.connect(lambda _row: self._render_button())
        col = QVBoxLayout(self)
        col.addWidget(self.empty)
        col.addWidget(self.items, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.open_button)
        col.addLayout(row)
        self.resize(460, 300)
        self.show_items([])

    def show_items(self, lines: Sequence[str]) -> None:
        current = self.items.currentRow()
        self.items.clear()
        for line in lines:
            item = QListWidgetItem(line)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, line)
            self.items.addItem(item)
        self.empty.setVisible(not lines)
        if lines:
            self.items.setCurrentRow(min(max(current, 0), len(lines) - 1))
        self._render_button()

    def _render_button(self) -> None:
        self.open_button.setEnabled(self.items.currentRow() >= 0)

    def _open(self) -> None:
        if self.items.currentRow() >= 0:
            self.open_requested.emit(self.items.currentRow())
