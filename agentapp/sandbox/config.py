"""Sandbox configuration: one dataclass, every field defaulted, so callers tweak only a few."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

DEMO_TOKEN = "ivr-sandbox-demo-token"
"""Fixed, documented, non-secret token of the demo account (docs/sandbox.md)."""

AUTH_FAILURE_STYLES = ("http405", "body401")


@dataclass
class SandboxConfig:
    host: str = "127.0.0.1"
    port: int = 0
    seed: int = 7
    speed: float = 1.0  # simulated seconds per real second
    token: str = DEMO_TOKEN
    history: int = 300  # historical records across call_logs / c2c / dialer
    webhook_url: str | None = None
    webhook_secret: str | None = None
    auth_failure: str = "http405"  # or "body401"
    reject_plus_did: bool = True  # live: "Did No. Invalid" for +DIDs on c2c_*; False accepts them
    start_time: datetime | None = None  # pin the world's "now" (IST); None = wall clock at start
    # New calls get ids at least this far above their base: a sandbox started in place
    # of a killed one (same seed, same port) must not hand out the ids of the calls the
    # first one placed, as a real server's database never would.
    id_offset: int = 0

    def validate(self) -> None:
        """Fail early on settings that would make the server misbehave later."""
        if self.speed <= 0:
            raise ValueError("speed must be > 0")
        if not 0 <= self.history <= 100_000:
            raise ValueError("history must be between 0 and 100000")
        if self.auth_failure not in AUTH_FAILURE_STYLES:
            raise ValueError(f"auth_failure must be one of {AUTH_FAILURE_STYLES}")
        if not 0 <= self.id_offset < 1_000_000:
            raise ValueError("id_offset must be between 0 and 999999")
        if not self.token:
            raise ValueError("token must not be empty")
