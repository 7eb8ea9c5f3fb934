"""Sign-in and sign-out: the dialog's requests turned into service calls.

The token is written to the keyring, and the address/extension/DID to
settings, only after the token validated against the server. A keyring that
is not a real OS keyring refuses the token: nothing is ever stored in plaintext.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import httpx
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget
from qasync import asyncSlot

from agentapp.api.errors import ApiError
from agentapp.core.phone import format_did
from agentapp.secrets import AsyncSecrets, InsecureKeyring, SecretStoreError
from agentapp.services.account import AccountOverview, InvalidBaseUrl, probe_account
from agentapp.settings import (
    AGENT_DID,
    AGENT_EXTENSION,
    API_BASE_URL,
    APP_FIRST_CHOICE_MADE,
    Settings,
)

if TYPE_CHECKING:  # the dialog loads when it is first needed (a signed-in start never)
    from agentapp.ui.sign_in_dialog import Choice, SignInDialog

log = logging.getLogger(__name__)

# Given by the runtime, which owns sessions (the facades sit below it):
UseAccount = Callable[[str, str, str, str], Awaitable[bool]]  # base_url, ext_no, did, token
UseDemo = Callable[[], Awaitable[bool]]

INSECURE_KEYRING_TEXT = (
    "No secure keyring was found on this computer ({backend}), so your token cannot be "
    "saved. It will not be written to a file. Install or unlock your desktop keyring "
    "(GNOME Keyring, KWallet, Windows Credential Manager or macOS Keychain) and try again."
)


class SignInFlow(QObject):
    signed_in = Signal()

    def __init__(self, *, http: Callable[[], httpx.AsyncClient], secrets: AsyncSecrets,
                 settings: Settings, profile: str, use_account: UseAccount, use_demo: UseDemo,
                 parent_window: QWidget | None = None) -> None:
        super().__init__(parent_window)
        self._http = http
        self._secrets = secrets
        self._settings = settings
        self._profile = profile
        self._use_account = use_account
        self._use_demo = use_demo
        self._parent = parent_window
        self._dialog: SignInDialog | None = None
        self._validated: tuple[str, str, AccountOverview] | None = None

    @property
    def dialog(self) -> SignInDialog | None:
        return self._dialog

    def open(self, reason: str = "", base_url: str | None = None) -> SignInDialog:
        if self._dialog is None:
            from agentapp.ui.sign_in_dialog import SignInDialog

            dialog = SignInDialog(base_url or self._settings.get(API_BASE_URL), self._parent)
            dialog.validate_requested.connect(self.validate)
            dialog.sign_in_confirmed.connect(self.sign_in)
            dialog.sandbox_requested.connect(self.try_sandbox)
            dialog.base_url.textEdited.connect(lambda _t: dialog.invalidate())
            dialog.token.textEdited.connect(lambda _t: dialog.invalidate())
            dialog.finished.connect(self._closed)
            self._dialog = dialog
        if reason:
            self._dialog.show_message(reason)
        self._dialog.open()
        self._check_keyring()
        return self._dialog

    def _closed(self, _result: int) -> None:
        if self._dialog is not None:
            self._dialog.deleteLater()
        self._dialog = None
        self._validated = None

    @asyncSlot()
    async def _check_keyring(self) -> None:
        if not await self._secrets.is_secure() and self._dialog is not None:
            backend = await self._secrets.backend_description()
            self._dialog.show_keyring_warning(INSECURE_KEYRING_TEXT.format(backend=backend))

    @asyncSlot(str, str)
    async def validate(self, base_url: str, token: str) -> None:
        dialog = self._dialog
        if dialog is None:
            return
        dialog.set_busy(True)
        try:
            overview = await probe_account(base_url, token, self._http())
        except (InvalidBaseUrl, ValueError) as exc:
            dialog.show_message(str(exc))
        except ApiError as exc:
            log.info("token check failed: %s", type(exc).__name__)
            dialog.show_message(exc.user_message)
        else:
            self._validated = (base_url, token, overview)
            name = overview.account.company or overview.account.email or "your account"
            dialog.show_account(name, *line_choices(overview))
        finally:
            if self._dialog is dialog:
                dialog.set_busy(False)

    @asyncSlot(str, str, str, str)
    async def sign_in(self, base_url: str, token: str, ext_no: str, did: str) -> None:
        dialog = self._dialog
        if dialog is None:
            return
        if self._validated is None or self._validated[:2] != (base_url, token):
            dialog.show_message("Check the token first.")
            return
        overview = self._validated[2]
        try:
            await self._secrets.set_token(self._profile, token.strip())
        except InsecureKeyring:
            backend = await self._secrets.backend_description()
            dialog.show_message(INSECURE_KEYRING_TEXT.format(backend=backend))
            return
        except SecretStoreError as exc:
            dialog.show_message(f"The keyring refused the token: {exc}")
            return
        self._settings.set(API_BASE_URL, overview.base_url)
        self._settings.set(AGENT_EXTENSION, ext_no)
        self._settings.set(AGENT_DID, did)
        self._settings.set(APP_FIRST_CHOICE_MADE, True)
        await self._settings.asave()
        if await self._use_account(overview.base_url, ext_no, did, token.strip()):
            dialog.accept()
            self.signed_in.emit()

    @asyncSlot()
    async def try_sandbox(self) -> None:
        """The demo, chosen: remembered, so the dialog does not return at every launch."""
        if await self._use_demo():
            self._settings.set(APP_FIRST_CHOICE_MADE, True)
            await self._settings.asave()
            if self._dialog is not None:
                self._dialog.accept()

    @asyncSlot()
    async def sign_out(self) -> None:
        try:
            await self._secrets.delete_token(self._profile)
        except SecretStoreError as exc:
            log.warning("could not delete the token: %s", type(exc).__name__)
        self._settings.reset(AGENT_EXTENSION)
        self._settings.reset(AGENT_DID)
        await self._settings.asave()
        await self._use_demo()
        self.open("Signed out: your token was removed from the keyring.")


def line_choices(overview: AccountOverview) -> tuple[list[Choice], list[Choice]]:
    """The extensions and DIDs the agent may pick, usable first, each saying why not."""
    from agentapp.ui.sign_in_dialog import Choice

    extensions = []
    for agent in overview.usable_agents():
        note = " (disabled)" if not agent.enabled else " (expired)" if agent.expired else ""
        extensions.append(Choice(f"{agent.ext_no} · {agent.name}{note}", agent.ext_no))
    dids = []
    for did in overview.usable_dids():
        note = "" if did.active else " (inactive)"
        dids.append(Choice(f"{format_did(did.number)} {did.region}{note}".strip(), did.number))
    return extensions, dids
