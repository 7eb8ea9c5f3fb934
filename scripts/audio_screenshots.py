"""Render the audio check dialog and the recording player to docs/screenshots (light, dark).

Needs audio (PulseAudio null sink as in scripts/test.sh) for live figures; run
``xvfb-run -a python scripts/audio_screenshots.py [OUT_DIR]``. The player plays
a recording from an in-process sandbox, through the real download/decode path.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


async def until(predicate: object, within: float = 15.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not predicate():  # type: ignore[operator]
        if loop.time() > deadline:
            raise RuntimeError("timed out")
        await asyncio.sleep(0.05)


async def shoot(app: object, out: Path, theme: str) -> None:
    from agentapp import __version__
    from agentapp.api.client import IvrClient, make_http_client
    from agentapp.qt.audio_facade import AudioTools
    from agentapp.sandbox import SandboxConfig
    from agentapp.sandbox.thread import SandboxThread
    from agentapp.settings import Settings
    from agentapp.ui.theme import apply_theme

    apply_theme(app, theme)  # type: ignore[arg-type]
    suffix = "" if theme == "light" else "-dark"
    settings = Settings(Path(tempfile.mkdtemp()) / "settings.json")
    with SandboxThread(SandboxConfig(host="127.0.0.1", port=0, seed=3, history=60)) as sandbox:
        async with make_http_client(__version__) as http:
            client = IvrClient(sandbox.base_url, sandbox.token, http=http)
            tools = AudioTools(settings, "shots", download=lambda: client.download_recording)
            dialog = tools.open_check()
            await until(lambda: dialog.controls.isEnabled())
            dialog.level_box.setCurrentIndex(1)
            dialog.tone_button.click()
            await until(lambda: dialog.verdict_label.text().startswith("OK"))
            await asyncio.sleep(0.3)
            dialog.grab().save(str(out / f"audio-check{suffix}.png"))
            dialog.accept()
            rows = sandbox.control("GET", "/v1/call_logs")["data"]
            row = next(r for r in rows if r["recording_url"] and int(r["call_duration"]) > 30)
            player = tools.play(row["recording_url"], f"+91 {row['client_no']} · recording")
            widget = player.player
            await until(lambda: widget.state_label.text() == "Ready to play")
            widget.play_button.click()
            await until(lambda: widget.slider.value() > 5)
            widget.speed_box.setCurrentIndex(1)
            widget.speed_box.activated.emit(1)
            await asyncio.sleep(0.5)
            player.grab().save(str(out / f"player{suffix}.png"))
            await tools.aclose()


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    tmp = tempfile.mkdtemp(prefix="agentapp-audio-shots-")
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        os.environ[var] = os.path.join(tmp, var.lower())
    import qasync
    from PySide6.QtWidgets import QApplication

    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    for theme in ("light", "dark"):
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        with loop:
            loop.run_until_complete(shoot(app, out, theme))
    print(f"audio screenshots written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
