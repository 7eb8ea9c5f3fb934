"""The parts of Settings that are not one setting each: the account's state and
sign-in buttons, the team relay's keyring credentials, and the API check.

Passive like every widget: they show what the flow tells them and emit requests.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agentapp.ui.style import named, set_tone

REPORT_HEIGHT = 180  # the API check's table scrolls inside this: Save stays on screen


def _wrapped(text: str = "", name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setAccessibleName(name)
    return label


class AccountBox(QWidget):
    """Who the app is signed in as, where the token is kept, sign in / sign out."""

    sign_in_requested = Signal()
    sign_out_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = _wrapped("", "Account")
        self.token = _wrapped("Checking the keyring…", "API token")
        self.sign_in_button = QPushButton("Sign in…")
        self.sign_in_button.setAccessibleName("Sign in to IVR Solutions")
        self.sign_in_button.clicked.connect(self.sign_in_requested)
        self.sign_out_button = QPushButton("Sign out")
        self.sign_out_button.setAccessibleName("Sign out and remove the token")
        self.sign_out_button.clicked.connect(self.sign_out_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sign_in_button)
        buttons.addWidget(self.sign_out_button)
        buttons.addStretch(1)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)  # wrapped text: no squash
        box.addWidget(self.state)
        box.addWidget(self.token)
        box.addLayout(buttons)

    def show_account(self, text: str, signed_in: bool) -> None:
        self.state.setText(text)
        self.state.setAccessibleName(f"Account: {text}")
        self.sign_out_button.setEnabled(signed_in)

    def show_token(self, text: str, tone: str = "") -> None:
        self.token.setText(text)
        self.token.setAccessibleName(f"API token: {text}")
        named(self.token, "Message")
        set_tone(self.token, tone)


class RelayCredsBox(QWidget):
    """The team relay's NATS credentials: only whether some are stored is ever shown.

    What the agent types or loads is kept here until Save; ``pending()`` says
    what to do with the keyring then.
    """

    file_chosen = Signal(str)  # a .creds file to read (the flow reads it off the UI thread)

    LABEL = "Team relay credentials"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loaded = self._loaded_from = ""
        self._remove = False
        self._stored: bool | None = None
        self._checked = False  # the keyring has answered
        self.status = _wrapped("Checking the keyring…", self.LABEL)
        self.entry = QLineEdit()
        self.entry.setEchoMode(QLineEdit.EchoMode.Password)
        self.entry.setPlaceholderText("user:password or a token (replaces what is stored)")
        self.entry.setAccessibleName(self.LABEL)
        self.entry.textEdited.connect(lambda _t: self._typed())
        self.file_button = QPushButton("Load a .creds file…")
        self.file_button.setAccessibleName("Load team relay credentials from a .creds file")
        self.file_button.clicked.connect(self._choose_file)
        self.remove_button = QPushButton("Remove stored credentials")
        self.remove_button.clicked.connect(self._mark_remove)
        self.remove_button.setEnabled(False)
        self.error = named(_wrapped(), "Message")
        self.error.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.file_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        # In a form row a box with wrapped text was squashed to slivers without this.
        box.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        box.addWidget(self.status)
        box.addWidget(self.entry)
        box.addLayout(buttons)
        box.addWidget(self.error)

    def show_stored(self, stored: bool | None) -> None:
        """What the keyring holds now (None: it could not be read). What the agent
        typed or loaded meanwhile is kept."""
        self._stored, self._checked = stored, True
        self.remove_button.setEnabled(bool(stored))
        self._render()

    def pending(self) -> tuple[str, str] | None:
        """("set", text), ("delete", "") or None: what Save does with the keyring."""
        text = self.entry.text().strip() or self._loaded
        if text:
            return ("set", text)
        return ("delete", "") if self._remove else None

    def set_loaded(self, name: str, text: str) -> None:
        """A .creds file's text, read by the flow; stored at Save like typed text."""
        self.entry.clear()
        self._loaded, self._loaded_from, self._remove = text, name, False
        self._render()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        set_tone(self.error, "bad")
        self.error.setVisible(bool(text))
        self.entry.setAccessibleDescription(text)

    def _typed(self) -> None:
        self._loaded, self._remove = "", False
        self._render()

    def _mark_remove(self) -> None:
        self.entry.clear()
        self._loaded, self._remove = "", True
        self._render()

    def _render(self) -> None:
        if not self._checked:
            state = "Checking the keyring…"
        elif self._stored is None:
            state = "The keyring could not be read."
        elif self._stored:
            state = "Credentials are stored in the system keyring."
        else:
            state = "No credentials are stored."
        if self.entry.text():
            note = "Stored in the keyring when you save."
        elif self._loaded:
            note = f"Loaded {self._loaded_from}: stored in the keyring when you save."
        elif self._remove:
            note = "Removed from the keyring when you save."
        else:
            note = ""
        text = f"{state} {note}".strip()
        self.status.setText(text)
        self.status.setAccessibleName(f"{self.LABEL}: {text}")

    def _choose_file(self) -> None:
        picker = QFileDialog(self, "Team relay credentials", "",
                             "NATS credentials (*.creds);;All files (*)")
        picker.setFileMode(QFileDialog.FileMode.ExistingFile)
        picker.fileSelected.connect(self.file_chosen)
        picker.finished.connect(lambda _r: picker.deleteLater())
        picker.open()


class ApiTools(QWidget):
    """Check API endpoints and Register webhook, with the check's table in a bounded,
    scrollable box (it never grows the dialog past the screen)."""

    check_requested = Signal()
    register_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check_button = QPushButton("Check API endpoints")
        self.check_button.setToolTip("Call each read endpoint the app uses (agentapp --check-api)")
        self.check_button.clicked.connect(self.check_requested)
        self.webhook_button = QPushButton("Register webhook…")
        self.webhook_button.setToolTip("Receive live call events from your account")
        self.webhook_button.clicked.connect(self.register_requested)
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.setTabChangesFocus(True)
        self.report.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.report.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.report.setAccessibleName("API check results")
        self.report.setFixedHeight(REPORT_HEIGHT)
        self.report.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.webhook_button)
        buttons.addStretch(1)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        box.addLayout(buttons)
        box.addWidget(self.report)

    def show_report(self, text: str) -> None:
        self.report.setPlainText(text)
        self.report.show()
