"""The first-launch dialog grows to fit its wrapped text: no field is squashed.

On a real X server adjustSize() measured the word-wrapped intro and hints at
another width, and a keyring warning left the fields half their height.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from agentapp.ui.sign_in_dialog import SignInDialog

WARNING = ("No secure keyring was found on this computer (no keyring service answered), so "
           "your token cannot be saved. It will not be written to a file. Install or unlock "
           "your desktop keyring (GNOME Keyring, KWallet, Windows Credential Manager or "
           "macOS Keychain) and try again.")


def _squashed(dialog: SignInDialog) -> list[str]:
    controls = [w for w in dialog.findChildren(QWidget)
                if isinstance(w, QLineEdit | QPushButton | QComboBox) and w.isVisible()]
    return [w.accessibleName() or type(w).__name__ for w in controls
            if w.height() < w.minimumSizeHint().height()]


def test_dialog_fits_its_text_after_a_warning(qtbot: QtBot) -> None:
    dialog = SignInDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert _squashed(dialog) == []
    dialog.show_keyring_warning(WARNING)
    dialog.show_message("The server did not answer: check the API address. " * 3)
    layout = dialog.layout()
    assert layout is not None
    assert dialog.height() >= layout.totalHeightForWidth(dialog.width())
    assert _squashed(dialog) == []
    dialog.close()
