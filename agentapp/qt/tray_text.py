"""The tray's state: in words (what the agent sees on hover and a screen reader reads)
and as the icon's look (``ui.tray_icons``), decided together so they never disagree."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from agentapp.core.call import CallTimeline, Phase
from agentapp.services.connectivity import ConnState
from agentapp.ui.tray_icons import TrayLook

_CONNECTION_WORDS = {
    ConnState.CHECKING: "Connecting…",
    ConnState.ONLINE: "Online",
    ConnState.DEGRADED: "Online, connection unsteady",
    ConnState.OFFLINE: "Offline",
    ConnState.SIGNED_OUT: "Signed out: sign in again",
}
PAUSED_WORDS = "Pop-ups paused"
PENDING_WORDS = "dispositions to send"


@dataclass(frozen=True)
class TrayState:
    words: str
    look: TrayLook


def tray_state(signed_in: bool, conn: ConnState, live: Iterable[CallTimeline]) -> str:
    """A call beats the connection (the agent cares about the call first)."""
    return _call_or_connection(signed_in, conn, live).words


def _call_or_connection(signed_in: bool, conn: ConnState,
                        live: Iterable[CallTimeline]) -> TrayState:
    phases = [t.phase for t in live if t.is_live]
    if Phase.CONNECTED in phases:
        return TrayState("On a call", TrayLook.ON_CALL)
    if any(p in (Phase.RINGING_AGENT, Phase.RINGING_CUSTOMER) for p in phases):
        return TrayState("Ringing", TrayLook.RINGING)
    if phases:
        return TrayState("Placing a call", TrayLook.RINGING)
    if not signed_in:
        return TrayState("Not signed in", TrayLook.OFFLINE)
    online = conn in (ConnState.ONLINE, ConnState.DEGRADED)
    return TrayState(_CONNECTION_WORDS[conn], TrayLook.ONLINE if online else TrayLook.OFFLINE)


def tray_look(signed_in: bool, conn: ConnState, live: Iterable[CallTimeline], *,
              unsent: int = 0, pops_paused: bool = False) -> TrayState:
    """The whole state: a call, else the connection; dispositions not on the server
    yet mark an otherwise idle online tray; paused pop-ups are always said."""
    state = _call_or_connection(signed_in, conn, live)
    if unsent and state.look is TrayLook.ONLINE:
        state = TrayState(f"{state.words} · {PENDING_WORDS}", TrayLook.PENDING)
    if pops_paused:
        state = TrayState(f"{state.words} · {PAUSED_WORDS}", state.look)
    return state
