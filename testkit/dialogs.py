"""Find the dialogs a window owns, and catch the ones a test leaves open.

Dialogs are looked up through their parent window, never among all of the
application's top-level widgets: another test's leftover must not answer for
this one. A dialog still open when a test ends is closed and fails that test
(``tests/conftest.py``), so it cannot block the tests after it.
"""

from __future__ import annotations

import gc

from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget


def open_dialogs(window: QWidget) -> list[QDialog]:
    """The visible dialogs ``window`` owns, nested ones included (a question over Settings)."""
    return [d for d in window.findChildren(QDialog) if d.isVisible()]


def open_question(window: QWidget, containing: str = "") -> QMessageBox | None:
    """The visible message box owned by ``window`` whose text contains ``containing``."""
    for dialog in open_dialogs(window):
        if isinstance(dialog, QMessageBox) and containing.lower() in dialog.text().lower():
            return dialog
    return None


def describe(dialog: QDialog) -> str:
    text = dialog.text() if isinstance(dialog, QMessageBox) else ""
    return f"{type(dialog).__name__} {dialog.windowTitle()!r}" + (f": {text!r}" if text else "")


def close_leftover_dialogs(app: QApplication | None = None) -> list[str]:
    """Close every visible dialog in the process; returns what was open (for the failure).

    A stopped app's window (and the dialogs it owns) is destroyed once the
    last reference to it goes; a cycle may delay that, so garbage is collected
    before anything counts as left open.
    """
    app = app or _existing_app()
    if app is None:
        return []
    left = _visible_dialogs(app)
    if left:
        gc.collect()
        left = _visible_dialogs(app)
    for dialog in left:
        dialog.done(QDialog.DialogCode.Rejected)
        dialog.hide()
    return [describe(d) for d in left]


def _visible_dialogs(app: QApplication) -> list[QDialog]:
    return [w for w in app.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()]


def _existing_app() -> QApplication | None:
    app = QApplication.instance()
    return app if isinstance(app, QApplication) else None
