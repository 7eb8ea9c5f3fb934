"""The tray icon's look for each state: the app's headset with a badge in one corner.

Each badge differs in shape as well as colour (a colour-blind agent, a
monochrome panel), and the state is always said in words in the tooltip too:
the icon is a glance, never the only place the state is told.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

ICON_SIZES = (16, 22, 24, 32, 48, 64)


class TrayLook(Enum):
    OFFLINE = "offline"  # not signed in, connecting, offline, token refused
    ONLINE = "online"
    RINGING = "ringing"  # placing a call or ringing
    ON_CALL = "on a call"
    PENDING = "dispositions pending"  # online, with dispositions not on the server yet


_COLOURS = {
    TrayLook.OFFLINE: "#757575",
    TrayLook.ONLINE: "#2e7d32",
    TrayLook.RINGING: "#ef8f00",
    TrayLook.ON_CALL: "#c62828",
    TrayLook.PENDING: "#1565c0",
}


def tray_icon(base: QIcon, look: TrayLook) -> QIcon:
    """``base`` (the app icon) with ``look``'s badge, rendered at every tray size."""
    result = QIcon()
    for size in ICON_SIZES:
        result.addPixmap(tray_pixmap(base, look, size))
    return result


def tray_pixmap(base: QIcon, look: TrayLook, size: int) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        base.paint(painter, 0, 0, size, size)
        _badge(painter, look, QRectF(size * 0.46, size * 0.46, size * 0.54, size * 0.54))
    finally:
        painter.end()
    return pixmap


def _badge(painter: QPainter, look: TrayLook, box: QRectF) -> None:
    colour = QColor(_COLOURS[look])
    white = QColor("#ffffff")
    line = max(1.0, box.width() / 7)
    painter.setPen(QPen(white, line / 2))  # a thin halo keeps the badge apart from the headset
    painter.setBrush(colour)
    inner = box.adjusted(line / 2, line / 2, -line / 2, -line / 2)
    centre = inner.center()
    if look is TrayLook.ON_CALL:  # a square: the line is busy
        painter.drawRoundedRect(inner, inner.width() * 0.2, inner.width() * 0.2)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(white)
        bar = inner.width() * 0.5
        painter.drawRect(QRectF(centre.x() - bar / 2, centre.y() - line / 2, bar, line))
        return
    if look is TrayLook.PENDING:  # a diamond with an exclamation mark: something waits
        path = QPainterPath(QPointF(centre.x(), inner.top()))
        path.lineTo(inner.right(), centre.y())
        path.lineTo(centre.x(), inner.bottom())
        path.lineTo(inner.left(), centre.y())
        path.closeSubpath()
        painter.drawPath(path)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(white)
        height = inner.height()
        painter.drawRect(QRectF(centre.x() - line / 2, inner.top() + height * 0.25,
                                line, height * 0.3))
        painter.drawRect(QRectF(centre.x() - line / 2, inner.top() + height * 0.62,
                                line, line))
        return
    painter.drawEllipse(inner)
    if look is TrayLook.OFFLINE:  # a slashed circle: no line
        painter.setPen(QPen(white, line))
        d = inner.width() * 0.25
        painter.drawLine(QPointF(inner.left() + d, inner.top() + d),
                         QPointF(inner.right() - d, inner.bottom() - d))
    elif look is TrayLook.RINGING:  # a ring inside the dot: the phone is ringing
        painter.setPen(QPen(white, line))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        r = inner.width() * 0.22
        painter.drawEllipse(centre, r, r)
