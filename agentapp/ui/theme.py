"""Light and dark palettes plus the shared style sheet, applied in one place."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from agentapp.resources import resource_path


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def _dark_palette() -> QPalette:
    p = QPalette()
    window, base, text = QColor(32, 33, 36), QColor(24, 25, 27), QColor(232, 234, 237)
    p.setColor(QPalette.ColorRole.Window, window)
    p.setColor(QPalette.ColorRole.WindowText, text)
    p.setColor(QPalette.ColorRole.Base, base)
    p.setColor(QPalette.ColorRole.AlternateBase, QColor(45, 46, 50))
    p.setColor(QPalette.ColorRole.Text, text)
    p.setColor(QPalette.ColorRole.Button, QColor(48, 49, 53))
    p.setColor(QPalette.ColorRole.ButtonText, text)
    p.setColor(QPalette.ColorRole.Highlight, QColor(138, 180, 248))
    p.setColor(QPalette.ColorRole.HighlightedText, QColor(20, 20, 20))
    p.setColor(QPalette.ColorRole.ToolTipBase, QColor(48, 49, 53))
    p.setColor(QPalette.ColorRole.ToolTipText, text)
    p.setColor(QPalette.ColorRole.PlaceholderText, QColor(154, 160, 166))
    p.setColor(QPalette.ColorRole.Mid, QColor(95, 99, 104))
    p.setColor(QPalette.ColorRole.Link, QColor(138, 180, 248))
    _disabled(p, text=QColor(120, 124, 128), button=QColor(38, 39, 42), base=QColor(32, 33, 36))
    return p


def _light_palette() -> QPalette:
    p = QPalette()
    p.setColor(QPalette.ColorRole.Window, QColor(246, 247, 249))
    p.setColor(QPalette.ColorRole.WindowText, QColor(32, 33, 36))
    p.setColor(QPalette.ColorRole.Base, QColor(255, 255, 255))
    p.setColor(QPalette.ColorRole.AlternateBase, QColor(232, 240, 254))
    p.setColor(QPalette.ColorRole.Text, QColor(32, 33, 36))
    p.setColor(QPalette.ColorRole.Button, QColor(255, 255, 255))
    p.setColor(QPalette.ColorRole.ButtonText, QColor(32, 33, 36))
    p.setColor(QPalette.ColorRole.Highlight, QColor(26, 115, 232))
    p.setColor(QPalette.ColorRole.HighlightedText, QColor(255, 255, 255))
    p.setColor(QPalette.ColorRole.Mid, QColor(189, 193, 198))
    p.setColor(QPalette.ColorRole.PlaceholderText, QColor(128, 134, 139))
    _disabled(p, text=QColor(154, 160, 166), button=QColor(241, 243, 244),
              base=QColor(241, 243, 244))
    return p


def _disabled(p: QPalette, *, text: QColor, button: QColor, base: QColor) -> None:
    """Disabled controls must look disabled: faded text on a flat, muted face.

    ``setColor(role, c)`` sets every colour group, so without this a disabled
    button in the light palette drew exactly like an enabled one.
    """
    disabled = QPalette.ColorGroup.Disabled
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText,
                 QPalette.ColorRole.WindowText, QPalette.ColorRole.PlaceholderText):
        p.setColor(disabled, role, text)
    p.setColor(disabled, QPalette.ColorRole.Button, button)
    p.setColor(disabled, QPalette.ColorRole.Base, base)
    p.setColor(disabled, QPalette.ColorRole.Highlight, text)


def apply_theme(app: QApplication, theme: str) -> bool:
    """Apply ``system``/``light``/``dark``; returns True when the result is dark."""
    dark = system_prefers_dark() if theme == "system" else theme == "dark"
    app.setStyle("Fusion")
    app.setPalette(_dark_palette() if dark else _light_palette())
    app.setStyleSheet(resource_path("themes", "app.qss").read_text(encoding="utf-8"))
    return dark
