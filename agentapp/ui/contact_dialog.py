"""Save or edit a contact: the name the pops and history show for a number.

Non-modal and passive: ``save_requested(name)`` goes to the facade, which
answers with :meth:`saving`, :meth:`failed` or closes the dialog on success.
The API's contact endpoint takes a name and a number only, so that is all
this form asks for.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from agentapp.ui.style import named


class ContactDialog(QDialog):
    save_requested = Signal(str)

    def __init__(self, number: str, name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit contact" if name else "Save contact")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.name = QLineEdit(name)
        self.name.setAccessibleName("Contact name")
        self.name.setMaxLength(100)
        self.number = QLabel(number)
        self.number.setAccessibleName(f"Number: {number}")
        self.message = named(QLabel(), "Message")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Contact message")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setAccessibleName("Save contact")
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        self.name.textChanged.connect(lambda text: self.save_button.setEnabled(bool(text.strip())))
        self.save_button.setEnabled(bool(name.strip()))
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Number", self.number)
        col = QVBoxLayout(self)
        col.addLayout(form)
        col.addWidget(self.message)
        col.addWidget(self.buttons)

    def _save(self) -> None:
        if self.name.text().strip():
            self.save_requested.emit(self.name.text().strip())

    def saving(self) -> None:
        self.save_button.setEnabled(False)
        self.message.setText("Saving…")

    def failed(self, reason: str) -> None:
        self.save_button.setEnabled(True)
        self.message.setText(reason)
