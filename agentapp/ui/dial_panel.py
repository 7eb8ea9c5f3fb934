"""Number field, dial pad and Call button: the agent's main action.

Typing shows at once whether the number is callable (``core.phone``), but the
decision to call, and every guard, lives in the dialing service behind the
facade; this widget only asks.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QClipboard,
    QContextMenuEvent,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
)
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from agentapp.core.phone import InvalidNumber, parse_dial_target, strip_invisible
from agentapp.core.phone_text import FoundNumber, find_numbers
from agentapp.ui.style import named, set_tone

_KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "+")


class DialPanel(QWidget):
    dial_requested = Signal(str)
    clipboard_requested = Signal()
    numbers_pasted = Signal(list)  # several FoundNumber in pasted text: the agent picks one

    def __init__(self, region: str = "IN", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._region = region
        self.number = named(QLineEdit(), "NumberField")
        self.number.setAccessibleName("Number to call")
        self.number.setPlaceholderText("Number or tel: link, e.g. 098765 43210")
        self.number.setClearButtonEnabled(True)
        self.number.returnPressed.connect(self._request)
        self.number.textChanged.connect(self._text_changed)
        self.number.installEventFilter(self)
        self.preview = QLabel()
        # A long refusal wraps inside the panel instead of widening the window.
        self.preview.setWordWrap(True)
        self.preview.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.preview.setAccessibleName("Number check")
        self.message = named(QLabel(), "Message")
        self.message.setWordWrap(True)
        self.message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.message.setAccessibleName("Dialing message")
        self.call_button = named(QPushButton("Call"), "CallButton")
        self.call_button.setAccessibleName("Call")
        self.call_button.setToolTip("Ring your phone, then the customer (Enter)")
        self.call_button.clicked.connect(self._request)
        self.clipboard_button = QPushButton("Dial from clipboard")
        self.clipboard_button.setAccessibleName("Dial number from clipboard")
        self.clipboard_button.setToolTip(
            f"Dial the number on the clipboard ({QKeySequence('Ctrl+Shift+V').toString()})")
        self.clipboard_button.clicked.connect(self.clipboard_requested)
        self._layout()
        self._preview("")

    def _layout(self) -> None:
        self._pad = QWidget()
        pad = QGridLayout(self._pad)
        pad.setContentsMargins(0, 0, 0, 0)
        pad.setSpacing(6)
        for i, key in enumerate(_KEYS):
            button = named(QPushButton(key), "DialKey")
            button.setAccessibleName(f"Dial pad {key}")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.clicked.connect(lambda _=False, k=key: self._press(k))
            pad.addWidget(button, i // 3, i % 3)
        actions = QHBoxLayout()
        actions.addWidget(self.clipboard_button)
        actions.addStretch(1)
        actions.addWidget(self.call_button)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(QLabel("Number to call"))
        box.addWidget(self.number)
        box.addWidget(self.preview)
        box.addWidget(self._pad)
        box.addLayout(actions)
        box.addWidget(self.message)
        box.addStretch(1)

    def set_compact(self, compact: bool) -> None:
        """The compact sidebar has no room for the dial pad (typing and pasting remain)."""
        self._pad.setVisible(not compact)

    @property
    def region(self) -> str:
        return self._region

    def set_region(self, region: str) -> None:
        """Settings → Calling → Default country, applied while the app runs."""
        self._region = region

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Paste into the number field (Ctrl+V, the context menu, X11's middle click):
        a number inside text ("mob: +91-99887 76655") is taken out of it; several are
        offered as a choice; anything else pastes as usual (and the check line says
        what is wrong with it)."""
        if (watched is self.number and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and event.matches(QKeySequence.StandardKey.Paste)):
            return self._paste_numbers(QGuiApplication.clipboard().text())
        if (watched is self.number and event.type() == QEvent.Type.MouseButtonRelease
                and isinstance(event, QMouseEvent) and event.button() == Qt.MouseButton.MiddleButton
                and QGuiApplication.clipboard().supportsSelection()):
            # X11's middle-click paste of the selected text, through the same finder
            # (Qt's own would insert "mob: +91-99887 76655" as it is).
            return self._paste_numbers(
                QGuiApplication.clipboard().text(QClipboard.Mode.Selection))
        if (watched is self.number and event.type() == QEvent.Type.ContextMenu
                and isinstance(event, QContextMenuEvent)):
            self.context_menu().popup(event.globalPos())
            return True
        return super().eventFilter(watched, event)

    def context_menu(self) -> QMenu:
        """The field's standard menu, whose Paste goes through the same number finder
        as Ctrl+V (Qt's own Paste would drop "mob: +91-99887 76655" in as text)."""
        menu = self.number.createStandardContextMenu()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        qt_paste = next((a for a in menu.actions() if a.objectName() == "edit-paste"), None)
        if qt_paste is not None:
            paste = QAction(qt_paste.text(), menu)
            paste.setObjectName("edit-paste")
            paste.setShortcut(qt_paste.shortcut())
            paste.setEnabled(qt_paste.isEnabled())
            paste.triggered.connect(self.paste)
            menu.insertAction(qt_paste, paste)
            menu.removeAction(qt_paste)
        return menu

    def paste(self) -> None:
        """Paste the clipboard: the number inside the text, a choice, or the text as is."""
        if not self._paste_numbers(QGuiApplication.clipboard().text()):
            self.number.paste()

    def _paste_numbers(self, text: str) -> bool:
        """True when the paste was handled here (the text held one or more numbers)."""
        try:
            parse_dial_target(text, region=self._region)
        except InvalidNumber:
            pass
        else:
            return False  # already a number or tel: link: the ordinary paste is right
        found: list[FoundNumber] = find_numbers(text, self._region)
        if len(found) == 1:
            self.prefill(found[0].number.display())
        elif found:
            self.numbers_pasted.emit(found)
        return bool(found)

    def _press(self, key: str) -> None:
        self.number.insert(key)
        self.number.setFocus()

    def _request(self) -> None:
        self.dial_requested.emit(self.number.text())

    def _text_changed(self, text: str) -> None:
        # Invisible and bidi-control characters never stay in the field: with
        # them it could show 4321098765 while the app would call 9876543210.
        clean = strip_invisible(text)
        if clean != text:
            cursor = self.number.cursorPosition()
            self.number.setText(clean)  # re-enters with the clean text
            self.number.setCursorPosition(min(cursor, len(clean)))
            return
        self._preview(text)

    def _preview(self, text: str) -> None:
        if not text.strip():
            self.preview.setText(" ")
            return
        try:
            parsed = parse_dial_target(text, region=self._region)
        except InvalidNumber as exc:
            self.preview.setText(f"⚠ {exc.reason}")
        else:
            self.preview.setText(f"Will call {parsed.display()}")

    def prefill(self, text: str) -> None:
        self.number.setText(text)
        self.focus_number()

    def choose_number(self, text: str) -> None:
        """A number picked elsewhere (a recent call): fill it in and put focus on Call,
        so one more deliberate key press dials it."""
        self.show_number(text)
        self.call_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_number(self, text: str) -> None:
        """Show the number being called (from a card or a recent call) in the field."""
        if self.number.text() != text:
            self.number.setText(text)

    def focus_number(self) -> None:
        self.number.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.number.selectAll()

    def set_busy(self, busy: bool) -> None:
        """While a call is being set up the button says so and refuses a second press."""
        self.call_button.setEnabled(not busy)
        self.call_button.setText("Calling…" if busy else "Call")
        self.call_button.setAccessibleName("Call: a call is being set up" if busy else "Call")

    def show_message(self, text: str, tone: str = "bad") -> None:
        self.message.setText(text)
        set_tone(self.message, tone)
