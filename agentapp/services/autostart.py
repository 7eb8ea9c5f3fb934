"""Start the app when the agent signs in to the computer, the way each desktop expects.

One small interface (:class:`Autostart`: ``enabled()``, ``apply(on)``) with one
implementation per platform:

- Linux and other XDG desktops: ``$XDG_CONFIG_HOME/autostart/<app id>.desktop``
  (the freedesktop Desktop Application Autostart spec);
- Windows: a value under ``HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run``,
  written through a :class:`RunKeyStore` (the Qt layer gives it ``QSettings``
  in native format; this module imports no Qt);
- macOS: a LaunchAgent plist in ``~/Library/LaunchAgents`` with ``RunAtLoad``.

The contents are built by pure functions (tested on every platform); ``apply``
writes only when what is there differs, so calling it at every start heals an
entry left pointing at an old install. Blocking file I/O: call it in an executor.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from agentapp import APP_ID, APP_NAME

DEFAULT_PROFILE = "default"
RUN_KEY = r"HKEY_CURRENT_USER\Software\Microsoft\Windows\CurrentVersion\Run"


class Autostart(Protocol):
    """Whether the app starts at sign-in, and the way to change it."""

    def enabled(self) -> bool: ...

    def apply(self, on: bool) -> bool:
        """Make the entry match ``on``; True when something was written or removed."""
        ...


class RunKeyStore(Protocol):
    """The Windows Run key's values (string name -> command line)."""

    def value(self, name: str) -> str | None: ...

    def set_value(self, name: str, command: str) -> None: ...

    def remove(self, name: str) -> None: ...


@dataclass(frozen=True)
class LaunchCommand:
    """The installed launcher and its arguments (the profile, when not the default)."""

    argv: tuple[str, ...]

    @property
    def program(self) -> str:
        return self.argv[0]


def launch_command(profile: str = DEFAULT_PROFILE, *, frozen: bool | None = None,
                   executable: str | None = None,
                   which: Callable[[str], str | None] | None = None,
                   appimage: str | None = None) -> LaunchCommand:
    """What starts this install: an AppImage file (its bundle is mounted at a new
    path each run), the bundle's own executable, else the ``agentapp`` console
    script beside the interpreter (a venv or pipx install) or on PATH, else
    ``python -m agentapp``. Arguments are injectable for the tests."""
    import shutil

    frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    executable = executable or sys.executable
    which = which or shutil.which
    appimage = os.environ.get("APPIMAGE", "") if appimage is None else appimage
    extra = ("--profile", profile) if profile != DEFAULT_PROFILE else ()
    if appimage:
        return LaunchCommand((appimage, *extra))
    if frozen:
        return LaunchCommand((executable, *extra))
    bin_dir = Path(executable).parent
    for name in ("agentapp", "agentapp.exe"):
        script = bin_dir / name
        if script.is_file() and os.access(script, os.X_OK):
            return LaunchCommand((str(script), *extra))
    found = which("agentapp")
    if found:
        return LaunchCommand((found, *extra))
    return LaunchCommand((executable, "-m", "agentapp", *extra))


def at_login(command: LaunchCommand) -> LaunchCommand:
    """Started at sign-in, the app waits in the tray: the agent opens it when needed."""
    return LaunchCommand((*command.argv, "--minimized"))


def entry_name(profile: str = DEFAULT_PROFILE) -> str:
    """``in.ivrsolutions.AgentCompanion`` (``….<profile>`` for another profile, so
    each profile that asks to start at login has its own entry)."""
    return APP_ID if profile == DEFAULT_PROFILE else f"{APP_ID}.{profile}"


# -- Linux / XDG ---------------------------------------------------------------------

_EXEC_RESERVED = set(' \t\n"\'\\><~|&;$*?#()`')


def exec_quote(arg: str) -> str:
    """One argument of a desktop entry's Exec key (Desktop Entry spec, "The Exec key")."""
    arg = arg.replace("%", "%%")
    if arg and not (_EXEC_RESERVED & set(arg)):
        return arg
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in arg)
    return f'"{escaped}"'


def desktop_entry(command: LaunchCommand) -> str:
    """The autostart ``.desktop`` file's text (the key file is then escaped once more
    for backslashes, as the spec asks of string values)."""
    exec_line = " ".join(exec_quote(a) for a in command.argv).replace("\\", "\\\\")
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        f"Name={APP_NAME}",
        f"Comment=Start {APP_NAME} when you sign in",
        f"Exec={exec_line}",
        f"Icon={APP_ID}",
        "Terminal=false",
        "X-GNOME-Autostart-enabled=true",
        "",
    ])


def xdg_config_home(env: dict[str, str] | None = None) -> Path:
    env = dict(os.environ) if env is None else env
    configured = env.get("XDG_CONFIG_HOME", "")
    if configured and Path(configured).is_absolute():
        return Path(configured)
    return Path(env.get("HOME") or Path.home()) / ".config"


class _FileEntry:
    """An entry that is one file: written atomically when its text differs."""

    def __init__(self, path: Path, content: Callable[[], bytes]) -> None:
        self.path = path
        self._content = content

    def enabled(self) -> bool:
        return self.path.is_file()

    def apply(self, on: bool) -> bool:
        if not on:
            if self.path.exists():
                self.path.unlink()
                return True
            return False
        wanted = self._content()
        try:
            if self.path.read_bytes() == wanted:
                return False
        except OSError:
            pass
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.tmp")
        tmp.write_bytes(wanted)
        os.replace(tmp, self.path)
        return True


class XdgAutostart(_FileEntry):
    def __init__(self, command: LaunchCommand, profile: str = DEFAULT_PROFILE,
                 config_home: Path | None = None) -> None:
        home = config_home or xdg_config_home()
        super().__init__(home / "autostart" / f"{entry_name(profile)}.desktop",
                         lambda: desktop_entry(command).encode("utf-8"))


# -- macOS ---------------------------------------------------------------------------

def launch_agent_plist(command: LaunchCommand, profile: str = DEFAULT_PROFILE) -> bytes:
    """A per-user LaunchAgent that runs the app once at login (``RunAtLoad``)."""
    import plistlib  # macOS only: its XML parser is not loaded on other systems

    return plistlib.dumps({
        "Label": entry_name(profile),
        "ProgramArguments": list(command.argv),
        "RunAtLoad": True,
        "ProcessType": "Interactive",
        "LimitLoadToSessionType": "Aqua",
    })


def launch_agent_path(home: Path, profile: str = DEFAULT_PROFILE) -> Path:
    return home / "Library" / "LaunchAgents" / f"{entry_name(profile)}.plist"


class LaunchAgentAutostart(_FileEntry):
    def __init__(self, command: LaunchCommand, profile: str = DEFAULT_PROFILE,
                 home: Path | None = None) -> None:
        super().__init__(launch_agent_path(home or Path.home(), profile),
                         lambda: launch_agent_plist(command, profile))


# -- Windows -------------------------------------------------------------------------

def windows_command_line(argv: Sequence[str]) -> str:
    """The Run value: each argument quoted the way CommandLineToArgvW reads it back."""
    import subprocess

    return subprocess.list2cmdline([str(a) for a in argv])


def run_value_name(profile: str = DEFAULT_PROFILE) -> str:
    return APP_NAME if profile == DEFAULT_PROFILE else f"{APP_NAME} ({profile})"


class RunKeyAutostart:
    def __init__(self, command: LaunchCommand, store: RunKeyStore,
                 profile: str = DEFAULT_PROFILE) -> None:
        self._name = run_value_name(profile)
        self._command = windows_command_line(command.argv)
        self._store = store

    def enabled(self) -> bool:
        return bool(self._store.value(self._name))

    def apply(self, on: bool) -> bool:
        current = self._store.value(self._name)
        if not on:
            if current is None:
                return False
            self._store.remove(self._name)
            return True
        if current == self._command:
            return False
        self._store.set_value(self._name, self._command)
        return True


def for_platform(profile: str, *, run_key: Callable[[], RunKeyStore],
                 platform: str | None = None) -> Autostart:
    """The right entry for this computer; ``run_key`` is only called on Windows."""
    platform = platform or sys.platform
    command = at_login(launch_command(profile))
    if platform == "win32":
        return RunKeyAutostart(command, run_key(), profile)
    if platform == "darwin":
        return LaunchAgentAutostart(command, profile)
    return XdgAutostart(command, profile)
