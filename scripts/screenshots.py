"""Regenerate docs/screenshots/*.png from the real app in demo mode.

Run under a real X server: ``xvfb-run -a -s "-screen 0 1280x800x24" python
scripts/screenshots.py``. Uses a throw-away profile and settings tree.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


async def _settle(seconds: float) -> None:
    await asyncio.sleep(seconds)


async def shoot(runtime: object, theme: str) -> None:
    from agentapp.runtime import AppRuntime
    from agentapp.settings import UI_THEME
    from agentapp.ui.theme import apply_theme

    assert isinstance(runtime, AppRuntime)
    await asyncio.wait_for(runtime.started.wait(), 20)
    runtime.settings.set(UI_THEME, theme)
    apply_theme(runtime._app, theme)  # noqa: SLF001 (a script, not product code)
    window = runtime.window
    assert window is not None
    window.resize(900, 600)
    if runtime.sign_in is not None and runtime.sign_in.dialog is not None:
        runtime.sign_in.dialog.reject()
    window.dial.number.setText("098765 43210")
    window.dial.call_button.click()
    await _settle(9.5)  # ringing agent (3 s) + customer (4 s), then connected a while
    window.grab().save(str(OUT / f"main-window{'' if theme == 'light' else '-dark'}.png"))
    if theme == "light":
        window.dial.number.setText("12ab")
        window.dial.call_button.click()
        await _settle(0.5)
        window.grab().save(str(OUT / "refused-number.png"))
        assert runtime.sign_in is not None
        dialog = runtime.sign_in.open()
        await _settle(0.5)
        dialog.grab().save(str(OUT / "sign-in.png"))
        dialog.reject()
    runtime.quit()


def main() -> int:
    tmp = tempfile.mkdtemp(prefix="agentapp-shots-")
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        os.environ[var] = os.path.join(tmp, var.lower())
    import qasync
    from PySide6.QtWidgets import QApplication

    from agentapp.cli import parse_launch
    from agentapp.runtime import AppRuntime
    from agentapp.single_instance import SingleInstance, instance_name

    OUT.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    for theme in ("light", "dark"):
        profile = f"shots-{theme}"
        single = SingleInstance(instance_name(profile))
        single.listen()
        runtime = AppRuntime(app, parse_launch(["--sandbox", "--profile", profile]), single,
                             install_hooks=False)
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        with loop:
            shot = loop.create_task(shoot(runtime, theme))
            loop.run_until_complete(runtime.run())
            shot.result()
        single.close()
    print(f"screenshots written to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
