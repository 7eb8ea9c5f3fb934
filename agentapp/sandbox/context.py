"""Everything a handler needs, built once by the server and passed in (no globals)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from .calls import CallSimulator
from .campaigns import DialerCampaigns
from .catalog import Catalog
from .clock import SimClock
from .config import SandboxConfig
from .envelopes import ApiError, invalid
from .faults import FaultInjector
from .phone_formats import canonical_did
from .webhooks import WebhookDispatcher
from .world import Did, World


@dataclass
class SandboxContext:
    config: SandboxConfig
    clock: SimClock
    world: World
    webhooks: WebhookDispatcher
    calls: CallSimulator
    faults: FaultInjector
    campaigns: DialerCampaigns
    catalog: Catalog = field(default_factory=Catalog)
    notes: list[dict[str, Any]] = field(default_factory=list)
    base_url: str = ""

    def today(self) -> date:
        return self.clock.now().date()

    def did_for_call(self, raw: str, *, strict_plus: bool) -> Did:
        """The account's active DID for ``raw``; the provider's 400 replies otherwise."""
        if strict_plus and self.config.reject_plus_did and raw.startswith("+"):
            raise ApiError(400, "Did No. Invalid")
        number = canonical_did(raw)
        did = self.world.dids.get(number) if number else None
        if did is None:
            raise ApiError(400, "Did No. Invalid")
        if not did.active:
            raise ApiError(400, "Did No. Inactive")
        return did


def optional_date(value: str, name: str) -> date | None:
    """``YYYY-MM-DD`` or empty; anything else is a 400 naming the field."""
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise invalid(name) from None
