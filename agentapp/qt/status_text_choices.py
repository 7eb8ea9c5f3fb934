"""The entries of the strip's extension and caller-ID pickers, from the status snapshot.

Lines that cannot be used (a disabled or expired extension, an inactive DID)
are listed, marked in words and not selectable, so the agent sees why.
"""

from __future__ import annotations

from agentapp.core.phone import format_did
from agentapp.services.status import StatusSnapshot, did_key
from agentapp.ui.status_strip import Choice


def extension_choices(snapshot: StatusSnapshot, current: str) -> list[Choice]:
    choices = []
    for ext_no in sorted(snapshot.agents):
        agent = snapshot.agents[ext_no]
        label = f"{ext_no} · {agent.name}" if agent.name else ext_no
        usable = agent.enabled and not agent.expired
        if not agent.enabled:
            label += " — disabled"
        elif agent.expired:
            label += " — expired"
        choices.append(Choice(ext_no, label, usable, ext_no == current.strip()))
    return choices


def did_choices(snapshot: StatusSnapshot, current: str) -> list[Choice]:
    mine = did_key(current) if current else ""
    choices = []
    for key in sorted(snapshot.dids):
        did = snapshot.dids[key]
        region = getattr(did, "region", "")
        label = format_did(did.number) + (f" · {region}" if region else "")
        if not did.active:
            label += " — inactive"
        choices.append(Choice(did.number, label, did.active, key == mine))
    return choices
