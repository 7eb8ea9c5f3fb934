"""Keep the start-at-login entry in step with the ``ui/start_at_login`` setting.

Applied at every start (self-healing: an entry pointing at an old install is
rewritten, one left behind is removed) and after every save that changed the
setting. The entry is a file or a registry value: written in an executor, never
on the UI thread.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from PySide6.QtCore import QSettings

from agentapp.services.autostart import RUN_KEY, Autostart
from agentapp.settings import UI_START_AT_LOGIN, Settings

log = logging.getLogger(__name__)


class QtRunKey:
    """The Windows Run key through QSettings' native (registry) format."""

    def __init__(self, key: str = RUN_KEY) -> None:
        self._settings = QSettings(key, QSettings.Format.NativeFormat)

    def value(self, name: str) -> str | None:
        value = self._settings.value(name)
        return str(value) if value is not None else None

    def set_value(self, name: str, command: str) -> None:
        self._settings.setValue(name, command)
        self._settings.sync()

    def remove(self, name: str) -> None:
        self._settings.remove(name)
        self._settings.sync()


class AutostartSync:
    def __init__(self, settings: Settings, entry: Callable[[], Autostart],
                 report: Callable[[str], object] = lambda _text: None) -> None:
        """``entry`` builds the platform's entry (in the executor: it looks for files);
        ``report`` tells the agent when it could not be changed (the window's notice)."""
        self._settings = settings
        self._entry = entry
        self._report = report
        self._applied: bool | None = None
        self._tasks: set[asyncio.Task[bool]] = set()
        self.last_error = ""
        settings.on_saved(self._saved)

    def _saved(self) -> None:
        if self._settings.get(UI_START_AT_LOGIN) != self._applied:
            self.schedule()

    def schedule(self) -> None:
        """Apply the setting soon (no-op when no loop runs, e.g. a save at shutdown)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        task = loop.create_task(self.apply())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def apply(self) -> bool:
        """Make the entry match the setting; False (and ``last_error``) when it could not."""
        on = self._settings.get(UI_START_AT_LOGIN)
        self._applied = on
        try:
            changed = await asyncio.get_running_loop().run_in_executor(
                None, lambda: self._entry().apply(on))
        except OSError as exc:
            self.last_error = f"Could not {'add' if on else 'remove'} the start-at-login " \
                              f"entry: {exc.strerror or exc}"
            log.warning("%s", self.last_error)
            self._applied = None  # the next save tries again
            self._report(self.last_error)
            return False
        self.last_error = ""
        if changed:
            log.info("start at login %s", "enabled" if on else "disabled")
        return True

    async def drain(self) -> None:
        """Wait for applies in flight (quit, tests)."""
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
