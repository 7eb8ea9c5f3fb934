"""Typed results of the API client: frozen, Qt-free, already normalised.

Numbers stay as the server sent them (``core.phone`` formats for display);
ids are strings; times are IST-aware datetimes; ``call_type`` uses the
provider's own words (``incoming``/``outgoing``/``c2c``/``dialer``).
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

Category = Literal["call", "c2c", "dialer"]
Direction = Literal["inbound", "outbound"]
CATEGORIES: tuple[Category, ...] = ("call", "c2c", "dialer")


@dataclass(frozen=True)
class AccountInfo:
    message: str
    account_id: str = ""
    company: str = ""
    email: str = ""


@dataclass(frozen=True)
class CallStarted:
    logid: str
    message: str
    recordid: str = ""


@dataclass(frozen=True)
class LiveCallState:
    logid: str
    state: str  # ringing_agent | ringing_customer | connected | ended
    agent_status: str
    customer_status: str
    call_status: str  # "" while live, then the outcome
    call_duration: int
    call_type: str
    did_no: str
    ext_no: str
    client_no: str
    agent_no: str = ""
    recordid: str = ""
    call_time: datetime | None = None
    answered_at: datetime | None = None
    ended_at: datetime | None = None

    @property
    def ended(self) -> bool:
        return self.state == "ended"


@dataclass(frozen=True)
class DispositionStatus:
    id: int
    name: str


@dataclass(frozen=True)
class CallRecord:
    """One call from any log (``call_logs``, c2c, dialer), in one shape."""

    category: Category
    recordid: str
    direction: Direction
    customer_number: str
    did_no: str
    ext_no: str
    agent_no: str
    agent_name: str
    call_time: datetime
    duration_s: int
    status: str
    call_type: str
    recording_url: str = ""
    dtmf: str = ""
    note: str = ""
    disposition: str = ""
    sip_call_id: str = ""
    dialer_name: str = ""

    @property
    def key(self) -> str:
        """Dedupe key: record ids are per category (``c2c-<id>``, ``dialer-<id>``)."""
        return self.recordid if self.category == "call" else f"{self.category}-{self.recordid}"


@dataclass(frozen=True)
class SyncCursors:
    """Last seen ``recordid`` per category; ``""`` means from the start."""

    call: str = ""
    c2c: str = ""
    dialer: str = ""


@dataclass(frozen=True)
class SyncBatch:
    calls: list[CallRecord]
    c2c: list[CallRecord]
    dialer: list[CallRecord]
    cursors: SyncCursors
    # Categories that hit the server's 20-record cap: poll again at once.
    saturated: Set[str] = field(default_factory=frozenset)

    @property
    def records(self) -> list[CallRecord]:
        return [*self.calls, *self.c2c, *self.dialer]


@dataclass(frozen=True)
class Contact:
    id: str
    name: str
    number: str
    country_code: str = "+91"
    email: str = ""
    company: str = ""


@dataclass(frozen=True)
class CallerDetails:
    caller_number: str
    name: str
    total_calls: int
    last_call_time: datetime | None
    last_call_status: str
    last_disposition: str


@dataclass(frozen=True)
class Agent:
    ext_no: str
    name: str
    phone: str
    enabled: bool
    expired: bool
    expiry_date: date | None
    did_no: str
    agent_id: str = ""
    email: str = ""


@dataclass(frozen=True)
class Extension:
    ext_no: str
    name: str


@dataclass(frozen=True)
class ExtensionDetails:
    ext_no: str
    name: str
    phone: str
    email: str
    enabled: bool
    expired: bool
    expiry_date: date | None
    did_no: str
    call_forwarding: bool
    connection: bool


@dataclass(frozen=True)
class Did:
    number: str
    region: str
    active: bool
    kind: str  # landline | tollfree | "" when the server only listed numbers


@dataclass(frozen=True)
class DidLiveStatus:
    number: str
    active: bool
    live_calls: int


@dataclass(frozen=True)
class AgentLiveStatus:
    ext_no: str
    name: str
    did_number: str
    status: str  # available | on_call | offline


@dataclass(frozen=True)
class ClickConnectStarted:
    logid: str
    message: str
    masked_did: str = ""


@dataclass(frozen=True)
class ClickConnectLog:
    recordid: str
    did_no: str
    first_phone: str
    second_phone: str
    call_time: datetime | None
    duration_s: int
    status: str
