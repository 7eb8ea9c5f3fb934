"""The Line status panel's rows and its freshness line, from one status snapshot.

Pure functions (no widgets), so "a disabled extension says Disabled" and
"stale data says how old it is" are tested without a window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from agentapp.core.phone import format_did
from agentapp.qt.status_text import age, clock_time
from agentapp.services.status import StatusSnapshot, did_key

EXTENSION_COLUMNS = ("Extension", "Agent", "State", "Expires", "Caller ID (DID)")
DID_COLUMNS = ("Caller ID (DID)", "Region", "Type", "Live state", "Agents")
_LIVE_WORDS = {"available": "available", "on_call": "on a call", "offline": "phone offline"}
_KINDS = {"landline": "Landline", "tollfree": "Toll-free", "mobile": "Mobile"}


@dataclass(frozen=True)
class PanelData:
    extensions: list[tuple[str, ...]]
    dids: list[tuple[str, ...]]
    freshness: str  # "Updated 10:42 (12 s ago)", or why the data is old
    stale: bool


def _day(day: date | None) -> str:
    return f"{day.day} {day:%b %Y}" if day else "—"


def extension_rows(snapshot: StatusSnapshot) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for ext_no in sorted(snapshot.agents):
        agent = snapshot.agents[ext_no]
        state = "Disabled" if not agent.enabled else "Expired" if agent.expired else "Enabled"
        live = snapshot.agent_live.get(ext_no)
        if live is not None and agent.enabled and not agent.expired:
            state += f" · {_LIVE_WORDS.get(live.status, live.status)}"
        did = str(getattr(agent, "did_no", "") or (live.did_number if live else ""))
        rows.append((ext_no, agent.name or "—", state, _day(getattr(agent, "expiry_date", None)),
                     format_did(did) if did else "—"))
    return rows


def did_rows(snapshot: StatusSnapshot) -> list[tuple[str, ...]]:
    assigned: dict[str, set[str]] = {}
    for ext_no, agent in snapshot.agents.items():
        number = str(getattr(agent, "did_no", "") or "")
        if number:
            assigned.setdefault(did_key(number), set()).add(ext_no)
    for ext_no, live in snapshot.agent_live.items():
        if live.did_number:
            assigned.setdefault(did_key(live.did_number), set()).add(ext_no)
    rows: list[tuple[str, ...]] = []
    for key in sorted(snapshot.dids):
        did = snapshot.dids[key]
        did_live = snapshot.did_live.get(key)
        active = did_live.active if did_live is not None else did.active
        state = "Active" if active else "Inactive"
        if did_live is not None and active:
            calls = did_live.live_calls
            state += f" · {calls} live call{'s' if calls != 1 else ''}"
        agents = []
        for ext_no in sorted(assigned.get(key, ())):
            who = snapshot.agents.get(ext_no)
            agents.append(f"{ext_no} {who.name}" if who and who.name else ext_no)
        kind = str(getattr(did, "kind", "") or "")
        rows.append((format_did(did.number), str(getattr(did, "region", "") or "—"),
                     _KINDS.get(kind, kind.title() or "—"), state, ", ".join(agents) or "—"))
    return rows


def freshness(snapshot: StatusSnapshot, now: float) -> tuple[str, bool]:
    fetched = snapshot.fetched_at
    if snapshot.error:
        failed = (f" at {clock_time(snapshot.error_at)}" if snapshot.error_at is not None
                  else "")
        if fetched is None:
            return f"Could not load the lines{failed}: {snapshot.error}", True
        return (f"Could not refresh{failed}: {snapshot.error} Showing data from "
                f"{clock_time(fetched)} ({age(now - fetched)}).", True)
    if fetched is None:
        return "Loading the account's extensions and caller IDs…", False
    return f"Updated {clock_time(fetched)} ({age(now - fetched)}).", False


def panel_data(snapshot: StatusSnapshot, now: float) -> PanelData:
    text, stale = freshness(snapshot, now)
    return PanelData(extension_rows(snapshot), did_rows(snapshot), text, stale)
