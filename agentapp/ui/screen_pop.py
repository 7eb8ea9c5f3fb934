"""The screen-pop window: who is calling, what happened last time, what to do now.

Passive: it renders a :class:`PopView` (plain text fields the facade prepared)
and reports button presses as signals. A small tool window that stays on top
and never takes keyboard focus from the app the agent is typing in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal, SignalInstance
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agentapp.ui.style import named

POP_WIDTH = 360


@dataclass(frozen=True)
class PopView:
    title: str
    name: str  # "" -> "Unknown caller"
    company: str
    number: str  # for display
    e164: str  # "" when not a valid number (no call back, no contact)
    line: str  # "Called Delhi line +91 11 4310 4567" or ""
    ivr_choice: str  # "Pressed 2 in the menu" or ""
    recent: tuple[str, ...]  # one sentence per call, newest first
    last_remark: str
    status: str  # "Looking up…", "Missed call", a note; "" when settled
    can_open_crm: bool = False
    can_dispose: bool = False


class ScreenPopWindow(QWidget):
    call_back = Signal(str)  # e164
    history_requested = Signal(str)  # e164
    contact_requested = Signal(str, str)  # e164, current name ("" = new contact)
    crm_requested = Signal()
    disposition_requested = Signal()
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Tool | Qt.WindowType.WindowStaysOnTopHint
                         | Qt.WindowType.WindowDoesNotAcceptFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFixedWidth(POP_WIDTH)
        self._view: PopView | None = None
        self._hand_back_to: QWidget | None = None
        self.name = named(QLabel(), "PopName")
        self.company = QLabel()
        self.number = QLabel()
        self.line = QLabel()
        self.ivr = QLabel()
        self.recent = QLabel()
        self.remark = QLabel()
        self.status = QLabel()
        for label in (self.name, self.company, self.number, self.line, self.ivr, self.recent,
                      self.remark, self.status):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.name.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.name.setFont(font)
        self.call_back_button = self._button(self.tr("Call back"),
                                             lambda: self._emit_number(self.call_back))
        self.history_button = self._button(
            self.tr("History"), lambda: self._emit_number(self.history_requested))
        self.contact_button = self._button(self.tr("Save contact"), self._contact)
        self.crm_button = self._button(self.tr("Open in CRM"), self.crm_requested.emit)
        # Shown only once the dispositions feature is wired (issue 10): see PopFacade.
        self.disposition_button = self._button(self.tr("Disposition…"),
                                               self.disposition_requested.emit)
        self.close_button = self._button(self.tr("Close"), self.close)
        self._layout()

    def _button(self, text: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # never steal the agent's keyboard
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    def _layout(self) -> None:
        col = QVBoxLayout(self)
        col.setContentsMargins(12, 10, 12, 10)
        for widget in (self.name, self.company, self.number, self.line, self.ivr, self.status):
            col.addWidget(widget)
        col.addWidget(named(QLabel(self.tr("Last calls")), "PopSection"))
        col.addWidget(self.recent)
        col.addWidget(self.remark)
        row1 = QHBoxLayout()
        for button in (self.call_back_button, self.history_button, self.contact_button):
            row1.addWidget(button)
        row2 = QHBoxLayout()
        for button in (self.crm_button, self.disposition_button, self.close_button):
            row2.addWidget(button)
        col.addLayout(row1)
        col.addLayout(row2)

    # -- rendering -------------------------------------------------------------
    def show_view(self, view: PopView) -> None:
        self._view = view
        self.setWindowTitle(view.title)
        self.setAccessibleName(view.title)
        self.name.setText(view.name or self.tr("Unknown caller"))
        self.company.setText(view.company)
        self.company.setVisible(bool(view.company))
        self.number.setText(view.number)
        self.number.setAccessibleName(self.tr("Number: {number}").format(number=view.number))
        self.line.setText(view.line)
        self.line.setVisible(bool(view.line))
        self.ivr.setText(view.ivr_choice)
        self.ivr.setVisible(bool(view.ivr_choice))
        self.recent.setText("\n".join(view.recent) if view.recent
                            else self.tr("No earlier calls."))
        self.recent.setAccessibleName(self.tr("Last calls: {calls}").format(
            calls="; ".join(view.recent) or self.tr("none")))
        self.remark.setText(self.tr("Last remark: {remark}").format(remark=view.last_remark)
                            if view.last_remark else "")
        self.remark.setVisible(bool(view.last_remark))
        self.status.setText(view.status)
        self.status.setVisible(bool(view.status))
        valid = bool(view.e164)
        self.call_back_button.setEnabled(valid)
        self.history_button.setEnabled(valid)
        self.contact_button.setVisible(valid)
        self.contact_button.setText(self.tr("Edit contact") if view.name
                                    else self.tr("Save contact"))
        self.contact_button.setAccessibleName(
            self.tr("Edit contact {name}").format(name=view.name) if view.name
            else self.tr("Save contact"))
        self.crm_button.setVisible(view.can_open_crm and valid)
        self.disposition_button.setVisible(view.can_dispose)

    @property
    def view(self) -> PopView | None:
        return self._view

    def _emit_number(self, signal: SignalInstance) -> None:
        if self._view is not None and self._view.e164:
            signal.emit(self._view.e164)

    def _contact(self) -> None:
        if self._view is not None and self._view.e164:
            self.contact_requested.emit(self._view.e164, self._view.name)

    def showEvent(self, event: QShowEvent) -> None:
        # The window the agent is in, if it is one of ours (None: another app has it).
        self._hand_back_to = QApplication.activeWindow()
        super().showEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        """A platform that activates the pop anyway gets activation handed back.

        X11 window managers honour WA_ShowWithoutActivating and
        WindowDoesNotAcceptFocus; Qt's offscreen platform (and some desktops) do
        not. Only the activation that came with showing is undone.
        """
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            back, self._hand_back_to = self._hand_back_to, None
            if back is not None and back is not self and back.isVisible():
                back.activateWindow()
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closed.emit()
        super().closeEvent(event)


def ask_number(parent: QWidget, on_number: Callable[[str], object]) -> QInputDialog:
    """Ctrl+F: a non-blocking prompt for any number to look up (no nested event loop)."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(QCoreApplication.translate("ScreenPopWindow", "Look up a caller"))
    dialog.setLabelText(QCoreApplication.translate("ScreenPopWindow",
                                                   "Phone number to look up:"))
    dialog.setAccessibleName(QCoreApplication.translate("ScreenPopWindow", "Look up a caller"))
    dialog.setInputMode(QInputDialog.InputMode.TextInput)
    dialog.textValueSelected.connect(lambda text: on_number(text) if text.strip() else None)
    dialog.open()
    return dialog
