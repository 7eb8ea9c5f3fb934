"""Qt face of the audio check and the recording player (services in ``agentapp.audio``).

``AudioTools`` is what the runtime holds: it opens the audio check dialog and
player windows on request, binds them to fresh services, and tears both down
when they close. The services' observables become signals here; the widgets
stay passive. Service calls are scheduled as tasks on the qasync loop.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import ModuleType

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from agentapp.audio import backend
from agentapp.audio.cache import RecordingCache
from agentapp.audio.check import AudioCheck, DevicePrefs
from agentapp.audio.recording_player import RecordingPlayer
from agentapp.qt.bridge import Subscriptions
from agentapp.qt.owned_tasks import OwnedTasks
from agentapp.settings import (
    AUDIO_INPUT_DEVICE,
    AUDIO_OUTPUT_DEVICE,
    AUDIO_PREFERRED_INPUTS,
    AUDIO_PREFERRED_OUTPUTS,
    Settings,
)
from agentapp.ui.audio_check import AudioCheckDialog
from agentapp.ui.player import PlayerDialog

log = logging.getLogger(__name__)

Download = Callable[[str, Path], Awaitable[Path]]


def prefs_from(settings: Settings) -> DevicePrefs:
    inputs: list[str] = settings.get(AUDIO_PREFERRED_INPUTS)
    outputs: list[str] = settings.get(AUDIO_PREFERRED_OUTPUTS)
    return DevicePrefs(settings.get(AUDIO_INPUT_DEVICE), settings.get(AUDIO_OUTPUT_DEVICE),
                       tuple(inputs), tuple(outputs))


class AudioCheckFacade(QObject):
    """One open audio check: the service's observables as signals, the dialog's asks as calls."""

    level_changed = Signal(object)  # Level | None
    closed = Signal()

    def __init__(self, check: AudioCheck, settings: Settings, dialog: AudioCheckDialog) -> None:
        super().__init__(dialog)
        self.check = check
        self._settings = settings
        self._dialog = dialog
        self._tasks = OwnedTasks("audio")
        self._subs = Subscriptions()
        c, d = check, dialog
        self._subs.add(c.devices, lambda _devices: self._devices())
        self._subs.add(c.input, lambda _choice: self._devices())
        self._subs.add(c.output, lambda _choice: self._devices())
        self._subs.add(c.level, d.show_level)
        self._subs.add(c.verdict, d.show_verdict)
        self._subs.add(c.message, d.show_message)
        self._subs.add(c.tone_on, d.show_tone)
        self._subs.add(c.loopback_on, d.show_loopback)
        self._subs.add(c.record_state, lambda state: d.show_record(state,
                                                                   c.record_verdict.value))
        self._subs.add(c.record_verdict, lambda word: d.show_record(c.record_state.value,
                                                                    word))
        d.input_chosen.connect(self._choose_input)
        d.output_chosen.connect(self._choose_output)
        d.refresh_requested.connect(lambda: self._tasks.run(c.refresh_devices()))
        d.tone_requested.connect(lambda f, lv, side: self._tasks.run(c.start_tone(f, lv, side)))
        d.tone_stop_requested.connect(lambda: self._tasks.run(c.stop_tone()))
        d.loopback_requested.connect(lambda ceiling: self._tasks.run(c.start_loopback(ceiling)))
        d.loopback_stop_requested.connect(lambda: self._tasks.run(c.stop_loopback()))
        d.record_requested.connect(lambda: self._tasks.run(c.record_test()))
        d.finished.connect(lambda _result: self._tasks.run(self.aclose()))

    async def start(self) -> None:
        self._dialog.show_starting()
        if not await self.check.start():
            self._dialog.show_unavailable(self.check.message.value)

    async def aclose(self) -> None:
        self._subs.clear()
        await self.check.stop()
        self.closed.emit()

    def _devices(self) -> None:
        prefs = self.check.prefs
        self._dialog.show_devices(self.check.devices.value, self.check.input.value,
                                  self.check.output.value, (prefs.input, prefs.output))

    def _choose_input(self, name: str) -> None:
        self._settings.set(AUDIO_INPUT_DEVICE, name)
        self._tasks.run(self._settings.asave())
        self._tasks.run(self.check.choose_input(name))

    def _choose_output(self, name: str) -> None:
        self._settings.set(AUDIO_OUTPUT_DEVICE, name)
        self._tasks.run(self._settings.asave())
        self._tasks.run(self.check.choose_output(name))


class PlayerFacade(QObject):
    """One recording in one player window."""

    closed = Signal()

    def __init__(self, player: RecordingPlayer, dialog: PlayerDialog) -> None:
        super().__init__(dialog)
        self.player = player
        self._dialog = dialog
        self._tasks = OwnedTasks("audio")
        self._subs = Subscriptions()
        w = dialog.player
        self._subs.add(player.state, w.show_state)
        self._subs.add(player.message, w.show_message)
        self._subs.add(player.position, w.show_position)
        self._subs.add(player.duration, w.show_duration)
        self._subs.add(player.speed, w.show_speed)
        w.play_requested.connect(player.play)
        w.pause_requested.connect(player.pause)
        w.seek_requested.connect(player.seek)
        w.speed_requested.connect(lambda speed: self._tasks.run(player.set_speed(speed)))
        dialog.finished.connect(lambda _result: self._tasks.run(self.aclose()))

    def open(self, url: str) -> None:
        self._tasks.cancel_all()  # a download still running for the previous one
        self._tasks.run(self.player.open(url))

    async def aclose(self) -> None:
        """Closing the window also abandons a download in progress."""
        self._subs.clear()
        self._tasks.cancel_all()
        await self.player.close()
        self.closed.emit()


class AudioTools(QObject):
    """The runtime's entry point: "Audio check…" and "Play recording"."""

    def __init__(self, settings: Settings, profile: str,
                 download: Callable[[], Download | None], parent: QWidget | None = None,
                 load: Callable[[], ModuleType] = backend.load) -> None:
        super().__init__(parent)
        self._load = load
        self._settings = settings
        self._profile = profile
        self._download = download
        self._parent = parent
        self.check: AudioCheckFacade | None = None
        self.player: PlayerFacade | None = None
        self._tasks = OwnedTasks("audio")

    def open_check(self) -> AudioCheckDialog:
        if self.check is not None:
            dialog = self.check.parent()
            assert isinstance(dialog, AudioCheckDialog)
            dialog.raise_()
            dialog.activateWindow()
            return dialog
        dialog = AudioCheckDialog(self._parent)
        check = AudioCheck(prefs_from(self._settings), load=self._load)
        facade = AudioCheckFacade(check, self._settings, dialog)
        facade.closed.connect(lambda: self._forget_check(facade))
        self.check = facade
        dialog.show()
        self._tasks.run(facade.start())
        return dialog

    def _forget_check(self, facade: AudioCheckFacade) -> None:
        if self.check is facade:
            self.check = None

    def play(self, url: str, title: str = "") -> PlayerDialog:
        """Open (or reuse) the player window on ``url``."""
        if self.player is None:
            dialog = PlayerDialog(self._parent)
            settings = self._settings

            def output_name() -> tuple[str, tuple[str, ...]]:
                prefs = prefs_from(settings)
                return prefs.output, prefs.preferred_outputs

            recordings = RecordingPlayer(self._download_now,
                                         RecordingCache(_cache_dir(self._profile)),
                                         output_name=output_name, load=self._load)
            facade = PlayerFacade(recordings, dialog)
            facade.closed.connect(lambda: self._forget_player(facade))
            self.player = facade
        window = self.player.parent()
        assert isinstance(window, PlayerDialog)
        window.player.set_title(title or "Call recording")
        window.show()
        window.raise_()
        self.player.open(url)
        return window

    async def _download_now(self, url: str, dest: Path) -> Path:
        from agentapp.api.errors import ApiError

        download = self._download()
        if download is None:
            raise ApiError("no session", user_message="Sign in to play recordings.")
        return await download(url, dest)

    def _forget_player(self, facade: PlayerFacade) -> None:
        if self.player is facade:
            self.player = None

    async def aclose(self) -> None:
        """Stop every stream (app shutdown)."""
        if self.check is not None:
            await self.check.aclose()
        if self.player is not None:
            await self.player.aclose()
        await self._tasks.drain()


def _cache_dir(profile: str) -> Path:
    from agentapp.audio.cache import cache_dir

    return cache_dir(profile)
