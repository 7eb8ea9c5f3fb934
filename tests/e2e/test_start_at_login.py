"""Start at login in the real app (issue 15.3): the entry follows the setting when
settings are saved, and at every start (a stale entry is healed or removed).

Linux only: the XDG autostart file in the test's private config tree.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from agentapp import APP_ID
from agentapp.services.autostart import launch_command
from agentapp.settings import UI_START_AT_LOGIN
from testkit.apps import StartApp, new_profile
from testkit.qt_loop import QtLoop
from testkit.waiting import wait_until

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the XDG autostart entry is the Linux one")


def _entry(config: Path, profile: str) -> Path:
    return config / "autostart" / f"{APP_ID}.{profile}.desktop"


def test_saving_the_setting_adds_and_removes_the_entry(qloop: QtLoop, start_app: StartApp,
                                                       data_dirs: Path) -> None:
    profile = new_profile("login")
    entry = _entry(data_dirs / "config", profile)
    entry.parent.mkdir(parents=True)
    entry.write_text("[Desktop Entry]\nType=Application\nName=old\nExec=/gone/agentapp\n")

    async def scenario() -> None:
        app = await start_app("--profile", profile)
        await wait_until(lambda: not entry.exists(), 5, "the stale entry removed at start")
        settings = app.runtime.settings
        settings.set(UI_START_AT_LOGIN, True)
        await settings.asave()
        await wait_until(entry.exists, 5, "the entry written")
        text = entry.read_text()
        assert f"Exec={launch_command(profile).program}" in text
        assert f"--profile {profile}" in text
        settings.set(UI_START_AT_LOGIN, False)
        await settings.asave()
        await wait_until(lambda: not entry.exists(), 5, "the entry removed")
    qloop.run(scenario())


def test_an_old_entry_is_healed_at_start(qloop: QtLoop, start_app: StartApp,
                                         data_dirs: Path) -> None:
    from testkit.apps import pin_calling_hours  # the profile exists before the app reads it

    profile = new_profile("login")
    pin_calling_hours(profile)
    from agentapp.settings import Settings
    settings = Settings.for_profile(profile)
    settings.load()
    settings.set(UI_START_AT_LOGIN, True)
    settings.save()
    entry = _entry(data_dirs / "config", profile)
    entry.parent.mkdir(parents=True)
    entry.write_text("[Desktop Entry]\nType=Application\nName=old\nExec=/gone/agentapp\n")

    async def scenario() -> None:
        await start_app("--profile", profile)
        await wait_until(lambda: "/gone/" not in entry.read_text(), 5, "the entry healed")
        assert f"Exec={launch_command(profile).program}" in entry.read_text()
    qloop.run(scenario())


def test_an_entry_that_cannot_be_written_is_said_in_the_window(
        qloop: QtLoop, start_app: StartApp, data_dirs: Path) -> None:
    profile = new_profile("login")
    (data_dirs / "config" / "autostart").write_text("a file where the folder should be")

    async def scenario() -> None:
        app = await start_app("--profile", profile)
        settings = app.runtime.settings
        settings.set(UI_START_AT_LOGIN, True)
        await settings.asave()
        notice = app.window.notice
        await wait_until(lambda: notice.isVisible(), 5, "the notice")
        assert notice.text().startswith("Could not add the start-at-login entry")
        assert settings.get(UI_START_AT_LOGIN)  # the choice is kept; the next save retries
    qloop.run(scenario())


def test_the_settings_window_switches_it(qloop: QtLoop, start_app: StartApp,
                                         data_dirs: Path) -> None:
    """The agent's way: File → Settings…, Window page, tick the box, Save."""
    from PySide6.QtWidgets import QCheckBox

    profile = new_profile("login")
    entry = _entry(data_dirs / "config", profile)

    async def scenario() -> None:
        app = await start_app("--profile", profile)
        app.window.settings_action.trigger()
        dialog = app.runtime.settings_flow.dialog
        assert dialog is not None
        dialog.open_page("Window")
        box = dialog.editors[UI_START_AT_LOGIN.key]
        assert isinstance(box, QCheckBox) and not box.isChecked()
        box.setChecked(True)
        dialog.save_button.click()
        await wait_until(entry.exists, 10, "the entry written after Save")
        assert app.runtime.settings.get(UI_START_AT_LOGIN)
    qloop.run(scenario())
