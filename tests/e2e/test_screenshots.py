"""The app on a real X server (Xvfb in CI): screenshots of both palettes look right.

Runs scripts/screenshots.py (the same script that made docs/screenshots) in a
subprocess with the xcb platform, then checks the pictures, not just the files.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

from testkit.strict import need_service

ROOT = Path(__file__).resolve().parents[2]


def _mean_lightness(image: QImage) -> float:
    step = 7
    values = [image.pixelColor(x, y).lightnessF()
              for x in range(0, image.width(), step) for y in range(0, image.height(), step)]
    return sum(values) / len(values)


def test_screenshots_on_a_real_x_server(tmp_path: Path) -> None:
    need_service(bool(os.environ.get("DISPLAY")), "an X server (DISPLAY; Xvfb in CI)")
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb"}
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "screenshots.py"),
                           str(tmp_path)], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    light = QImage(str(tmp_path / "main-window.png"))
    dark = QImage(str(tmp_path / "main-window-dark.png"))
    sign_in = QImage(str(tmp_path / "sign-in.png"))
    assert light.width() >= 760 and light.height() >= 520
    assert not sign_in.isNull()
    # The palettes really differ: a light window is mostly light, a dark one mostly dark.
    assert _mean_lightness(light) > 0.8
    assert _mean_lightness(dark) < 0.3
    # Help windows (issue 15.2) in both palettes, and the tray's five looks.
    for name in ("help-guide", "help-shortcuts", "help-about"):
        light_help = QImage(str(tmp_path / f"{name}.png"))
        dark_help = QImage(str(tmp_path / f"{name}-dark.png"))
        assert light_help.height() <= 728 and light_help.width() <= 1366
        assert _mean_lightness(light_help) > 0.7 and _mean_lightness(dark_help) < 0.35, name
    assert not QImage(str(tmp_path / "tray-states.png")).isNull()
