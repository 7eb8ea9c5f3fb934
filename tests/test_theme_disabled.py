"""Disabled controls look disabled in both palettes (rendered pixels, not palette entries).

The light palette once set each colour for every group, so a disabled "Sign in",
"Call back" or "Sign out" drew exactly like an enabled one.
"""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtGui import QAction, QColor, QImage
from PySide6.QtWidgets import QApplication, QMenu, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from agentapp.ui.theme import apply_theme


def _ink_contrast(image: QImage) -> float:
    """Lightness distance between the face (most common colour) and the strongest ink."""
    inner = [image.pixelColor(x, y)
             for x in range(4, image.width() - 4) for y in range(4, image.height() - 4)]
    face = Counter(c.rgb() for c in inner).most_common(1)[0][0]
    face_lightness = QColor.fromRgb(face).lightnessF()
    return max(abs(c.lightnessF() - face_lightness) for c in inner)


def _grab(widget: QWidget) -> QImage:
    widget.ensurePolished()
    widget.resize(widget.sizeHint())
    return widget.grab().toImage()


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("text", ["Sign in", "Call back"])
def test_disabled_button_is_drawn_fainter(themed: QApplication, qtbot: QtBot, theme: str,
                                          text: str) -> None:
    apply_theme(themed, theme)
    enabled, disabled = QPushButton(text), QPushButton(text)
    disabled.setEnabled(False)
    for button in (enabled, disabled):
        qtbot.addWidget(button)
    on, off = _grab(enabled), _grab(disabled)
    assert on != off
    assert _ink_contrast(on) - _ink_contrast(off) > 0.15, (theme, text)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_disabled_menu_item_is_drawn_fainter(themed: QApplication, qtbot: QtBot,
                                             theme: str) -> None:
    apply_theme(themed, theme)
    images = []
    for enabled in (True, False):
        menu = QMenu()
        qtbot.addWidget(menu)
        action = QAction("Sign out", menu)
        action.setEnabled(enabled)
        menu.addAction(action)
        images.append(_grab(menu))
    on, off = images
    assert _ink_contrast(on) - _ink_contrast(off) > 0.15, theme
