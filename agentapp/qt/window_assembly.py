"""The main window put together: its controls wired to the facades, its menus, its dialogs.

Called once by the runtime, whose session lifecycle stays out of here: what the
window's menus ask of the running app (restart a session, register a webhook,
change the line, sign in or out) comes in as callables.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray

from agentapp.qt.disposition_wiring import install_dispositions
from agentapp.qt.help_flow import HelpFlow
from agentapp.qt.history_facade import HistoryFacade, install_history_action, recording_title
from agentapp.qt.pop_facade import install_lookup_action
from agentapp.qt.session_facades import SessionFacades
from agentapp.qt.settings_flow import RunningSession, SettingsFlow, SettingsHooks
from agentapp.qt.settings_sources import audio_device_names
from agentapp.qt.status_panel_facade import install_status_panel_action
from agentapp.qt.wiring import MainWindowBinding
from agentapp.resources import icon
from agentapp.secrets import AsyncSecrets
from agentapp.settings import (
    AGENT_DID,
    AGENT_EXTENSION,
    DIAL_TEL_ACTION,
    PHONE_DEFAULT_REGION,
    UI_GEOMETRY,
    Settings,
)
from agentapp.ui.main_window import MainWindow

if TYPE_CHECKING:
    from agentapp.qt.audio_facade import AudioTools


def build_main_window(settings: Settings, dark: bool) -> MainWindow:
    """The window with its icon, where the agent last left it."""
    window = MainWindow(settings.get(PHONE_DEFAULT_REGION))
    window.setWindowIcon(icon("app", dark))
    geometry = settings.get(UI_GEOMETRY)
    if geometry:
        window.restoreGeometry(QByteArray(geometry))
    return window


def wire_facades(window: MainWindow, facades: SessionFacades) -> MainWindowBinding:
    """The window's controls to the facades, and the facades to each other: a pop's
    *History*, a history row's *Call back* or *Contact*, a saved contact's new name."""
    pops, history = facades.pops, facades.history
    binding = MainWindowBinding(window, facades.dial, facades.calls, facades.status,
                                facades.recent)
    pops.call_back_requested.connect(binding.dial)
    install_lookup_action(window, pops)
    install_history_action(window, history)
    install_dispositions(facades.dispositions, window, facades.calls, pops, history)
    pops.history_requested.connect(lambda number: history.open(number, window))
    history.call_back_requested.connect(binding.dial)
    history.contact_requested.connect(
        lambda e164, name: pops.edit_contact(e164, name, history.view))
    pops.contact_saved.connect(lambda _e164: history.refresh())
    install_status_panel_action(window, facades.status_panel)
    return binding


def install_settings_flow(
        window: MainWindow, settings: Settings, secrets: AsyncSecrets, profile: str, *,
        apply_theme: Callable[[str], object],
        services: Callable[[], RunningSession | None],
        restart: Callable[[], Awaitable[bool]],
        register_webhook: Callable[[], Awaitable[str]],
        change_line: Callable[[str, str], Awaitable[str]],
        plan_kind: Callable[[], str], live_calls: Callable[[], int],
        sign_in: Callable[[], object], sign_out: Callable[[], object]) -> SettingsFlow:
    """Settings for agents: what it may apply at once, and the account's actions."""
    flow = SettingsFlow(
        settings=settings, services=services, restart=restart,
        register_webhook=register_webhook, apply_theme=apply_theme, parent_window=window,
        hooks=SettingsHooks(
            secrets=secrets, profile=profile,
            appliers={PHONE_DEFAULT_REGION.key: window.dial.set_region},
            apply_line=lambda: change_line(settings.get(AGENT_EXTENSION),
                                           settings.get(AGENT_DID)),
            plan_kind=plan_kind, live_calls=live_calls, sign_in=sign_in, sign_out=sign_out,
            audio_devices=audio_device_names))
    window.settings_requested.connect(flow.open)
    return flow


def wire_audio(window: MainWindow, history: HistoryFacade,
               audio: Callable[[], AudioTools]) -> None:
    """The audio check and the recording player (``audio`` builds them at first use)."""
    window.audio_check_requested.connect(lambda: audio().open_check())
    window.play_recording_requested.connect(lambda url, title: audio().play(url, title))
    history.play_hook = lambda call: audio().play(call.recording_url, recording_title(call))


def install_help(window: MainWindow, profile: str) -> HelpFlow:
    """The Help menu: user guide, keyboard shortcuts, About."""
    flow = HelpFlow(window, profile)
    window.guide_requested.connect(flow.open_guide)
    window.shortcuts_requested.connect(flow.open_shortcuts)
    window.about_requested.connect(flow.open_about)
    return flow


def raise_window(window: MainWindow) -> None:
    """Back in front of the agent (the close button or the tray may have hidden it)."""
    window.showNormal()
    window.raise_()
    window.activateWindow()


def follow_launch(window: MainWindow, binding: MainWindowBinding, settings: Settings,
                  message: dict[str, Any]) -> None:
    """A ``tel:`` link or number from argv: prefill (default) or dial at once."""
    raise_window(window)
    target = str(message.get("target") or "").strip()
    if not target:
        return
    if message.get("dial") or settings.get(DIAL_TEL_ACTION) == "dial":
        window.dial.number.setText(target)
        binding.dial(target)
    else:
        window.dial.prefill(target)
