"""Keyboard only, and every stop named (issue 15.5): the real app, QTest key clicks."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QWidget
from pytestqt.qtbot import QtBot

from agentapp.core.call import Phase
from agentapp.sandbox import SandboxConfig
from agentapp.ui.main_window import MainWindow
from testkit.apps import AppUnderTest, StartApp
from testkit.qt_loop import QtLoop
from testkit.waiting import wait_until


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(host="127.0.0.1", port=0, seed=5, speed=60.0, history=400)


def _focus() -> QWidget | None:
    return QApplication.focusWidget()


def focus_chain(window: MainWindow, qtbot: QtBot, limit: int = 80) -> list[QWidget]:
    """Press Tab from the number field until focus comes back to it: every stop, in order."""
    window.dial.focus_number()
    start = window.dial.number
    seen: list[QWidget] = [start]
    for _ in range(limit):
        focused = _focus()
        assert focused is not None
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
        now = _focus()
        assert now is not None, "Tab lost the focus"
        if now is start:
            return seen
        seen.append(now)
    raise AssertionError(f"Tab never came back to the number field: {seen[-5:]}")


def _name(widget: QWidget) -> str:
    return widget.accessibleName().strip()


async def _ended_call(app: AppUnderTest, qtbot: QtBot) -> None:
    """Keyboard only: type, Enter, wait for the card to end (its buttons appear)."""
    window = app.window
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert _focus() is window.dial.number
    qtbot.keyClicks(window.dial.number, "098765 43210")
    qtbot.keyClick(window.dial.number, Qt.Key.Key_Return)
    await wait_until(lambda: window.cards() and window.cards()[0].timeline.phase is Phase.ENDED,
                     20, "the call to end")
    await wait_until(lambda: window.cards()[0].again_button.isVisible(), 5, "Call again")


def test_keyboard_journey_number_call_card_action(qloop: QtLoop, qtbot: QtBot,
                                                  start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app()
        window = app.window
        window.activateWindow()
        await _ended_call(app, qtbot)
        assert len(app.calls()) == 1
        card = window.cards()[0]
        chain = focus_chain(window, qtbot)
        assert card.again_button in chain and card.dismiss_button in chain
        while _focus() is not card.dismiss_button:
            focused = _focus()
            assert focused is not None
            qtbot.keyClick(focused, Qt.Key.Key_Tab)
        qtbot.keyClick(card.dismiss_button, Qt.Key.Key_Space)
        assert window.cards() == []
    qloop.run(scenario())


def test_every_tab_stop_has_a_name_and_the_table_is_one_stop(qloop: QtLoop, qtbot: QtBot,
                                                            start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app()
        window = app.window
        window.activateWindow()
        await wait_until(lambda: app.runtime.history.recent_model.rowCount() > 1, 20,
                         "recent calls")
        await _ended_call(app, qtbot)
        chain = focus_chain(window, qtbot)
        unnamed = [f"{type(w).__name__}:{w.objectName()}" for w in chain if not _name(w)]
        assert unnamed == []
        assert chain.count(window.recent.table) == 1
        card = window.cards()[0]  # Tab follows the screen: the card before Recent calls
        assert chain.index(window.dial.call_button) < chain.index(card.again_button) \
            < chain.index(window.recent.table)
        for combo in (w for w in chain if isinstance(w, QComboBox)):
            assert _name(combo) != combo.currentText()  # named by its label, not its value
        for button in (w for w in chain if isinstance(w, QAbstractButton)):
            assert button.isVisible() and button.isEnabled()
        table = window.recent.table
        table.setFocus()
        table.setCurrentIndex(table.model().index(0, 0))
        qtbot.keyClick(table, Qt.Key.Key_Down)
        assert table.currentIndex().row() == 1 and _focus() is table
    qloop.run(scenario())
