"""Who is dialing from where: the signed-in line the services act for."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Session:
    """A signed-in agent's line. The API token is deliberately not here: it lives
    in the keyring and the API client, never in objects that get logged or shown."""

    base_url: str
    ext_no: str
    did: str
    is_sandbox: bool
    agent_name: str = ""
