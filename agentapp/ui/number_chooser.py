"""Pick one of several numbers found in copied text (a small, keyboard-first dialog).

Arrow keys move, Enter picks, Esc cancels; each row reads the number and how
it was written, so a screen reader says which one is which.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agentapp.core.phone_text import FoundNumber


class NumberChooser(QDialog):
    """``chosen`` carries the picked number in display form (+91 98765 43210)."""

    chosen = Signal(str)

    def __init__(self, numbers: list[FoundNumber], action: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Choose a number")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        prompt = QLabel(f"The copied text has {len(numbers)} phone numbers. "
                        f"Which one do you want to {action}?")
        prompt.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Phone numbers found")
        for found in numbers:
            shown = found.number.display()
            label = shown if found.written.replace(" ", "") == shown.replace(" ", "") \
                else f"{shown}  (written “{found.written}”)"
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, shown)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, label)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _item: self.accept())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.pick_button = buttons.addButton(action.capitalize(),
                                             QDialogButtonBox.ButtonRole.AcceptRole)
        self.pick_button.setAccessibleName(f"{action.capitalize()} the selected number")
        self.pick_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(prompt)
        box.addWidget(self.list)
        box.addWidget(buttons)
        self.list.setFocus()

    def accept(self) -> None:
        item = self.list.currentItem()
        super().accept()
        if item is not None:
            self.chosen.emit(str(item.data(Qt.ItemDataRole.UserRole)))
