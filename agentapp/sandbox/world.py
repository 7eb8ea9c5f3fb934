"""The simulated account's data: agents, DIDs, contacts, logs, dialers, in memory.

Records keep ids as ints and times as IST strings; :mod:`.records` turns them into
the wire shapes. Id ranges per category are disjoint so a ``logid`` names one call.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date

CALL_LOG_BASE = 1_000_000
C2C_BASE = 5_000_000
DIALER_LOG_BASE = 8_000_000
CLICK_CONNECT_BASE = 9_000_000

DISPOSITIONS: tuple[tuple[int, str], ...] = (
    (1, "Interested"),
    (2, "Not Interested"),
    (3, "Call Back Later"),
    (4, "Wrong Number"),
    (5, "DND"),
    (6, "Converted"),
    (7, "Follow Up Required"),
)


@dataclass(slots=True)
class Agent:
    agent_id: int
    name: str
    email: str
    phone: str
    ext_no: str
    enabled: bool
    expiry_date: date
    did_no: str
    answers: bool = True  # False: the agent's phone rings out (ext 2105)

    def usable_on(self, today: date) -> bool:
        return self.enabled and self.expiry_date >= today


@dataclass(slots=True)
class Did:
    number: str
    region: str
    kind: str  # landline | tollfree
    active: bool


@dataclass(slots=True)
class Contact:
    id: int
    name: str
    number: str
    country_code: str = "+91"
    email: str = ""
    company: str = ""


@dataclass(slots=True)
class CallLog:
    recordid: int
    did_no: str
    client_no: str
    agent_no: str
    attended_by: str
    ext_no: str
    call_time: str
    call_duration: int
    call_status: str  # answered | missed | busy | no_answer
    call_type: str  # incoming | outgoing
    has_recording: bool
    dtmf_input: str = ""
    outgoing_ext: str = ""
    note: str = ""
    disposition: str = ""


@dataclass(slots=True)
class C2CLog:
    recordid: int
    did_no: str
    agent_no: str
    client_no: str
    agent_name: str
    ext_no: str
    call_time: str
    call_duration: int
    call_status: str
    has_recording: bool
    agent_attended: bool
    customer_attended: bool
    note: str = ""
    disposition: str = ""


@dataclass(slots=True)
class DialerLog:
    id: int
    dialer_id: int
    dialer_name: str
    customer_no: str
    call_time: str
    call_duration: int
    call_status: str
    dtmf_input: str
    attempts: int
    note: str = ""
    disposition: str = ""


@dataclass(slots=True)
class ClickConnectLog:
    logid: int
    did_no: str
    first_number: str
    second_number: str
    call_time: str
    call_duration: int
    call_status: str


@dataclass(slots=True)
class Dialer:
    id: int
    name: str
    did_no: str
    status: str
    start_time: str
    end_time: str
    no_of_calls: int
    numbers: list[str] = field(default_factory=list)
    completed: int = 0


@dataclass
class World:
    account: dict[str, str]
    agents: dict[str, Agent]
    dids: dict[str, Did]
    contacts: list[Contact]
    call_logs: list[CallLog] = field(default_factory=list)
    c2c_logs: list[C2CLog] = field(default_factory=list)
    dialer_logs: list[DialerLog] = field(default_factory=list)
    click_connect_logs: list[ClickConnectLog] = field(default_factory=list)
    dialers: dict[int, Dialer] = field(default_factory=dict)
    id_offset: int = 0  # new ids start at least this far above their base (SandboxConfig)
    contacts_by_number: dict[str, Contact] = field(default_factory=dict)
    _call_log_index: dict[int, CallLog] = field(default_factory=dict)
    _c2c_index: dict[int, C2CLog] = field(default_factory=dict)
    _dialer_index: dict[int, DialerLog] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.contacts_by_number = {c.number: c for c in self.contacts}
        self._call_log_index = {r.recordid: r for r in self.call_logs}
        self._c2c_index = {r.recordid: r for r in self.c2c_logs}
        self._dialer_index = {r.id: r for r in self.dialer_logs}

    # ids --------------------------------------------------------------
    def next_call_log_id(self) -> int:
        last = self.call_logs[-1].recordid if self.call_logs else CALL_LOG_BASE
        return max(last, CALL_LOG_BASE + self.id_offset) + 1

    def next_c2c_id(self) -> int:
        last = self.c2c_logs[-1].recordid if self.c2c_logs else C2C_BASE
        return max(last, C2C_BASE + self.id_offset) + 1

    def next_dialer_log_id(self) -> int:
        last = self.dialer_logs[-1].id if self.dialer_logs else DIALER_LOG_BASE
        return max(last, DIALER_LOG_BASE + self.id_offset) + 1

    def next_dialer_id(self) -> int:
        return max(self.dialers, default=100) + 1

    # appends keep id order (all_call_logs cursors rely on it) --------
    def add_call_log(self, record: CallLog) -> None:
        bisect.insort(self.call_logs, record, key=lambda r: r.recordid)
        self._call_log_index[record.recordid] = record

    def add_c2c_log(self, record: C2CLog) -> None:
        bisect.insort(self.c2c_logs, record, key=lambda r: r.recordid)
        self._c2c_index[record.recordid] = record

    def add_dialer_log(self, record: DialerLog) -> None:
        bisect.insort(self.dialer_logs, record, key=lambda r: r.id)
        self._dialer_index[record.id] = record

    def add_click_connect_log(self, record: ClickConnectLog) -> None:
        bisect.insort(self.click_connect_logs, record, key=lambda r: r.logid)

    def add_contact(self, name: str, number: str, country_code: str) -> Contact:
        existing = self.contacts_by_number.get(number)
        if existing is not None:
            existing.name = name
            return existing
        contact = Contact(len(self.contacts) + 1, name, number, country_code)
        self.contacts.append(contact)
        self.contacts_by_number[number] = contact
        return contact

    # look-ups ---------------------------------------------------------
    def call_log(self, recordid: int) -> CallLog | None:
        return self._call_log_index.get(recordid)

    def c2c_log(self, recordid: int) -> C2CLog | None:
        return self._c2c_index.get(recordid)

    def dialer_log(self, recordid: int) -> DialerLog | None:
        return self._dialer_index.get(recordid)

    def agent_by_ext(self, ext_no: str) -> Agent | None:
        return self.agents.get(ext_no.strip())
