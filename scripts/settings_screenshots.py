"""Screenshots of Settings from the real app in demo mode, light and dark.

``xvfb-run -a -s "-screen 0 1366x768x24" python scripts/settings_screenshots.py [OUT]``
writes ``settings-calling[-dark].png`` (the first page), ``settings-account.png``
(the account and where the token is) and ``settings-advanced[-dark].png`` (the API check's
table in its scrolling box, Save still on screen). The keyring is an in-memory one and
the profile and settings tree are thrown away, like scripts/screenshots.py.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


async def _until(predicate: object, within: float = 20.0) -> None:
    deadline = time.monotonic() + within
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise TimeoutError("screenshot scene did not settle")
        await asyncio.sleep(0.05)


async def shoot(runtime: object, theme: str, out: Path) -> None:
    from agentapp.runtime import AppRuntime
    from agentapp.settings import UI_THEME
    from agentapp.ui.theme import apply_theme

    assert isinstance(runtime, AppRuntime)
    await asyncio.wait_for(runtime.started.wait(), 20)
    runtime.settings.set(UI_THEME, theme)
    apply_theme(runtime._app, theme)
    if runtime.sign_in is not None and runtime.sign_in.dialog is not None:
        runtime.sign_in.dialog.reject()
    suffix = "" if theme == "light" else "-dark"
    dialog = runtime.settings_flow.open()
    await _until(lambda: "Checking" not in dialog.relay_creds.status.text())
    await asyncio.sleep(0.3)
    dialog.grab().save(str(out / f"settings-calling{suffix}.png"))
    if theme == "light":
        dialog.open_page("Account")
        await _until(lambda: "Checking" not in dialog.account.token.text())
        await asyncio.sleep(0.2)
        dialog.grab().save(str(out / "settings-account.png"))
    dialog.open_page("Advanced")
    dialog.check_button.click()
    await _until(dialog.report.isVisible)
    await asyncio.sleep(0.3)  # the page grows to hold the table, then scrolls to it
    page = dialog.stack.currentWidget()
    bar = page.verticalScrollBar()  # type: ignore[attr-defined]
    bar.setValue(bar.maximum())  # the page's end: the checks and their table
    await asyncio.sleep(0.3)
    dialog.grab().save(str(out / f"settings-advanced{suffix}.png"))
    dialog.reject()
    runtime.quit()


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    tmp = tempfile.mkdtemp(prefix="agentapp-shots-")
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        os.environ[var] = os.path.join(tmp, var.lower())
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import qasync
    from PySide6.QtWidgets import QApplication

    from agentapp.cli import parse_launch
    from agentapp.runtime import AppRuntime
    from agentapp.secrets import AsyncSecretStore, SecretStore
    from agentapp.single_instance import SingleInstance, instance_name
    from testkit.keyrings import MemoryKeyring

    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    for theme in ("light", "dark"):
        profile = f"shots-settings-{theme}"
        single = SingleInstance(instance_name(profile))
        single.listen()
        runtime = AppRuntime(app, parse_launch(["--sandbox", "--profile", profile]), single,
                             secrets=AsyncSecretStore(SecretStore(MemoryKeyring())),
                             install_hooks=False)
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        with loop:
            shot = loop.create_task(shoot(runtime, theme, out))
            loop.run_until_complete(runtime.run())
            shot.result()
        single.close()
    print(f"screenshots written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
