"""The tray icon's state in words: what the agent sees on hover and a screen reader reads."""

from __future__ import annotations

from collections.abc import Iterable

from agentapp.core.call import CallTimeline, Phase
from agentapp.services.connectivity import ConnState

_CONNECTION_WORDS = {
    ConnState.CHECKING: "Connecting…",
    ConnState.ONLINE: "Online",
    ConnState.DEGRADED: "Online, connection unsteady",
    ConnState.OFFLINE: "Offline",
    ConnState.SIGNED_OUT: "Signed out: sign in again",
}


def tray_state(signed_in: bool, conn: ConnState, live: Iterable[CallTimeline]) -> str:
    """A call beats the connection (the agent cares about the call first)."""
    phases = [t.phase for t in live if t.is_live]
    if Phase.CONNECTED in phases:
        return "On a call"
    if any(p in (Phase.RINGING_AGENT, Phase.RINGING_CUSTOMER) for p in phases):
        return "Ringing"
    if phases:
        return "Placing a call"
    if not signed_in:
        return "Not signed in"
    return _CONNECTION_WORDS[conn]
