"""One simulated call's state and the JSON shapes derived from it.

Shapes follow docs/wire-contract.md: live state (``get_call_status?logid=``),
webhook live events and the post-call record (all strings, no ``event`` field).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# hangup cause -> call_status as logs and live state show it
CAUSE_TO_STATUS = {
    "completed": "answered", "busy": "busy", "no_answer": "no_answer", "failed": "failed",
    "agent_no_answer": "agent_no_answer", "agent_failed": "agent_failed",
    "cancelled": "cancelled", "agent_busy": "agent_busy",
}
# kind -> call_type in webhooks and live state; "outgoing" = API one-shots
# (dial_by_text/flow/voicebot), "dialer" = campaign calls
WEBHOOK_CALL_TYPE = {"c2c": "c2c", "inbound": "incoming", "click_connect": "click_connect",
                     "outgoing": "outgoing", "dialer": "dialer"}


@dataclass
class LiveCall:
    id: int
    kind: str  # c2c | inbound | click_connect | outgoing | dialer
    did_no: str
    ext_no: str
    agent_no: str  # agent's phone (click_connect: the first party)
    client_no: str  # customer (click_connect: the second party)
    call_time: str
    # scheduled | ringing_agent | ringing_customer | connected | ended
    state: str = "ringing_agent"
    agent_status: str = ""
    customer_status: str = ""
    call_status: str = ""
    outcome: str = ""  # hangup cause once ended
    call_duration: int = 0
    answered_at: str = ""
    ended_at: str = ""
    seq: int = 0
    source: str = ""  # the endpoint that placed an outgoing/dialer call (dial_by_text, …)
    dialer_id: int = 0
    dtmf: str = ""

    @property
    def live(self) -> bool:
        return self.state != "ended"

    def status_dict(self) -> dict[str, Any]:
        """``GET get_call_status?logid=`` data."""
        return {
            "logid": str(self.id), "recordid": str(self.id),
            "call_type": WEBHOOK_CALL_TYPE.get(self.kind, self.kind),
            "state": self.state, "agent_status": self.agent_status,
            "customer_status": self.customer_status, "call_status": self.call_status,
            "call_duration": str(self.call_duration), "call_time": self.call_time,
            "answered_at": self.answered_at, "ended_at": self.ended_at,
            "did_no": self.did_no, "ext_no": self.ext_no, "agent_no": self.agent_no,
            "client_no": self.client_no,
        }

    @property
    def agent_leg(self) -> bool:
        """Whether an agent (or click-connect first party) is a leg of this call."""
        return self.kind in ("c2c", "inbound", "click_connect")

    def control_dict(self) -> dict[str, Any]:
        """``GET /_sandbox/calls`` row."""
        return {
            "id": str(self.id), "kind": self.kind, "from": self._from(),
            "to": self.client_no if self.kind != "inbound" else self.agent_no,
            "extension": self.ext_no, "did": self.did_no, "state": self.state,
            "outcome": self.outcome, "call_status": self.call_status,
            "started_at": self.call_time, "answered_at": self.answered_at,
            "ended_at": self.ended_at, "call_duration": self.call_duration,
            "source": self.source or self.kind,
        }

    def _from(self) -> str:
        if self.kind == "inbound":
            return self.client_no
        return self.agent_no if self.agent_leg else self.did_no

    def event(self, name: str, leg: str, timestamp: str, **extra: str) -> dict[str, Any]:
        """A live webhook event; ``seq`` counts this call's events from 1."""
        self.seq += 1
        payload: dict[str, Any] = {
            "event": name, "event_id": f"{self.id}-{self.seq}", "seq": self.seq,
            "logid": str(self.id), "recordid": str(self.id),
            "call_type": WEBHOOK_CALL_TYPE[self.kind], "leg": leg, "did_no": self.did_no,
            "ext_no": self.ext_no, "agent_no": self.agent_no, "client_no": self.client_no,
            "timestamp": timestamp,
        }
        payload.update(extra)
        return payload

    def post_call_record(self, recording_url: str) -> dict[str, str]:
        """The CDR-style record sent once the call has ended (no ``event`` field)."""
        agent_ok = self.agent_status == "answered"
        customer_ok = self.customer_status == "answered"
        return {
            "recordid": str(self.id), "did_no": self.did_no,
            "call_type": WEBHOOK_CALL_TYPE[self.kind], "client_no": self.client_no,
            "agent_no": self.agent_no, "attended_by": "0" + self.agent_no if agent_ok else "",
            "ext_no": self.ext_no, "agent_attended": "1" if agent_ok else "0",
            "customer_attended": "1" if customer_ok else "0",
            "call_duration": str(self.call_duration), "call_time": self.call_time,
            "recording_url": recording_url, "call_status": self.call_status,
        }
