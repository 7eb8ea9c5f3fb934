"""QuitGuard: each feature adds a check; one question lists every reason, default No."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from agentapp.qt.quit_guard import QUIT_TITLE, QuitGuard, live_call_reason
from agentapp.ui.main_window import MainWindow
from testkit.dialogs import open_question


def test_no_reason_quits_at_once(qtbot: QtBot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    quits: list[bool] = []
    guard = QuitGuard(window.ask_confirmation, lambda: quits.append(True))
    guard.add(live_call_reason(lambda: 0))
    guard.request()
    assert quits == [True] and open_question(window) is None


def test_every_reason_in_one_question_and_only_yes_quits(qtbot: QtBot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    quits: list[bool] = []
    guard = QuitGuard(window.ask_confirmation, lambda: quits.append(True))
    guard.add(live_call_reason(lambda: 2))
    guard.add(lambda: "3 calls still need a disposition.")  # what another feature adds
    guard.request()
    box = open_question(window, "in progress")
    assert box is not None and box.windowTitle() == QUIT_TITLE
    assert "2 calls are in progress" in box.text() and "need a disposition" in box.text()
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    guard.request()  # Ctrl+Q again while asked: still one question
    assert len([d for d in window.findChildren(QMessageBox) if d.isVisible()]) == 1
    box.button(QMessageBox.StandardButton.No).click()
    assert quits == []
    guard.request()
    box = open_question(window, "in progress")
    assert box is not None
    box.button(QMessageBox.StandardButton.Yes).click()
    assert quits == [True]
