"""Screenshots of Settings from the real app in demo mode, light and dark.

``xvfb-run -a -s "-screen 0 1366x768x24" python scripts/settings_screenshots.py [OUT]``
writes ``settings-calling[-dark].png`` (the first page), ``settings-account.png``
(the account and where the token is) and ``settings-advanced[-dark].png`` (the API check's
table in its scrolling box, Save still on screen). The keyring is an in-memory one and
the profile and settings tree are thrown away, like scripts/screenshots.py.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from shots_support import out_dir, private_settings_tree, run_demo_per_theme, until


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
    await until(lambda: "Checking" not in dialog.relay_creds.status.text())
    await asyncio.sleep(0.3)
    dialog.grab().save(str(out / f"settings-calling{suffix}.png"))
    if theme == "light":
        dialog.open_page("Account")
        await until(lambda: "Checking" not in dialog.account.token.text())
        await asyncio.sleep(0.2)
        dialog.grab().save(str(out / "settings-account.png"))
    dialog.open_page("Advanced")
    dialog.check_button.click()
    await until(dialog.report.isVisible)
    await asyncio.sleep(0.3)  # the page grows to hold the table, then scrolls to it
    page = dialog.stack.currentWidget()
    bar = page.verticalScrollBar()  # type: ignore[attr-defined]
    bar.setValue(bar.maximum())  # the page's end: the checks and their table
    await asyncio.sleep(0.3)
    dialog.grab().save(str(out / f"settings-advanced{suffix}.png"))
    dialog.reject()
    runtime.quit()


def main() -> int:
    private_settings_tree()
    out = out_dir()
    run_demo_per_theme(shoot, out, profile_prefix="shots-settings", memory_keyring=True)
    print(f"screenshots written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
