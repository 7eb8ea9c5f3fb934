"""A horizontal level meter: RMS bar, peak tick, and the same facts in words.

The bar is a convenience; the label and the accessible name carry the
numbers and "clipping" in words, so no one depends on colour or shape.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from agentapp.audio.dsp import Level

RANGE_DBFS = 60.0  # the bar shows -60..0 dBFS


def level_text(level: Level | None) -> str:
    if level is None:
        return "No input"
    if level.peak_dbfs <= -RANGE_DBFS - 30:
        text = "Silence (below −90 dBFS)"
    else:
        text = f"{level.rms_dbfs:.1f} dBFS RMS, peak {level.peak_dbfs:.1f} dBFS"
    return text + (" — CLIPPING" if level.is_clipping else "")


class LevelMeter(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.level: Level | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Microphone level: no input")

    def sizeHint(self) -> QSize:
        return QSize(320, 18)

    def set_level(self, level: Level | None) -> None:
        self.level = level
        self.setAccessibleName(f"Microphone level: {level_text(level)}")
        self.update()

    @staticmethod
    def _fraction(value_dbfs: float) -> float:
        return min(1.0, max(0.0, (value_dbfs + RANGE_DBFS) / RANGE_DBFS))

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        palette = self.palette()
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(rect, 3, 3)
        level = self.level
        if level is None:
            return
        clipping = level.is_clipping
        fill = QColor(217, 48, 37) if clipping else (
            QColor(249, 171, 0) if level.peak_dbfs > -6 else QColor(30, 142, 62))
        width = rect.width() * self._fraction(level.rms_dbfs)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(QRectF(rect.left(), rect.top(), width, rect.height()), 3, 3)
        peak_x = rect.left() + rect.width() * self._fraction(level.peak_dbfs)
        painter.setPen(palette.color(QPalette.ColorRole.WindowText))
        painter.drawLine(int(peak_x), int(rect.top()) + 1, int(peak_x), int(rect.bottom()) - 1)
