"""Regenerate docs/screenshots/*.png from the real app in demo mode.

Run under a real X server: ``xvfb-run -a -s "-screen 0 1280x800x24" python
scripts/screenshots.py [OUT_DIR]``. Uses a throw-away profile and settings tree;
tests/e2e/test_screenshots.py runs it too, so it keeps working.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime, time
from pathlib import Path

from shots_support import out_dir, private_settings_tree, run_demo_per_theme

DEMO_SPEED = 10.0  # ringing + connected in ~1 s instead of ~8 s


async def _settle(seconds: float) -> None:
    await asyncio.sleep(seconds)


def _noon() -> datetime:
    """The app's local time for the shots: inside calling hours whenever they are taken."""
    return datetime.combine(datetime.now().date(), time(12, 0))


async def shoot(runtime: object, app: object, theme: str, out: Path) -> None:
    import httpx
    from PySide6.QtWidgets import QApplication

    from agentapp.runtime import AppRuntime
    from agentapp.sandbox import DEMO_TOKEN
    from agentapp.settings import UI_THEME
    from agentapp.ui.theme import apply_theme

    assert isinstance(runtime, AppRuntime) and isinstance(app, QApplication)
    await asyncio.wait_for(runtime.started.wait(), 20)
    services = runtime.services
    assert services is not None
    async with httpx.AsyncClient() as http:
        answer = await http.post(f"{services.client.base_url}/_sandbox/speed",
                                 json={"speed": DEMO_SPEED},
                                 headers={"Authorization": f"Bearer {DEMO_TOKEN}"})
        answer.raise_for_status()
    runtime.settings.set(UI_THEME, theme)
    apply_theme(app, theme)
    window = runtime.window
    assert window is not None
    window.resize(1366, 740)  # a 1366x768 laptop screen, less the title bar
    if runtime.sign_in is not None and runtime.sign_in.dialog is not None:
        runtime.sign_in.dialog.reject()
    window.dial.number.setText("098765 43210")
    window.dial.call_button.click()
    await _settle(1.6)  # ringing agent (3 s) + customer (4 s), connected a while, at x10
    suffix = "" if theme == "light" else "-dark"
    window.grab().save(str(out / f"main-window{suffix}.png"))
    window.set_compact(True)  # View → Compact sidebar, 360 px beside a CRM
    window.resize(360, 740)
    await _settle(0.3)
    window.grab().save(str(out / f"main-window-compact{suffix}.png"))
    window.set_compact(False)
    window.resize(1366, 740)
    await _help_shots(runtime, suffix, out)
    _tray_states(window, suffix, out)
    if theme == "light":
        window.dial.number.setText("12ab")
        window.dial.call_button.click()
        await _settle(0.5)
        window.grab().save(str(out / "refused-number.png"))
        assert runtime.sign_in is not None
        dialog = runtime.sign_in.open()
        await _settle(0.5)
        dialog.grab().save(str(out / "sign-in.png"))
        dialog.reject()
    runtime.quit()


async def _help_shots(runtime: object, suffix: str, out: Path) -> None:
    """Help → User guide, Keyboard shortcuts and About, as the agent opens them."""
    from agentapp.runtime import AppRuntime

    assert isinstance(runtime, AppRuntime)
    flow = runtime.help
    flow.open_guide()
    await _settle(0.5)
    assert flow.guide is not None
    flow.guide.grab().save(str(out / f"help-guide{suffix}.png"))
    flow.guide.reject()
    sheet = flow.open_shortcuts()
    await _settle(0.3)
    sheet.grab().save(str(out / f"help-shortcuts{suffix}.png"))
    sheet.reject()
    flow.open_about()
    await _settle(0.5)
    assert flow.about is not None
    flow.about.grab().save(str(out / f"help-about{suffix}.png"))
    flow.about.reject()


def _tray_states(window: object, suffix: str, out: Path) -> None:
    """The tray icon's five looks with their words (no tray host under Xvfb to grab)."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QPainter, QPalette, QPixmap
    from PySide6.QtWidgets import QWidget

    from agentapp.resources import TRAY_INK, icon
    from agentapp.ui.tray_icons import TrayLook, tray_pixmap

    assert isinstance(window, QWidget)
    base = icon("app", False, color=TRAY_INK)  # as the runtime gives the tray
    cell, icon_size = 150, 48
    strip = QPixmap(cell * len(TrayLook), 96)
    strip.fill(window.palette().color(QPalette.ColorRole.Window))
    painter = QPainter(strip)
    painter.setPen(window.palette().color(QPalette.ColorRole.WindowText))
    for i, look in enumerate(TrayLook):
        painter.drawPixmap(i * cell + (cell - icon_size) // 2, 8,
                           tray_pixmap(base, look, icon_size))
        painter.drawText(QRect(i * cell, 60, cell, 30), Qt.AlignmentFlag.AlignCenter,
                         look.value.capitalize())
    painter.end()
    strip.save(str(out / f"tray-states{suffix}.png"))


def main() -> int:
    private_settings_tree()
    out = out_dir()
    from PySide6.QtWidgets import QApplication

    from agentapp.composition import SessionClock

    app = QApplication(sys.argv[:1])

    async def shoot_theme(runtime: object, theme: str, out: Path) -> None:
        await shoot(runtime, app, theme, out)

    run_demo_per_theme(shoot_theme, out, profile_prefix="shots",
                       clock=SessionClock(local_now=_noon))
    print(f"screenshots written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
