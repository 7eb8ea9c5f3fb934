"""The Help menu's windows: the user guide, the keyboard shortcuts sheet and About.

What they show is read off the UI thread (the guide file, package metadata);
each window is opened once and raised when asked again.
"""

from __future__ import annotations

import asyncio
import platform
from collections.abc import Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import PySide6
from PySide6.QtCore import QObject, QUrl, qVersion
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QMainWindow
from qasync import asyncSlot

from agentapp import __version__
from agentapp.paths import config_dir, data_dir, log_dir
from agentapp.resources import resource_path

if TYPE_CHECKING:  # each window loads when the agent first opens it
    from agentapp.ui.about import AboutDialog, AboutInfo
    from agentapp.ui.help_guide import GuideViewer
    from agentapp.ui.help_shortcuts import ShortcutsSheet

# The libraries an answer from support most often depends on (distribution names).
KEY_LIBRARIES = (("httpx", "httpx"), ("h11", "h11"), ("qasync", "qasync"),
                 ("aiohttp", "aiohttp"), ("phonenumbers", "phonenumbers"),
                 ("keyring", "keyring"), ("sounddevice", "sounddevice"),
                 ("soundfile", "soundfile"), ("numpy", "numpy"),
                 ("platformdirs", "platformdirs"), ("nats-py", "nats-py"))
D = TypeVar("D", bound=QDialog)
MISSING_GUIDE = ("# User guide missing\n\nThis install has no user guide "
                 "(`help/user-guide.md` was not packaged). It is in the project's "
                 "`docs/user-guide.md`.")


def read_guide() -> str:
    """The shipped guide (blocking: call it in an executor)."""
    try:
        return resource_path("help", "user-guide.md").read_text("utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        return MISSING_GUIDE


def about_info(profile: str) -> AboutInfo:
    """Versions and folders (blocking: package metadata is read from disk)."""
    from importlib import metadata

    from agentapp.ui.about import AboutInfo

    versions = [("Python", platform.python_version()), ("Qt", qVersion()),
                ("PySide6", PySide6.__version__)]
    for label, dist in KEY_LIBRARIES:
        try:
            versions.append((label, metadata.version(dist)))
        except metadata.PackageNotFoundError:
            versions.append((label, "not installed"))
    versions.append(("System", platform.platform(terse=True)))
    folders: tuple[tuple[str, Path], ...] = (
        ("Log folder", log_dir()), ("Data folder", data_dir(profile)),
        ("Settings folder", config_dir(profile)))
    return AboutInfo(__version__, tuple(versions), folders)


class HelpFlow(QObject):
    def __init__(self, window: QMainWindow, profile: str) -> None:
        super().__init__(window)
        self._window = window
        self._profile = profile
        self.guide: GuideViewer | None = None
        self.shortcuts: ShortcutsSheet | None = None
        self.about: AboutDialog | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def open_guide(self) -> None:
        """Raise the guide, or read it (off the UI thread) and open it."""
        if self.guide is not None:
            self._show(self.guide)
        else:
            self._run(self._load_guide())

    async def _load_guide(self) -> None:
        from agentapp.ui.help_guide import GuideViewer

        text = await asyncio.get_running_loop().run_in_executor(None, read_guide)
        if self.guide is None:  # asked twice while reading: one window
            self.guide = self._keep(GuideViewer(text, self._window), "guide")
        self._show(self.guide)

    def open_shortcuts(self) -> ShortcutsSheet:
        """Built afresh each time, from the actions the window has now."""
        from agentapp.ui.help_shortcuts import ShortcutsSheet, shortcut_rows

        if self.shortcuts is not None:
            self.shortcuts.close()
        self.shortcuts = self._keep(ShortcutsSheet(shortcut_rows(self._window), self._window),
                                    "shortcuts")
        self._show(self.shortcuts)
        return self.shortcuts

    def open_about(self) -> None:
        """Raise About, or gather what it shows (off the UI thread) and open it."""
        if self.about is not None:
            self._show(self.about)
        else:
            self._run(self._load_about())

    async def _load_about(self) -> None:
        from agentapp.ui.about import AboutDialog  # here, not in the executor's thread

        info = await asyncio.get_running_loop().run_in_executor(None, about_info, self._profile)
        if self.about is None:
            about = AboutDialog(info, self._window)
            about.open_folder_requested.connect(self.open_folder)
            self.about = self._keep(about, "about")
        self._show(self.about)

    def _run(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @asyncSlot(str)
    async def open_folder(self, path: str) -> None:
        """Ask the desktop to open ``path`` (Qt hands it to the file manager and returns)."""
        exists = await asyncio.get_running_loop().run_in_executor(None, Path(path).is_dir)
        about = self.about
        if not exists:
            if about is not None:
                about.show_result(f"{path} does not exist yet (nothing was written there).")
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(path)) and about is not None:
            about.show_result(f"No file manager opened {path}: copy the path instead.")

    def _keep(self, dialog: D, attr: str) -> D:
        def forget() -> None:
            if getattr(self, attr) is dialog:
                setattr(self, attr, None)
            dialog.deleteLater()

        dialog.finished.connect(forget)
        return dialog

    @staticmethod
    def _show(dialog: QDialog) -> None:
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
