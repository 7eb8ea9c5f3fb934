"""Where the app lives beside its window, put together: the tray, close-to-tray, quitting.

The tray (when the desktop has one) with its menu, tooltip and pop notifications;
the ``WindowPresence`` that decides what closing does; the ``QuitGuard`` and
``QuitFlow`` every quit goes through; *Pause pop-ups* and the missed-call badge.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QSystemTrayIcon

from agentapp.qt.disposition_facade import DispositionFacade
from agentapp.qt.history_facade import install_status_widgets
from agentapp.qt.pop_pause import install_pop_pause
from agentapp.qt.quit_guard import QuitFlow, QuitGuard, live_call_reason, unsent_dispositions
from agentapp.qt.session_facades import SessionFacades
from agentapp.qt.window_assembly import raise_window
from agentapp.qt.window_presence import WindowPresence
from agentapp.qt.wiring import MainWindowBinding
from agentapp.resources import TRAY_INK, icon
from agentapp.settings import NOTIFY_POP_DESKTOP, Settings
from agentapp.ui.disposition_badge import badge_text
from agentapp.ui.main_window import MainWindow
from agentapp.ui.tray import Tray

TOOLTIP_SEPARATOR = " | "


def install_tray(window: MainWindow, binding: MainWindowBinding, facades: SessionFacades,
                 settings: Settings, dark: bool, *, audio_check: Callable[[], object],
                 sign_out: Callable[[], object]) -> Tray | None:
    """The tray icon and its menu, or None where the desktop has no system tray."""
    if not QSystemTrayIcon.isSystemTrayAvailable():
        return None
    tray = Tray(icon("app", dark, color=TRAY_INK), window)
    tray.show_requested.connect(lambda: raise_window(window))
    tray.clipboard_requested.connect(binding.dial_clipboard)
    tray.audio_check_requested.connect(audio_check)
    tray.sign_out_requested.connect(sign_out)
    tray.show()

    def notify_pop(title: str, body: str) -> None:
        """A desktop notification for a pop while the main window is hidden."""
        if not window.isVisible() and settings.get(NOTIFY_POP_DESKTOP):
            tray.showMessage(title, body or title)

    facades.pops.popped.connect(notify_pop)
    return tray


@dataclass(frozen=True)
class Presence:
    """What ``install_presence`` put in place (the runtime and tests reach these)."""

    presence: WindowPresence
    quit_flow: QuitFlow
    pause_pops_action: QAction


def install_presence(window: MainWindow, tray: Tray | None, facades: SessionFacades,
                     settings: Settings, *, quit_now: Callable[[], None],
                     live_calls: Callable[[], int],
                     save_settings: Callable[[], None]) -> Presence:
    """Close-to-tray, the tray's state words, and the questions quitting asks."""
    guard = QuitGuard(window.ask_confirmation, quit_now)
    guard.add(live_call_reason(live_calls))
    quit_flow = QuitFlow(guard, lambda: unsent_dispositions(facades.dispositions),
                         lambda: raise_window(window))
    presence = WindowPresence(window, tray, settings, quit_flow.request, save_settings)
    facades.calls.timeline_changed.connect(presence.timeline_changed)
    facades.status.health_changed.connect(presence.health_changed)
    facades.dispositions.counts_changed.connect(presence.dispositions_changed)
    facades.pops.paused_changed.connect(presence.pops_paused_changed)
    pause = install_pop_pause(window, window.view_menu, facades.pops, tray)
    install_status_widgets(window, facades.history, facades.pops.missed_changed,
                           facades.pops.missed_seen, tray)
    if tray is not None:  # after the missed-call tooltip, which this extends
        tooltip = _tooltip_with_dispositions(tray, facades.dispositions)
        facades.dispositions.counts_changed.connect(tooltip)
        facades.pops.missed_changed.connect(tooltip)
    return Presence(presence, quit_flow, pause)


def _tooltip_with_dispositions(tray: Tray,
                               dispositions: DispositionFacade) -> Callable[..., None]:
    def tooltip(*_changed: object) -> None:
        """The tray tooltip (missed calls, set by the history side) plus dispositions."""
        base = tray.toolTip().split(TOOLTIP_SEPARATOR)[0]
        counts = dispositions.counts
        text = badge_text(counts.pending, counts.failed)
        tray.setToolTip(f"{base}{TOOLTIP_SEPARATOR}{text}" if text else base)
    return tooltip
