"""Words and tones for the status pills, from the session and the status snapshot.

Kept out of the widgets so the rules ("a disabled extension is red and says
why") are testable without a window.
"""

from __future__ import annotations

from dataclasses import dataclass

from agentapp.core.phone import format_did
from agentapp.services.status import AgentInfo, DidInfo


@dataclass(frozen=True)
class PillText:
    text: str
    tone: str  # ok | warn | bad | info
    tooltip: str = ""


def extension_pill(ext_no: str, agent: AgentInfo | None) -> PillText:
    if not ext_no:
        return PillText("No extension", "warn", "Pick your extension under File → Sign in")
    if agent is None:
        return PillText(f"Ext {ext_no}", "info", "Checking the extension…")
    who = f"Ext {ext_no} · {agent.name}" if agent.name else f"Ext {ext_no}"
    if not agent.enabled:
        return PillText(f"Ext {ext_no} disabled", "bad",
                        "Your extension is disabled: ask your admin to enable it")
    if agent.expired:
        return PillText(f"Ext {ext_no} expired", "bad",
                        "Your extension has expired: ask your admin to renew it")
    return PillText(who, "ok", "Your phone rings first on every call")


def did_pill(did_no: str, did: DidInfo | None) -> PillText:
    if not did_no:
        return PillText("No caller ID", "warn", "Pick a caller ID (DID) under File → Sign in")
    shown = format_did(did_no)
    if did is None:
        return PillText(f"Caller ID {shown}", "info", "Checking the DID…")
    if not did.active:
        return PillText(f"DID {shown} inactive", "bad",
                        "This caller ID is inactive: pick another or ask your admin")
    region_name = getattr(did, "region", "")
    region = f" ({region_name})" if region_name else ""
    return PillText(f"Caller ID {shown}", "ok", f"Customers see this number{region}")
