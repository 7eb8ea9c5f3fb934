"""Decide how a launch starts: demo sandbox, a stored account, or the sign-in dialog.

Pure decision over already-read inputs (argv, settings values, the token from
the keyring or ``AGENTAPP_TOKEN``), so every combination is unit-testable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from agentapp.cli import LaunchRequest

DEMO_EXTENSION = "2101"
DEMO_DID = "+911143104567"

Kind = Literal["demo", "account", "sign_in"]


@dataclass(frozen=True)
class StartPlan:
    kind: Kind
    base_url: str = ""
    ext_no: str = ""
    did: str = ""
    token: str = field(default="", repr=False)
    first_run: bool = False
    reason: str = ""  # why we could not start signed in, shown in the dialog


@dataclass(frozen=True)
class StoredAccount:
    base_url: str
    ext_no: str
    did: str
    choice_made: bool  # the agent chose the demo or signed in before: no first-launch dialog


def resolve_start(
    launch: LaunchRequest, stored: StoredAccount, keyring_token: str | None, env_token: str | None
) -> StartPlan:
    from agentapp.core.urls import insecure_url_reason  # not for the window shell's prefs

    if launch.sandbox:
        return StartPlan("demo", ext_no=launch.extension or DEMO_EXTENSION,
                         did=launch.did or DEMO_DID)
    token = env_token or keyring_token or ""
    if launch.api_url:
        ext = launch.extension or stored.ext_no
        did = launch.did or stored.did
        insecure = insecure_url_reason(launch.api_url)
        if insecure is not None:
            return StartPlan("sign_in", launch.api_url, ext, did, reason=insecure)
        if token and ext and did:
            return StartPlan("account", launch.api_url, ext, did, token)
        missing = [n for n, v in (("a token (AGENTAPP_TOKEN or keyring)", token),
                                  ("--extension", ext), ("--did", did)) if not v]
        return StartPlan("sign_in", launch.api_url, ext, did,
                         reason="Missing " + ", ".join(missing) + ".")
    if token and stored.ext_no and stored.did:
        insecure = insecure_url_reason(stored.base_url)
        if insecure is not None:  # e.g. an http:// address written into settings.json
            return StartPlan("sign_in", stored.base_url, stored.ext_no, stored.did,
                             reason=insecure)
        return StartPlan("account", stored.base_url, stored.ext_no, stored.did, token)
    return StartPlan("demo", ext_no=launch.extension or DEMO_EXTENSION,
                     did=launch.did or DEMO_DID, first_run=not stored.choice_made)


# The three settings the window shell needs, read before the Settings machinery
# (and asyncio) is imported. Keys as in agentapp.settings (a test keeps them equal).
SHELL_THEME_KEY = "ui/theme"
SHELL_LANGUAGE_KEY = "ui/language"
SHELL_GEOMETRY_KEY = "ui/geometry"


@dataclass(frozen=True)
class ShellPrefs:
    theme: str = "system"
    language: str = "system"
    geometry: bytes = b""


def shell_prefs(blob: bytes | None) -> ShellPrefs:
    """Theme, language and window geometry from settings.json's bytes, for the shell only.

    Read-only and forgiving: anything odd gives the defaults. The runtime's own
    ``Settings.load`` is what validates the file and reports (and keeps) damage.
    """
    import json

    if not blob:
        return ShellPrefs()
    try:
        raw = json.loads(blob.decode("utf-8"))
    except (ValueError, RecursionError):
        return ShellPrefs()
    if not isinstance(raw, dict):
        return ShellPrefs()
    theme = raw.get(SHELL_THEME_KEY)
    language = raw.get(SHELL_LANGUAGE_KEY)
    geometry = b""
    encoded = raw.get(SHELL_GEOMETRY_KEY)
    if isinstance(encoded, str):
        import base64
        import binascii

        try:
            geometry = base64.b64decode(encoded.encode("ascii"), validate=True)
        except (ValueError, binascii.Error):
            geometry = b""
    return ShellPrefs(theme if theme in ("system", "light", "dark") else "system",
                      language if isinstance(language, str) else "system", geometry)
