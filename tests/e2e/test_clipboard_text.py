"""Dial from clipboard and paste with numbers inside text (issue 15.6), through the real app."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QWidget
from pytestqt.qtbot import QtBot

from agentapp.sandbox import SandboxConfig
from agentapp.ui.number_chooser import NumberChooser
from testkit.apps import StartApp
from testkit.dialogs import open_dialogs
from testkit.qt_loop import QtLoop
from testkit.waiting import wait_until


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(host="127.0.0.1", port=0, seed=3, speed=40.0, history=20)


def _chooser(window: QWidget) -> NumberChooser | None:
    found = [d for d in open_dialogs(window) if isinstance(d, NumberChooser)]
    return found[0] if found else None


def test_one_number_in_a_note_dials_it(qloop: QtLoop, start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app()
        QGuiApplication.clipboard().setText("Ravi Kumar, mob: +91-99887 76655 (after 6pm)")
        app.window.clipboard_action.trigger()
        await wait_until(lambda: len(app.calls()) == 1, 5, "the clipboard call")
        assert app.calls()[0]["to"] == "9988776655"
        assert app.window.dial.number.text() == "+91 99887 76655"
    qloop.run(scenario())


def test_several_numbers_offer_a_keyboard_choice(qloop: QtLoop, qtbot: QtBot,
                                                 start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app()
        QGuiApplication.clipboard().setText(
            "Office 011-4310 4567; mobile 098765 43210 (after 6pm)")
        app.window.clipboard_action.trigger()
        await wait_until(lambda: _chooser(app.window) is not None, 5, "the chooser")
        chooser = _chooser(app.window)
        assert chooser is not None and chooser.parent() is app.window
        assert chooser.list.count() == 2 and app.calls() == []
        names = [chooser.list.item(i).data(Qt.ItemDataRole.AccessibleTextRole)
                 for i in range(chooser.list.count())]
        assert names[0].startswith("+91 11 4310 4567") and names[1].startswith("+91 98765")
        qtbot.keyClick(chooser.list, Qt.Key.Key_Down)
        qtbot.keyClick(chooser.list, Qt.Key.Key_Return)
        await wait_until(lambda: len(app.calls()) == 1, 5, "the chosen call")
        assert app.calls()[0]["to"] == "9876543210"
        assert _chooser(app.window) is None
    qloop.run(scenario())


def test_text_without_a_number_is_refused_without_widening_the_window(
        qloop: QtLoop, start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app()
        window = app.window
        before = window.minimumSizeHint().width()
        QGuiApplication.clipboard().setText("Customer wants a callback about the refund. " * 20)
        window.clipboard_action.trigger()
        message = window.dial.message
        await wait_until(lambda: message.text(), 5, "the refusal")
        assert message.text().startswith("No phone number found in") and len(message.text()) < 80
        assert message.wordWrap() and app.calls() == []
        assert window.minimumSizeHint().width() <= before
    qloop.run(scenario())


def test_paste_into_the_field_takes_the_number_out_of_the_text(
        qloop: QtLoop, qtbot: QtBot, start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app()
        field = app.window.dial.number
        field.setFocus()
        QGuiApplication.clipboard().setText("Ravi Kumar, mob: +91-99887 76655 (after 6pm)")
        qtbot.keySequence(field, QKeySequence.StandardKey.Paste)
        assert field.text() == "+91 99887 76655"
        assert app.window.dial.preview.text().startswith("Will call")
        field.clear()
        QGuiApplication.clipboard().setText("011-4310 4567 or 98765 43210")
        qtbot.keySequence(field, QKeySequence.StandardKey.Paste)
        await wait_until(lambda: _chooser(app.window) is not None, 5, "the chooser")
        chooser = _chooser(app.window)
        assert chooser is not None
        chooser.pick_button.click()
        assert field.text() == "+91 11 4310 4567" and app.calls() == []
    qloop.run(scenario())


def _context_menu_paste(field: QWidget) -> None:
    """Right-click the field and choose Paste in the menu that opens (as a mouse would)."""
    before = QApplication.topLevelWidgets()  # kept alive: wrappers' ids may be reused
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(5, 5),
                              field.mapToGlobal(QPoint(5, 5)))
    QApplication.sendEvent(field, event)
    menus = [w for w in QApplication.topLevelWidgets()
             if isinstance(w, QMenu) and all(w is not b for b in before) and w.isVisible()]
    assert len(menus) == 1, "one context menu opens"
    paste = [a for a in menus[0].actions() if a.objectName() == "edit-paste"]
    assert len(paste) == 1 and paste[0].isEnabled()
    assert paste[0].text().replace("&", "").startswith("Paste")
    paste[0].trigger()
    menus[0].close()


def test_paste_from_the_context_menu_takes_the_number_out_of_the_text(
        qloop: QtLoop, start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app()
        field = app.window.dial.number
        QGuiApplication.clipboard().setText("Ravi Kumar, mob: +91-99887 76655 (after 6pm)")
        _context_menu_paste(field)
        assert field.text() == "+91 99887 76655"
        assert app.window.dial.preview.text().startswith("Will call")
        field.setText("")
        QGuiApplication.clipboard().setText("011-4310 4567 or 98765 43210")
        _context_menu_paste(field)
        await wait_until(lambda: _chooser(app.window) is not None, 5, "the chooser")
        chooser = _chooser(app.window)
        assert chooser is not None and chooser.list.count() == 2
        chooser.pick_button.click()
        assert field.text() == "+91 11 4310 4567" and app.calls() == []
        field.setText("")
        QGuiApplication.clipboard().setText("98765 43210")  # already a number: pasted as is
        _context_menu_paste(field)
        assert field.text() == "98765 43210"
    qloop.run(scenario())
