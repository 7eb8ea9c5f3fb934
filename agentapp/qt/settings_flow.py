"""The Settings dialog's requests: save and apply, keyring credentials, the API
check, webhook registration, signing in and out.

A saved change takes effect the way the presentation table says
(``settings_pages.Applies``): live through an applier the runtime gives (theme,
country), read at use (pop-up trigger, tel: links…), or by reconnecting the
session for what services read at start (calling hours, webhook, relay).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox, QWidget
from qasync import asyncSlot

from agentapp.api.client import IvrClient
from agentapp.audio.errors import AudioUnavailable
from agentapp.core.session import Session
from agentapp.qt.owned_tasks import OwnedTasks
from agentapp.qt.settings_sources import CredsFileError, read_creds_file
from agentapp.secrets import AsyncSecrets, InsecureKeyring, SecretStoreError
from agentapp.settings import AGENT_DID, AGENT_EXTENSION, RELAY_NATS_URLS, Settings

if TYPE_CHECKING:  # the dialog and its pages load when Settings is first opened
    from agentapp.ui.settings_dialog import SettingsDialog
    from agentapp.ui.settings_pages import Field

log = logging.getLogger(__name__)

ONE_WEBHOOK_WARNING = (
    "An IVR Solutions account has ONE webhook URL. Registering this app replaces whatever "
    "URL is registered now (a CRM integration, for example), which then stops receiving "
    "call events. Register anyway?"
)
LINE_KEYS = frozenset({AGENT_EXTENSION.key, AGENT_DID.key})


class RunningSession(Protocol):
    """What the flow reads of the current session (``composition.SessionServices`` has it).

    A protocol, not the class: the composition root sits above the facades.
    """

    @property
    def session(self) -> Session: ...

    @property
    def client(self) -> IvrClient: ...


async def _nothing() -> str:
    return ""


async def _no_devices() -> tuple[list[str], list[str]]:
    raise AudioUnavailable("Audio devices are not listed here.")


@dataclass
class SettingsHooks:
    """What the runtime lends the flow; every part has a harmless default."""

    secrets: AsyncSecrets | None = None
    profile: str = "default"
    # Applied at once after saving, by setting key (theme, country of the dial field…).
    appliers: Mapping[str, Callable[[Any], object]] = field(default_factory=dict)
    apply_line: Callable[[], Awaitable[str]] = _nothing  # extension/caller ID, signed in
    plan_kind: Callable[[], str] = lambda: ""  # "account", "demo" or "" (no session)
    live_calls: Callable[[], int] = lambda: 0
    sign_in: Callable[[], object] = lambda: None
    sign_out: Callable[[], object] = lambda: None
    audio_devices: Callable[[], Awaitable[tuple[list[str], list[str]]]] = _no_devices


class SettingsFlow(QObject):
    def __init__(self, *, settings: Settings, services: Callable[[], RunningSession | None],
                 restart: Callable[[], Awaitable[bool]],
                 register_webhook: Callable[[], Awaitable[str]],
                 apply_theme: Callable[[str], object], parent_window: QWidget | None,
                 hooks: SettingsHooks | None = None) -> None:
        super().__init__(parent_window)
        self._settings = settings
        self._services = services
        self._restart = restart
        self._register = register_webhook
        self._hooks = hooks or SettingsHooks()
        self._appliers = {"ui/theme": apply_theme, **self._hooks.appliers}
        self._parent = parent_window
        self._tasks = OwnedTasks("settings")  # the keyring's and the devices' answers
        self.dialog: SettingsDialog | None = None

    @property
    def keyring(self) -> AsyncSecrets | None:
        """Where the token and the relay credentials are kept (tests read it back)."""
        return self._hooks.secrets

    @property
    def shown(self) -> dict[str, Field]:
        """The settings the dialog edits (every declared one the table puts on a page)."""
        from agentapp.ui.settings_pages import shown_fields

        return shown_fields(self._settings.declarations)

    def open(self) -> SettingsDialog:
        if self.dialog is None:
            from agentapp.ui.settings_dialog import SettingsDialog

            declared = self._settings.declarations
            values = {k: self._settings.get(declared[k]) for k in self.shown}
            dialog = SettingsDialog(declared, values, self._parent)
            dialog.save_requested.connect(self.save)
            dialog.check_api_requested.connect(self.check)
            dialog.register_webhook_requested.connect(self._confirm_register)
            dialog.account.sign_in_requested.connect(lambda: self._leave(self._hooks.sign_in))
            dialog.account.sign_out_requested.connect(
                lambda: self._leave(self._hooks.sign_out))
            dialog.relay_creds.file_chosen.connect(self._load_creds)
            dialog.finished.connect(self._closed)
            self.dialog = dialog
            self._show_account(dialog)
            self._tasks.run(self._fill_keyring(dialog))
            self._tasks.run(self._fill_devices(dialog))
        self.dialog.open()
        return self.dialog

    def _closed(self, _result: int) -> None:
        self._tasks.cancel_all()  # answers for a closed dialog are not awaited
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None

    def _leave(self, then: Callable[[], object]) -> None:
        """Sign in / sign out: the settings dialog steps aside first (unsaved edits go)."""
        if self.dialog is not None:
            self.dialog.reject()
        then()

    # -- what the dialog shows besides settings ------------------------------------
    def _show_account(self, dialog: SettingsDialog) -> None:
        services, kind = self._services(), self._hooks.plan_kind()
        if services is None or not kind:
            dialog.account.show_account("Not signed in.", False)
        elif kind == "demo":
            dialog.account.show_account(
                "Using the built-in demo: a demo person and line, no real calls.", False)
        else:
            s = services.session
            dialog.account.show_account(
                f"Signed in to {s.base_url} as extension {s.ext_no or '(none)'}"
                + (f", caller ID {s.did}." if s.did else "."), True)

    async def _fill_keyring(self, dialog: SettingsDialog) -> None:
        secrets, profile = self._hooks.secrets, self._hooks.profile
        if secrets is None:
            dialog.account.show_token("The keyring is not available here.", "bad")
            dialog.relay_creds.show_stored(None)
            return
        try:
            token = await secrets.get_token(profile)
            backend = await secrets.backend_name()
        except SecretStoreError as exc:
            if self.dialog is dialog:
                dialog.account.show_token(f"The keyring could not be read: {exc}", "bad")
        else:
            if self.dialog is dialog:
                dialog.account.show_token(
                    f"Your API token is stored in the system keyring ({backend})." if token
                    else "No API token is stored in the keyring.", "ok" if token else "")
        try:
            creds = await secrets.get_relay_creds(profile)
        except SecretStoreError:
            if self.dialog is dialog:
                dialog.relay_creds.show_stored(None)
            return
        if self.dialog is dialog:
            dialog.relay_creds.show_stored(bool(creds))

    async def _fill_devices(self, dialog: SettingsDialog) -> None:
        try:
            inputs, outputs = await self._hooks.audio_devices()
        except AudioUnavailable as exc:
            if self.dialog is dialog:
                dialog.show_devices([], [], str(exc))
            return
        if self.dialog is dialog:
            dialog.show_devices(inputs, outputs)

    @asyncSlot(str)
    async def _load_creds(self, path: str) -> None:
        dialog = self.dialog
        try:
            text = await read_creds_file(Path(path))
        except CredsFileError as exc:
            if self.dialog is dialog and dialog is not None:
                dialog.relay_creds.show_error(str(exc))
            return
        if self.dialog is dialog and dialog is not None:
            dialog.relay_creds.show_error("")
            dialog.relay_creds.set_loaded(Path(path).name, text)

    # -- saving --------------------------------------------------------------------
    @asyncSlot(dict, object)
    async def save(self, values: dict[str, Any], creds: tuple[str, str] | None = None) -> None:
        dialog = self.dialog
        if creds is not None and not await self._store_creds(creds):
            return  # nothing saved: the keyring said no, beside the field
        declared, shown = self._settings.declarations, self.shown
        changed = {k for k, v in values.items() if self._settings.get(declared[k]) != v}
        for key, value in values.items():
            self._settings.set(declared[key], value)
        await self._settings.asave()
        for key in changed & self._appliers.keys():
            self._appliers[key](values[key])
        relay_on = bool(self._settings.get(RELAY_NATS_URLS).strip())
        from agentapp.ui.settings_pages import Applies

        reconnect = {k for k in changed if shown[k].applies is Applies.RECONNECT}
        if creds is not None and relay_on:
            reconnect.add(RELAY_NATS_URLS.key)
        note = ""
        if changed & LINE_KEYS and self._hooks.plan_kind() == "account":
            note = await self._hooks.apply_line()
        if reconnect and self._services() is not None:
            if self._hooks.live_calls():
                note = ("Saved. A call is live, so " + ", ".join(
                    sorted(shown[k].label for k in reconnect)) + " apply at next sign-in.")
            else:
                await self._restart()
        if note and dialog is not None and self.dialog is dialog:
            dialog.show_saved(note, ok=note.startswith("Saved"))  # stays open to be read
            return
        if dialog is not None:
            dialog.accept()

    async def _store_creds(self, creds: tuple[str, str]) -> bool:
        dialog, secrets = self.dialog, self._hooks.secrets
        action, text = creds
        if secrets is None:
            problem = "The keyring is not available here: nothing was saved."
        else:
            try:
                if action == "set":
                    await secrets.set_relay_creds(self._hooks.profile, text)
                else:
                    await secrets.delete_relay_creds(self._hooks.profile)
                return True
            except InsecureKeyring as exc:
                problem = f"{exc} Nothing was saved."
            except SecretStoreError as exc:
                problem = f"The keyring refused the credentials ({exc}). Nothing was saved."
        log.warning("relay credentials not stored")
        if dialog is not None:
            from agentapp.ui.settings_pages import ADVANCED

            dialog.relay_creds.show_error(problem)
            dialog.open_page(ADVANCED)
            dialog.show_message(problem)
        return False

    # -- tools -----------------------------------------------------------------------
    @asyncSlot()
    async def check(self) -> None:
        services, dialog = self._services(), self.dialog
        if dialog is None:
            return
        if services is None:
            dialog.show_message("Sign in first: there is no server to check.")
            return
        from agentapp.services.doctor import check_api, format_table

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
