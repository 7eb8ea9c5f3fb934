"""Where the app lives when the window closes: the tray, and what quitting asks;
and the window's remembered view (compact sidebar, always on top).

Closing the window hides it to the tray when a tray exists and the setting is
on (the first time, the agent is told where it went); otherwise closing is
quitting. Every quit (Ctrl+Q, File → Quit, the tray, closing without a tray)
goes through ``QuitFlow.request`` and its ``QuitGuard`` (qt/quit_guard.py).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QSystemTrayIcon

from agentapp import APP_NAME
from agentapp.core.call import CallTimeline
from agentapp.qt.tray_text import TrayState, tray_look
from agentapp.services.connectivity import ConnState, Health
from agentapp.settings import (
    UI_CLOSE_TO_TRAY,
    UI_COMPACT,
    UI_ON_TOP,
    UI_TOLD_TRAY,
    Setting,
    Settings,
)
from agentapp.ui.main_window import MainWindow
from agentapp.ui.tray import Tray

TOLD_TITLE = f"{APP_NAME} is still running"
TOLD_TEXT = ("It is in the system tray, so calls and pop-ups still reach you. Click the tray "
             "icon to bring the window back; quit from the tray menu or with Ctrl+Q. "
             "(Settings: “Closing the window keeps the app running in the tray”.)")


class WindowPresence(QObject):
    """Owns the close/hide/quit policy and keeps the tray's state words current."""

    def __init__(self, window: MainWindow, tray: Tray | None, settings: Settings,
                 request_quit: Callable[[], None], save_settings: Callable[[], None]) -> None:
        """``request_quit``: the app's quit, which asks first when it must (``QuitFlow``)."""
        super().__init__(window)
        self._window = window
        self._tray = tray
        self._settings = settings
        self._request_quit = request_quit
        self._save = save_settings
        self._signed_in = False
        self._conn = ConnState.CHECKING
        self._calls: dict[str, CallTimeline] = {}
        self._unsent = 0
        self._pops_paused = False
        window.set_compact(settings.get(UI_COMPACT))
        window.set_on_top(settings.get(UI_ON_TOP))
        window.compact_changed.connect(lambda on: self._remember(UI_COMPACT, on))
        window.on_top_changed.connect(lambda on: self._remember(UI_ON_TOP, on))
        window.close_requested.connect(self.close_window)
        window.quit_requested.connect(request_quit)
        if tray is not None:
            tray.quit_requested.connect(request_quit)
        self._render()

    @property
    def tray(self) -> Tray | None:
        return self._tray

    @property
    def hides_to_tray(self) -> bool:
        return (self._tray is not None and QSystemTrayIcon.isSystemTrayAvailable()
                and self._settings.get(UI_CLOSE_TO_TRAY))

    def close_window(self) -> None:
        if not self.hides_to_tray:
            self._request_quit()
            return
        self._window.hide()
        if not self._settings.get(UI_TOLD_TRAY) and self._tray is not None:
            self._tray.showMessage(TOLD_TITLE, TOLD_TEXT)
            self._settings.set(UI_TOLD_TRAY, True)
            self._save()

    def _remember(self, setting: Setting[bool], value: bool) -> None:
        self._settings.set(setting, value)
        self._save()

    # -- the tray's words ---------------------------------------------------------
    def set_signed_in(self, signed_in: bool) -> None:
        self._signed_in = signed_in
        self._calls.clear()  # a new session starts without calls
        if self._tray is not None:
            self._tray.sign_out_action.setEnabled(signed_in)
        self._render()

    def health_changed(self, health: Health) -> None:
        self._conn = health.state
        self._render()

    def timeline_changed(self, timeline: CallTimeline) -> None:
        if timeline.is_live:
            self._calls[timeline.call_id] = timeline
        else:
            self._calls.pop(timeline.call_id, None)
        self._render()

    def dispositions_changed(self, pending: int, failed: int) -> None:
        """Dispositions not on the server yet (DispositionFacade.counts_changed)."""
        self._unsent = pending + failed
        self._render()

    def pops_paused_changed(self, paused: bool) -> None:
        self._pops_paused = paused
        self._render()

    def live_calls(self) -> int:
        return len(self._calls)

    def tray_state(self) -> TrayState:
        return tray_look(self._signed_in, self._conn, self._calls.values(),
                         unsent=self._unsent, pops_paused=self._pops_paused)

    def state(self) -> str:
        return self.tray_state().words

    def _render(self) -> None:
        if self._tray is not None:
            state = self.tray_state()
            self._tray.set_state(state.words, state.look)
