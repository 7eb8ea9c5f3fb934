"""The suite's own guard: a test that leaves a dialog open fails, the next one is clean."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LEAKY = '''
from PySide6.QtWidgets import QMainWindow, QMessageBox

windows = []  # outlives each test, as a stopped app's window does

def test_leaves_a_question_open(qapp):
    windows.append(QMainWindow())
    windows[0].show()
    QMessageBox(QMessageBox.Icon.Question, "Call outside calling hours?", "Call anyway?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                windows[0]).open()

def test_after_it_sees_no_dialog(qapp):
    assert [w for w in qapp.topLevelWidgets() if w.isVisible()] == windows

def test_closing_what_it_opens_passes(qapp):
    box = QMessageBox(windows[0])
    box.open()
    box.reject()
'''


def test_a_dialog_left_open_fails_that_test_only(pytester: pytest.Pytester,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]))
    pytester.makepyfile(test_leaky=LEAKY)
    result = pytester.runpytest_subprocess("-p", "testkit.pytest_dialogs", "-p", "no:cacheprovider",
                                           "-rf")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines([
        "the test left dialogs open: QMessageBox 'Call outside calling hours?': 'Call anyway?'",
        "FAILED test_leaky.py::test_leaves_a_question_open - *",
    ])
