"""The settings dialog's requests: save (and re-apply), check the API, register webhook."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox, QWidget
from qasync import asyncSlot

from agentapp.api.client import IvrClient
from agentapp.core.session import Session
from agentapp.services.doctor import check_api, format_table
from agentapp.settings import (
    DIAL_CALLING_HOURS_END,
    DIAL_CALLING_HOURS_START,
    DIAL_TEL_ACTION,
    DISPOSITION_REQUIRED,
    PHONE_DEFAULT_REGION,
    RELAY_ACCOUNT,
    RELAY_NATS_URLS,
    RELAY_WEBHOOK_URL,
    UI_CLOSE_TO_TRAY,
    UI_THEME,
    WEBHOOK_HOST,
    WEBHOOK_PORT,
    WEBHOOK_PUBLIC_URL,
    WEBHOOK_SECRET_ENABLED,
    Setting,
    Settings,
)
from agentapp.ui.settings_dialog import SettingsDialog

log = logging.getLogger(__name__)

EDITABLE: list[Setting[Any]] = [
    DIAL_TEL_ACTION, DIAL_CALLING_HOURS_START, DIAL_CALLING_HOURS_END, PHONE_DEFAULT_REGION,
    UI_THEME, UI_CLOSE_TO_TRAY, WEBHOOK_HOST, WEBHOOK_PORT, WEBHOOK_PUBLIC_URL,
    WEBHOOK_SECRET_ENABLED,
    RELAY_NATS_URLS, RELAY_ACCOUNT, RELAY_WEBHOOK_URL,
    DISPOSITION_REQUIRED,
]
ONE_WEBHOOK_WARNING = (
    "An IVR Solutions account has ONE webhook URL. Registering this app replaces whatever "
    "URL is registered now (a CRM integration, for example), which then stops receiving "
    "call events. Register anyway?"
)


class RunningSession(Protocol):
    """What the flow reads of the current session (``composition.SessionServices`` has it).

    A protocol, not the class: the composition root sits above the facades.
    """

    @property
    def session(self) -> Session: ...

    @property
    def client(self) -> IvrClient: ...


class SettingsFlow(QObject):
    def __init__(self, *, settings: Settings, services: Callable[[], RunningSession | None],
                 restart: Callable[[], Awaitable[bool]],
                 register_webhook: Callable[[], Awaitable[str]],
                 apply_theme: Callable[[str], object], parent_window: QWidget | None) -> None:
        super().__init__(parent_window)
        self._settings = settings
        self._services = services
        self._restart = restart
        self._register = register_webhook
        self._apply_theme = apply_theme
        self._parent = parent_window
        self.dialog: SettingsDialog | None = None

    def open(self) -> SettingsDialog:
        if self.dialog is None:
            values = {s.key: self._settings.get(s) for s in EDITABLE}
            dialog = SettingsDialog(EDITABLE, values, self._parent)
            dialog.save_requested.connect(self.save)
            dialog.check_api_requested.connect(self.check)
            dialog.register_webhook_requested.connect(self._confirm_register)
            dialog.finished.connect(self._closed)
            self.dialog = dialog
        self.dialog.open()
        return self.dialog

    def _closed(self, _result: int) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None

    @asyncSlot(dict)
    async def save(self, values: dict[str, Any]) -> None:
        declared = {s.key: s for s in EDITABLE}
        changed = {k for k, v in values.items() if self._settings.get(declared[k]) != v}
        for key, value in values.items():
            self._settings.set(declared[key], value)
        await self._settings.asave()
        if UI_THEME.key in changed:
            self._apply_theme(values[UI_THEME.key])
        if changed - {UI_THEME.key, DIAL_TEL_ACTION.key, DISPOSITION_REQUIRED.key}:
            await self._restart()  # calling hours, region, webhook: read at session start
        if self.dialog is not None:
            self.dialog.accept()

    @asyncSlot()
    async def check(self) -> None:
        services, dialog = self._services(), self.dialog
        if dialog is None:
            return
        if services is None:
            dialog.show_message("Sign in first: there is no server to check.")
            return
        dialog.check_button.setEnabled(False)
        dialog.show_message("Checking each endpoint…", "")
        try:
            rows = await check_api(services.client)
        finally:
            dialog.check_button.setEnabled(True)
        dialog.show_report(format_table(rows))
        failed = [r for r in rows if not r.ok]
        dialog.show_message(f"{len(rows) - len(failed)} of {len(rows)} endpoints OK.",
                            "ok" if not failed else "bad")

    def _confirm_register(self) -> None:
        services = self._services()
        if services is not None and services.session.is_sandbox:
            self.register()  # the sandbox is ours: no one else's URL to replace
            return
        box = QMessageBox(QMessageBox.Icon.Warning, "Register webhook", ONE_WEBHOOK_WARNING,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                          self.dialog or self._parent)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.finished.connect(
            lambda r: self.register() if r == QMessageBox.StandardButton.Yes else None)
        box.open()

    @asyncSlot()
    async def register(self) -> None:
        message = await self._register()
        if self.dialog is not None:
            self.dialog.show_message(message, "ok" if message.startswith("Registered") else "bad")
