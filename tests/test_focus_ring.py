"""A visible focus ring on every kind of control, in both palettes (rendered pixels).

Issue 15.5: the Call button had no focus ring. The ring is the palette's
highlight colour (the Call button's, whose face is green, the text colour)
all round the control when it has keyboard focus, and absent without it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTime
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from agentapp.ui.style import named
from agentapp.ui.theme import apply_theme


def _combo() -> QComboBox:
    combo = QComboBox()
    combo.addItems(["Incoming", "Outgoing"])
    return combo


CONTROLS: dict[str, tuple[Callable[[], QWidget], QPalette.ColorRole]] = {
    "button": (lambda: QPushButton("Call back"), QPalette.ColorRole.Highlight),
    "call button": (lambda: named(QPushButton("Call"), "CallButton"), QPalette.ColorRole.Text),
    "number field": (lambda: named(QLineEdit("098765 43210"), "NumberField"),
                     QPalette.ColorRole.Highlight),
    "line edit": (lambda: QLineEdit("text"), QPalette.ColorRole.Highlight),
    "combo box": (_combo, QPalette.ColorRole.Highlight),
    "table": (lambda: QTableWidget(3, 3), QPalette.ColorRole.Highlight),
    "check box": (lambda: QCheckBox("Keep running in the tray"), QPalette.ColorRole.Highlight),
    # Settings: calling hours, numbers of days, lists of device names.
    "time edit": (lambda: QTimeEdit(QTime(9, 0)), QPalette.ColorRole.Highlight),
    "spin box": (lambda: QSpinBox(), QPalette.ColorRole.Highlight),
    "text area": (lambda: QPlainTextEdit("Jabra Evolve"), QPalette.ColorRole.Highlight),
}


def _close(a: QColor, b: QColor) -> bool:
    return max(abs(a.red() - b.red()), abs(a.green() - b.green()),
               abs(a.blue() - b.blue())) < 40


def _ring_coverage(image: QImage, ring: QColor, depth: int = 4) -> float:
    """Share of edge positions (all four sides) with ring colour within ``depth`` px."""
    w, h = image.width(), image.height()
    hits = total = 0
    for x in range(6, w - 6):
        for y_range in (range(depth), range(h - depth, h)):
            total += 1
            hits += any(_close(image.pixelColor(x, y), ring) for y in y_range)
    for y in range(6, h - 6):
        for x_range in (range(depth), range(w - depth, w)):
            total += 1
            hits += any(_close(image.pixelColor(x, y), ring) for x in x_range)
    return hits / total


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("kind", list(CONTROLS))
def test_focused_control_has_a_ring_unfocused_has_none(themed: QApplication, qtbot: QtBot,
                                                       theme: str, kind: str) -> None:
    apply_theme(themed, theme)
    make, role = CONTROLS[kind]
    holder = QWidget()
    qtbot.addWidget(holder)
    other = QLineEdit()
    control = make()
    box = QVBoxLayout(holder)
    box.addWidget(other)
    box.addWidget(control)
    holder.resize(320, 240 if kind == "table" else 120)
    holder.show()
    holder.activateWindow()
    qtbot.waitUntil(lambda: holder.isActiveWindow() or QApplication.activeWindow() is holder,
                    timeout=2000)
    ring = themed.palette().color(role)  # the theme's, not the widget's (QSS recolours it)
    other.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: other.hasFocus(), timeout=2000)
    unfocused = _ring_coverage(control.grab().toImage(), ring)
    control.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: control.hasFocus(), timeout=2000)
    focused = _ring_coverage(control.grab().toImage(), ring)
    assert focused > 0.8, (kind, theme, focused, ring.name())
    assert unfocused < 0.3, (kind, theme, unfocused)
