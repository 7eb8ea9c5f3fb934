"""First-run sign-in: API address + token, checked, then extension and caller ID.

The dialog asks; ``agentapp.qt.sign_in_flow`` validates against the server
and saves only after the token validated. Nothing here touches the network.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agentapp.ui.style import named, set_tone

DEFAULT_BASE_URL = "https://api.ivrsolutions.in"
INTRO = ("Agent Companion places your calls through IVR Solutions: click or type a number, "
         "your desk phone rings first, then the customer. It also pops up who is calling in, "
         "lists your recent calls and shows whether your line is ready.")
DEMO_CHOICE = "Try it with the built-in demo (no real calls)"
ACCOUNT_CHOICE = "Sign in with your IVR Solutions token"
TOKEN_HINT = ("Find your token in the IVR Solutions dashboard → Settings → API token. "
              "It is kept in this computer's keyring, never in a file.")
SIGN_IN_HINT = ("Sign in becomes available once IVR Solutions has accepted your token "
                "(Check token) and you have picked your extension and caller ID.")


class Choice(NamedTuple):
    """One extension or DID the agent may pick: what the list shows, what is saved."""

    label: str
    value: str


class SignInDialog(QDialog):
    validate_requested = Signal(str, str)
    sandbox_requested = Signal()
    sign_in_confirmed = Signal(str, str, str, str)  # base_url, token, ext_no, did

    def __init__(self, base_url: str = DEFAULT_BASE_URL, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Agent Companion: try the demo or sign in")
        self.setMinimumWidth(520)
        self.intro = QLabel(INTRO)
        self.intro.setWordWrap(True)
        self.intro.setAccessibleName("What this app does")
        self.token_hint = QLabel(TOKEN_HINT)
        self.token_hint.setWordWrap(True)
        self.token_hint.setAccessibleName("Where to find your token")
        self.sign_in_hint = QLabel(SIGN_IN_HINT)
        self.sign_in_hint.setWordWrap(True)
        self.sign_in_hint.setAccessibleName("Why Sign in is not available yet")
        self.base_url = QLineEdit(base_url)
        self.base_url.setAccessibleName("API address")
        self.token = QLineEdit()
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setAccessibleName("API token")
        self.token.setPlaceholderText("Paste your API token")
        self.check_button = QPushButton("Check token")
        self.check_button.setAccessibleName("Check token")
        self.check_button.clicked.connect(self._validate)
        self.token.returnPressed.connect(self._validate)
        self.message = named(QLabel(), "Message")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Sign-in message")
        self.keyring_warning = named(QLabel(), "Banner")
        self.keyring_warning.setWordWrap(True)
        self.keyring_warning.hide()
        self.extension = QComboBox()
        self.extension.setAccessibleName("Your extension")
        self.did = QComboBox()
        self.did.setAccessibleName("Caller ID (DID)")
        self.choices = QGroupBox("Your line")
        self.choices.setEnabled(False)
        self.buttons = QDialogButtonBox()
        self.sandbox_button = QPushButton(DEMO_CHOICE)
        self.sandbox_button.setAccessibleName(DEMO_CHOICE)
        self.sign_in_button = self.buttons.addButton(
            "Sign in", QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_in_button.setEnabled(False)
        self.sign_in_button.setToolTip(SIGN_IN_HINT)
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setToolTip("Close this window; nothing changes. File → Sign in opens it again.")
        self.buttons.rejected.connect(self.reject)
        self.sandbox_button.clicked.connect(self.sandbox_requested)
        self.sign_in_button.clicked.connect(self._confirm)
        self._layout()

    def _layout(self) -> None:
        demo = QGroupBox("Just looking?")
        demo_box = QVBoxLayout(demo)
        demo_box.addWidget(self.sandbox_button)
        signed = QGroupBox(ACCOUNT_CHOICE)
        account = QFormLayout()
        account.addRow("API address", self.base_url)
        account.addRow("API token", self.token)
        account.addRow("", self.check_button)
        line = QFormLayout(self.choices)
        line.addRow("Extension (rings first)", self.extension)
        line.addRow("Caller ID shown to customers", self.did)
        signed_box = QVBoxLayout(signed)
        signed_box.addWidget(self.token_hint)
        signed_box.addLayout(account)
        signed_box.addWidget(self.message)
        signed_box.addWidget(self.keyring_warning)
        signed_box.addWidget(self.choices)
        signed_box.addWidget(self.sign_in_hint)
        box = QVBoxLayout(self)
        box.addWidget(self.intro)
        box.addWidget(demo)
        box.addWidget(signed)
        box.addWidget(self.buttons)

    def _fit(self) -> None:
        """Grow to fit the wrapped text at the current width: adjustSize() measures
        word-wrapped labels at another width and left the fields squashed."""
        layout = self.layout()
        if layout is None:
            return
        needed = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() \
            else layout.totalSizeHint().height()
        self.setMinimumHeight(needed)
        if self.height() < needed:
            self.resize(self.width(), needed)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit()

    def _validate(self) -> None:
        self.show_message("Checking the token…", "")
        self.validate_requested.emit(self.base_url.text(), self.token.text())

    def _confirm(self) -> None:
        self.sign_in_confirmed.emit(self.base_url.text(), self.token.text(),
                                    self.extension.currentData() or "",
                                    self.did.currentData() or "")

    # -- told by the facade ----------------------------------------------------
    def set_busy(self, busy: bool) -> None:
        self.check_button.setEnabled(not busy)
        self.sign_in_button.setEnabled(not busy and self.choices.isEnabled())

    def show_message(self, text: str, tone: str = "bad") -> None:
        self.message.setText(text)
        set_tone(self.message, tone)
        self._fit()

    def show_keyring_warning(self, text: str) -> None:
        self.keyring_warning.setText(text)
        self.keyring_warning.setVisible(bool(text))
        self._fit()

    def invalidate(self) -> None:
        """The token or URL changed after a check: choices no longer apply."""
        self.choices.setEnabled(False)
        self.sign_in_button.setEnabled(False)
        self.sign_in_hint.show()
        self.sign_in_button.setToolTip(SIGN_IN_HINT)

    def show_account(self, name: str, extensions: Sequence[Choice],
                     dids: Sequence[Choice]) -> None:
        """The token was accepted for ``name``: offer its extensions and caller IDs."""
        self.extension.clear()
        for choice in extensions:
            self.extension.addItem(choice.label, choice.value)
        self.did.clear()
        for choice in dids:
            self.did.addItem(choice.label, choice.value)
        self.choices.setEnabled(True)
        self.sign_in_hint.hide()
        self.sign_in_button.setToolTip("")
        self.sign_in_button.setEnabled(True)
        self.sign_in_button.setDefault(True)
        self.show_message(f"Token accepted for {name}. Pick your extension and caller ID.", "ok")
        self.extension.setFocus(Qt.FocusReason.OtherFocusReason)
