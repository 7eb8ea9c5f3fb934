"""Settings: one editor per declared setting, plus the API check and webhook buttons.

Editors are built from the ``Setting`` declarations (type, choices, label), so
a new setting needs no widget code. Values are validated by the declaration
itself before anything is saved.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from agentapp.settings import Setting
from agentapp.ui.style import named, set_tone

Editor = QLineEdit | QComboBox | QCheckBox | QSpinBox


def _editor(setting: Setting[Any], value: Any) -> Editor:
    if setting.choices:
        combo = QComboBox()
        for choice in setting.choices:
            combo.addItem(str(choice), choice)
        combo.setCurrentIndex(max(0, combo.findData(value)))
        return combo
    if setting.type is bool:
        box = QCheckBox()
        box.setChecked(bool(value))
        return box
    if setting.type is int:
        spin = QSpinBox()
        spin.setRange(0, 65535)
        spin.setValue(int(value))
        return spin
    return QLineEdit(str(value))


def _value(editor: Editor) -> Any:
    if isinstance(editor, QComboBox):
        return editor.currentData()
    if isinstance(editor, QCheckBox):
        return editor.isChecked()
    if isinstance(editor, QSpinBox):
        return editor.value()
    return editor.text().strip()


class SettingsDialog(QDialog):
    save_requested = Signal(dict)  # key -> value, already validated
    check_api_requested = Signal()
    register_webhook_requested = Signal()

    def __init__(self, settings: list[Setting[Any]], values: dict[str, Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setMinimumWidth(640)
        self._declared = {s.key: s for s in settings}
        self.editors: dict[str, Editor] = {}
        form = QFormLayout()
        for setting in settings:
            editor = _editor(setting, values[setting.key])
            editor.setAccessibleName(setting.label)
            self.editors[setting.key] = editor
            form.addRow(setting.label, editor)
        self.message = named(QLabel(), "Message")
        self.message.setWordWrap(True)
        self.check_button = QPushButton("Check API endpoints")
        self.check_button.setToolTip("Call each read endpoint the app uses (agentapp --check-api)")
        self.check_button.clicked.connect(self.check_api_requested)
        self.webhook_button = QPushButton("Register webhook…")
        self.webhook_button.setToolTip("Receive live call events from your account")
        self.webhook_button.clicked.connect(self.register_webhook_requested)
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.report.setAccessibleName("API check results")
        self.report.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        tools = QHBoxLayout()
        tools.addWidget(self.check_button)
        tools.addWidget(self.webhook_button)
        tools.addStretch(1)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addLayout(tools)
        box.addWidget(self.report)
        box.addWidget(self.message)
        box.addWidget(buttons)

    def _save(self) -> None:
        values = {key: _value(editor) for key, editor in self.editors.items()}
        bad = [self._declared[k].label for k, v in values.items()
               if not self._declared[k].is_valid(v)]
        if bad:
            self.show_message("Please correct: " + ", ".join(bad) + ".")
            return
        self.save_requested.emit(values)

    def show_message(self, text: str, tone: str = "bad") -> None:
        self.message.setText(text)
        set_tone(self.message, tone)

    def show_report(self, text: str) -> None:
        self.report.setPlainText(text)
        self.report.show()
        self.report.setMinimumHeight(min(420, 40 + 18 * text.count("\n")))
