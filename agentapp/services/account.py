"""Sign-in: validate a token against a server and list what the agent may pick.

Nothing is saved here. The caller persists the token (keyring) and the
choices (settings) only after :func:`probe_account` succeeded, so a typo in a
token or URL never leaves a half-configured profile behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from agentapp.api.client import IvrClient
from agentapp.api.models import AccountInfo, Agent, Did
from agentapp.core.urls import PLAIN_HTTP_REFUSED, is_loopback_host


class InvalidBaseUrl(ValueError):
    """The base URL is not something we can send a token to."""


@dataclass(frozen=True)
class AccountOverview:
    """What a validated token can see: who it is, its extensions and DIDs."""

    base_url: str
    account: AccountInfo
    agents: list[Agent]
    dids: list[Did]
    is_sandbox: bool

    def usable_agents(self) -> list[Agent]:
        """Extensions an agent can dial from (enabled and not expired) first."""
        return sorted(self.agents, key=lambda a: (not a.enabled or a.expired, a.ext_no))

    def usable_dids(self) -> list[Did]:
        return sorted(self.dids, key=lambda d: (not d.active, d.number))


def normalise_base_url(text: str) -> str:
    """``api.example.in`` -> ``https://api.example.in``; reject what is not http(s).

    Plain http is allowed only for loopback (a local sandbox): a token must not
    cross a network unencrypted.
    """
    url = text.strip().rstrip("/")
    if not url:
        raise InvalidBaseUrl("Enter the API address, for example https://api.ivrsolutions.in")
    if "://" not in url:
        url = "https://" + url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidBaseUrl(f"'{text.strip()}' is not a web address (https://…)")
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise InvalidBaseUrl(PLAIN_HTTP_REFUSED)
    if parts.query or parts.fragment:
        raise InvalidBaseUrl("The API address must not contain '?' or '#' parts.")
    return url


async def probe_account(base_url: str, token: str, http: httpx.AsyncClient) -> AccountOverview:
    """Validate ``token`` (``key_authentication``) then read agents and DIDs.

    Raises :class:`InvalidBaseUrl` or an ``agentapp.api.errors.ApiError``
    subclass whose ``user_message`` the dialog shows as is.
    """
    url = normalise_base_url(base_url)
    if not token.strip():
        raise ValueError("Enter your API token.")
    client = IvrClient(url, token.strip(), http=http)
    account = await client.validate_token()
    agents = await client.agents()
    dids = await client.dids()
    sandbox = await client.is_sandbox()
    return AccountOverview(url, account, agents, dids, sandbox)
