"""The window shell painted before the rest of the app loads: truthful, and replaced cleanly."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow
from pytestqt.qtbot import QtBot

from agentapp.ui.starting_shell import DEFAULT_SIZE, StartingShell


def test_shell_says_starting_in_words_and_nothing_it_has_not_reached(qtbot: QtBot) -> None:
    shell = StartingShell("Agent Companion")
    qtbot.addWidget(shell)
    assert shell.show_painted()
    assert shell.painted and shell.isVisible()
    assert shell.windowTitle() == "Agent Companion"
    assert shell.state.text() == "Starting… not connected yet."
    assert shell.state.accessibleName() == "Status: starting, not connected yet"
    assert shell.accessibleName() == "Agent Companion, starting"
    assert shell.statusBar().currentMessage() == "Starting…"
    words = " ".join(label.text() for label in shell.findChildren(QLabel)).lower()
    assert "online" not in words and "ext" not in words
    assert (shell.width(), shell.height()) == DEFAULT_SIZE


def test_shell_takes_the_saved_geometry(qtbot: QtBot) -> None:
    earlier = QMainWindow()
    qtbot.addWidget(earlier)
    earlier.resize(640, 560)  # within offscreen's 800x800 screen (restore clamps)
    earlier.show()  # the app saves its geometry from a shown window
    qtbot.waitExposed(earlier)
    saved = bytes(earlier.saveGeometry().data())
    shell = StartingShell("Agent Companion", saved)
    qtbot.addWidget(shell)
    assert (shell.width(), shell.height()) == (640, 560)
    broken = StartingShell("Agent Companion", b"not a geometry")
    qtbot.addWidget(broken)
    assert (broken.width(), broken.height()) == DEFAULT_SIZE


def test_hand_over_shows_the_window_in_the_shells_place(qtbot: QtBot) -> None:
    shell = StartingShell("Agent Companion")  # not added: hand_over deletes it
    shell.show_painted()
    shell.setGeometry(40, 50, 900, 600)
    window = QMainWindow()
    qtbot.addWidget(window)
    shell.hand_over(window, keep_geometry=False)
    assert window.isVisible() and not shell.isVisible()
    assert (window.width(), window.height()) == (900, 600)


def test_hand_over_keeps_a_window_that_restored_its_own_geometry(qtbot: QtBot) -> None:
    shell = StartingShell("Agent Companion")  # not added: hand_over deletes it
    shell.show_painted()
    window = QMainWindow()
    qtbot.addWidget(window)
    window.resize(700, 540)
    shell.hand_over(window, keep_geometry=True)
    assert (window.width(), window.height()) == (700, 540)
    assert window.isVisible() and not shell.isVisible()
