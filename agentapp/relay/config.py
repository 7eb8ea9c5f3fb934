"""What one relay process needs; secrets come from the environment, never argv."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from agentapp.services.event_source_subjects import check_account

PATH_TOKEN_ENV = "AGENTAPP_RELAY_PATH_TOKEN"
WEBHOOK_SECRET_ENV = "AGENTAPP_RELAY_WEBHOOK_SECRET"
NATS_CREDS_ENV = "AGENTAPP_RELAY_NATS_CREDS"


@dataclass(frozen=True)
class RelayConfig:
    account: str
    nats_urls: tuple[str, ...] = ("nats://127.0.0.1:4222",)
    host: str = "127.0.0.1"
    port: int = 8090
    public_url: str = ""
    path_token: str = ""  # "" = a random one per process (fine for a single relay)
    webhook_secret: str = field(default="", repr=False)
    nats_creds: str = field(default="", repr=False)
    nats_ca_file: str = ""  # PEM CA of the NATS servers' certificates ("" = system CAs)
    replicas: int = 1
    duplicate_window_s: float = 600.0
    max_age_s: float = 86400.0
    publish_timeout_s: float = 2.0
    max_body: int = 64 * 1024
    # A relay serves a whole account (the desktop receiver caps at 64): room for a
    # provider's parallel deliveries, still well below a 1,024-descriptor limit.
    max_connections: int = 512

    def __post_init__(self) -> None:
        check_account(self.account)
        if not self.nats_urls:
            raise ValueError("at least one NATS URL is needed")
        if self.path_token and len(self.path_token) < 16:
            raise ValueError(f"{PATH_TOKEN_ENV} must be at least 16 characters")


def secrets_from_env(env: Mapping[str, str] = os.environ) -> dict[str, str]:
    """The relay's secrets from its environment (systemd EnvironmentFile, compose env)."""
    return {
        "path_token": env.get(PATH_TOKEN_ENV, "").strip(),
        "webhook_secret": env.get(WEBHOOK_SECRET_ENV, "").strip(),
        "nats_creds": env.get(NATS_CREDS_ENV, "").strip(),
    }
