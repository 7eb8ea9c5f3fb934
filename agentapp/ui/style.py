"""Small helpers the widgets share for style-sheet hooks."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QWidget

W = TypeVar("W", bound=QWidget)


def named(widget: W, object_name: str) -> W:
    """Give ``widget`` the object name the style sheet (app.qss) selects on."""
    widget.setObjectName(object_name)
    return widget


def set_tone(widget: QWidget, tone: str) -> None:
    """Switch a ``[tone=...]`` style-sheet variant and re-polish so it shows."""
    widget.setProperty("tone", tone)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
