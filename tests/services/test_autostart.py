"""Start at login (issue 15.3): the Linux entry for real, Windows and macOS by their builders.

Linux: the autostart file is written into the private XDG tree and checked with
``desktop-file-validate`` (installed by scripts/test.sh in CI). Windows (Run key)
and macOS (LaunchAgent): PURE BUILDERS ONLY here: the registry and launchd are not
on this machine, so their contents and the write/remove logic are checked against
an in-memory key and a temp home, not the real system.
"""

from __future__ import annotations

import configparser
import plistlib
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from agentapp import APP_ID, APP_NAME
from agentapp.services.autostart import (
    LaunchAgentAutostart,
    LaunchCommand,
    RunKeyAutostart,
    XdgAutostart,
    desktop_entry,
    exec_quote,
    for_platform,
    launch_agent_path,
    launch_agent_plist,
    launch_command,
    windows_command_line,
    xdg_config_home,
)
from testkit.strict import need_service


def _launcher(tmp_path: Path, folder: str = "venv/bin") -> Path:
    """An installed ``agentapp`` console script beside a (fake-path) interpreter."""
    bin_dir = tmp_path / folder
    bin_dir.mkdir(parents=True)
    script = bin_dir / "agentapp"
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    return script


def _validate(path: Path) -> None:
    need_service(shutil.which("desktop-file-validate") is not None, "desktop-file-validate")
    result = subprocess.run(["desktop-file-validate", str(path)], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout.lower(), result.stdout


def _exec_argv(path: Path) -> list[str]:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(path, encoding="utf-8")
    value = entry["Desktop Entry"]["Exec"].replace("\\\\", "\\")  # string-value escape
    return shlex.split(value.replace("%%", "%"))


# -- the launcher ------------------------------------------------------------------------

def test_launch_command_prefers_the_installed_console_script(tmp_path: Path) -> None:
    script = _launcher(tmp_path)
    python = str(script.parent / "python3")
    assert launch_command(executable=python, frozen=False, which=lambda _n: None,
                          appimage="").argv == (
        str(script),)
    assert launch_command("work", executable=python, frozen=False, appimage="",
                          which=lambda _n: None).argv == (str(script), "--profile", "work")


def test_launch_command_falls_back_to_path_then_module(tmp_path: Path) -> None:
    python = str(tmp_path / "python3")
    assert launch_command(executable=python, frozen=False, appimage="",
                          which=lambda _n: "/usr/bin/agentapp").argv == ("/usr/bin/agentapp",)
    assert launch_command(executable=python, frozen=False, which=lambda _n: None,
                          appimage="").argv == (
        python, "-m", "agentapp")


def test_a_bundle_starts_itself(tmp_path: Path) -> None:
    exe = str(tmp_path / "Agent Companion" / "agentapp")
    assert launch_command(executable=exe, frozen=True, appimage="").argv == (exe,)
    # An AppImage's bundle is mounted somewhere new each run: start the image file.
    image = str(tmp_path / "AgentCompanion.AppImage")
    assert launch_command(executable="/tmp/.mount_Agent1/agentapp", frozen=True,
                          appimage=image).argv == (image,)


# -- Linux, for real ------------------------------------------------------------------------

def test_linux_entry_is_written_valid_and_removed(data_dirs: Path, tmp_path: Path) -> None:
    script = _launcher(tmp_path, "my apps/bin")  # a space in the path must survive quoting
    command = launch_command(executable=str(script.parent / "python3"), frozen=False,
                             which=lambda _n: None, appimage="")
    entry = XdgAutostart(command)
    path = xdg_config_home() / "autostart" / f"{APP_ID}.desktop"
    assert path.is_relative_to(data_dirs) and not entry.enabled()
    assert entry.apply(True) is True
    assert entry.enabled() and path.is_file()
    _validate(path)
    assert _exec_argv(path) == [str(script)]
    assert entry.apply(True) is False  # unchanged: nothing rewritten
    assert entry.apply(False) is True
    assert not path.exists() and entry.apply(False) is False


def test_linux_entry_heals_a_stale_launcher(data_dirs: Path, tmp_path: Path) -> None:
    old = XdgAutostart(LaunchCommand(("/opt/old-install/agentapp",)))
    old.apply(True)
    script = _launcher(tmp_path)
    new = XdgAutostart(LaunchCommand((str(script), "--profile", "work 2")))
    assert new.path == old.path and new.apply(True) is True
    _validate(new.path)
    assert _exec_argv(new.path) == [str(script), "--profile", "work 2"]


def test_other_profiles_have_their_own_entry(data_dirs: Path) -> None:
    command = LaunchCommand(("/usr/bin/agentapp", "--profile", "night"))
    night = XdgAutostart(command, "night")
    assert night.path.name == f"{APP_ID}.night.desktop"
    night.apply(True)
    assert not XdgAutostart(command).enabled()


@pytest.mark.parametrize(("arg", "quoted"), [
    ("/usr/bin/agentapp", "/usr/bin/agentapp"),
    ("/home/a b/agentapp", '"/home/a b/agentapp"'),
    ('say "hi"', '"say \\"hi\\""'),
    ("100%", "100%%"),
    ("$HOME", '"\\$HOME"'),
])
def test_exec_quoting_follows_the_desktop_entry_spec(arg: str, quoted: str) -> None:
    assert exec_quote(arg) == quoted


def test_desktop_entry_names_the_app() -> None:
    text = desktop_entry(LaunchCommand(("/usr/bin/agentapp",)))
    assert f"Name={APP_NAME}\n" in text and "Exec=/usr/bin/agentapp\n" in text
    assert f"Icon={APP_ID}\n" in text and text.startswith("[Desktop Entry]\n")


def test_started_at_login_the_app_waits_in_the_tray(data_dirs: Path) -> None:
    entry = for_platform("night", run_key=_MemoryRunKey, platform="linux")
    assert isinstance(entry, XdgAutostart)
    entry.apply(True)
    argv = _exec_argv(entry.path)
    assert argv[-3:] == ["--profile", "night", "--minimized"]
    _validate(entry.path)


def test_for_platform_picks_the_entry_kind(data_dirs: Path, tmp_path: Path) -> None:
    assert isinstance(for_platform("default", run_key=_MemoryRunKey, platform="linux"),
                      XdgAutostart)
    assert isinstance(for_platform("default", run_key=_MemoryRunKey, platform="darwin"),
                      LaunchAgentAutostart)
    assert isinstance(for_platform("default", run_key=_MemoryRunKey, platform="win32"),
                      RunKeyAutostart)


# -- Windows: builder and logic only (no registry here) --------------------------------------

class _MemoryRunKey:
    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def value(self, name: str) -> str | None:
        return self.values.get(name)

    def set_value(self, name: str, command: str) -> None:
        self.values[name] = command

    def remove(self, name: str) -> None:
        del self.values[name]


def test_windows_run_value_quotes_paths_with_spaces() -> None:
    exe = r"C:\Users\Priya Sharma\AppData\Local\Programs\Agent Companion\agentapp.exe"
    assert windows_command_line([exe]) == f'"{exe}"'
    assert windows_command_line([exe, "--profile", "work"]) == f'"{exe}" --profile work'
    assert windows_command_line([r"C:\agentapp.exe"]) == r"C:\agentapp.exe"


def test_windows_run_key_is_set_healed_and_removed() -> None:
    key = _MemoryRunKey()
    exe = r"C:\Program Files\Agent Companion\agentapp.exe"
    entry = RunKeyAutostart(LaunchCommand((exe,)), key)
    assert not entry.enabled() and entry.apply(True) is True
    assert key.values == {APP_NAME: f'"{exe}"'}
    assert entry.apply(True) is False
    key.values[APP_NAME] = r"C:\old\agentapp.exe"
    assert entry.apply(True) is True and key.values[APP_NAME] == f'"{exe}"'
    assert RunKeyAutostart(LaunchCommand((exe,)), key, "work").apply(True)
    assert set(key.values) == {APP_NAME, f"{APP_NAME} (work)"}
    assert entry.apply(False) is True and APP_NAME not in key.values
    assert entry.apply(False) is False


# -- macOS: builder and logic in a temp home (no launchd here) ------------------------------

def test_macos_launch_agent_plist() -> None:
    app = "/Applications/Agent Companion.app/Contents/MacOS/agentapp"
    plist = plistlib.loads(launch_agent_plist(LaunchCommand((app, "--profile", "x")), "x"))
    assert plist["Label"] == f"{APP_ID}.x"
    assert plist["ProgramArguments"] == [app, "--profile", "x"]
    assert plist["RunAtLoad"] is True


def test_macos_launch_agent_written_and_removed(tmp_path: Path) -> None:
    entry = LaunchAgentAutostart(LaunchCommand(("/Applications/A.app/Contents/MacOS/a",)),
                                 home=tmp_path)
    path = launch_agent_path(tmp_path)
    assert path == tmp_path / "Library" / "LaunchAgents" / f"{APP_ID}.plist"
    assert entry.apply(True) and plistlib.loads(path.read_bytes())["RunAtLoad"] is True
    assert entry.apply(False) and not path.exists()
