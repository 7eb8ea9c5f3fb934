"""Find bundled resources and load themed icons, the same way from every install.

Three layouts exist: a source checkout (top-level ``resources/``), a
PyInstaller bundle (``sys._MEIPASS/resources``) and an installed wheel
(``agentapp/_resources``, mapped from ``resources/`` by setuptools). Qt is
imported lazily so non-Qt code can still call ``resource_path``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon

ICON_SIZES = (16, 24, 32, 48, 64)
LIGHT_PALETTE_INK = "#1f1f1f"
DARK_PALETTE_INK = "#e8e8e8"
# The tray sits on the desktop's panel, whose colour the app cannot know (a dark panel
# with a light app theme is common): a mid-tone ink reads on light and dark panels alike
# (about 4:1 against white and 5:1 against black).
TRAY_INK = "#3a7bd5"
_SOURCE_INKS = ("currentColor", "#000000", "#000")


def resources_root() -> Path:
    """The directory holding ``icons/``, ``themes/`` etc. for this install."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    package = Path(__file__).resolve().parent
    installed = package / "_resources"
    if installed.is_dir():
        return installed
    return package.parent / "resources"


def resource_path(*parts: str) -> Path:
    """Path of a bundled resource; raises FileNotFoundError naming what is missing."""
    path = resources_root().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"missing resource: {'/'.join(parts)} (looked in {path})")
    return path


def recoloured_svg(svg: str, color: str) -> str:
    """Monochrome icons are drawn in black/currentColor; swap in the palette's ink."""
    for ink in _SOURCE_INKS:
        svg = svg.replace(f'"{ink}"', f'"{color}"').replace(f":{ink}", f":{color}")
    return svg


def icon(name: str, palette_is_dark: bool, *, color: str | None = None) -> QIcon:
    """A QIcon rendered from ``icons/<name>.svg`` in the ink that suits the palette.

    Needs a QGuiApplication (pixmaps). Rendered at several sizes so Qt never
    scales a bitmap up.
    """
    from PySide6.QtCore import QByteArray, Qt
    from PySide6.QtGui import QIcon, QPainter, QPixmap
    from PySide6.QtSvg import QSvgRenderer

    ink = color or (DARK_PALETTE_INK if palette_is_dark else LIGHT_PALETTE_INK)
    svg = recoloured_svg(resource_path("icons", f"{name}.svg").read_text("utf-8"), ink)
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    if not renderer.isValid():
        raise ValueError(f"icon {name!r} is not a valid SVG")
    result = QIcon()
    for size in ICON_SIZES:
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        try:
            renderer.render(painter)
        finally:
            painter.end()
        result.addPixmap(pixmap)
    return result
