"""The Help windows in both palettes: their text is drawn in the palette's text colour
on its own background (no hard-coded colours), and they fit a 1366x768 screen."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from agentapp.ui.about import AboutDialog, AboutInfo
from agentapp.ui.help_guide import GuideViewer
from agentapp.ui.help_shortcuts import ShortcutsSheet, shortcut_rows
from agentapp.ui.main_window import MainWindow
from agentapp.ui.theme import apply_theme

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "user-guide.md"



def _near(a: QColor, b: QColor, tolerance: int = 48) -> bool:
    return max(abs(a.red() - b.red()), abs(a.green() - b.green()),
               abs(a.blue() - b.blue())) < tolerance


def _colours(widget: QWidget) -> tuple[QColor, Counter[int]]:
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    counts: Counter[int] = Counter(image.pixel(x, y) for x in range(0, image.width(), 2)
                                   for y in range(0, image.height(), 2))
    return QColor(counts.most_common(1)[0][0]), counts


def _has_text(widget: QWidget, role: QPalette.ColorRole) -> None:
    ink = widget.palette().color(role)
    background, counts = _colours(widget)
    inked = sum(n for rgb, n in counts.items() if _near(QColor(rgb), ink))
    assert inked > 50, f"almost no text in {ink.name()} on {background.name()}"
    assert not _near(background, ink, 96), "text colour too close to the background"


def _windows(qtbot: QtBot) -> list[QWidget]:
    window = MainWindow()
    qtbot.addWidget(window)
    about = AboutInfo("0.1.0", (("Python", "3.11.7"), ("Qt", "6.8.1")),
                      (("Log folder", Path("/home/priya.sharma/.local/state/agentapp/log")),
                       ("Data folder", Path("/home/priya.sharma/.local/share/agentapp/default"))))
    found: list[QWidget] = [GuideViewer(GUIDE.read_text("utf-8"), window),
                            ShortcutsSheet(shortcut_rows(window), window),
                            AboutDialog(about, window)]
    return found


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_help_windows_read_in_both_palettes_and_fit(themed: QApplication, qtbot: QtBot,
                                                    theme: str) -> None:
    dark = apply_theme(themed, theme)
    assert dark == (theme == "dark")
    for widget in _windows(qtbot):
        widget.show()
        qtbot.waitExposed(widget)
        assert widget.width() <= 1366 and widget.height() <= 728
        hint = widget.minimumSizeHint()
        assert hint.width() <= 1366 and hint.height() <= 728
        if isinstance(widget, GuideViewer):
            _has_text(widget.browser.viewport(), QPalette.ColorRole.Text)
        elif isinstance(widget, ShortcutsSheet):
            _has_text(widget.table.viewport(), QPalette.ColorRole.Text)
        else:
            _has_text(widget, QPalette.ColorRole.WindowText)
        widget.close()
