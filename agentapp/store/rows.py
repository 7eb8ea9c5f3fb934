"""What the store holds, as plain frozen rows (the store does not import the API layer).

Numbers are keyed by E.164 so ``09876543210``, ``+919876543210`` and
``9876543210`` are one contact; :func:`number_key` is the one place that
decides the key.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Literal

from agentapp.core.phone import InvalidNumber, parse_number

Source = Literal["call", "c2c", "dialer", "masked"]
Kind = Literal["incoming", "outgoing", "c2c", "dialer", "masked"]
SOURCES: tuple[Source, ...] = ("call", "c2c", "dialer", "masked")
KINDS: tuple[Kind, ...] = ("incoming", "outgoing", "c2c", "dialer", "masked")

# Outcome words that mean the customer and agent spoke. The sandbox and the
# reference use "answered"; the others are guesses at the live API's variants.
_ANSWERED_WORDS = frozenset({"answered", "answer", "connected", "completed", "success"})


@lru_cache(maxsize=32_768)
def number_key(raw: str) -> str:
    """E.164 for any form of a valid number; ``""`` when it is not one (kept raw beside).

    Cached: a sync sees the same customers again and again, and parsing costs
    ~50-100 µs of pure Python on the UI thread each time. 32,768 entries (a few
    MB at most): the bench's 100,000 calls have 20,000 distinct numbers, which
    8,192 entries could not hold, so the hourly re-read of the whole click-to-call
    and dialer logs parsed most of them again.
    """
    try:
        return parse_number(raw).e164
    except InvalidNumber:
        return ""


def is_answered(outcome: str) -> bool:
    return outcome.strip().lower() in _ANSWERED_WORDS


@dataclass(frozen=True, slots=True)
class CallRow:
    """One call of any kind, unique by ``(source, record_id)``.

    ``source`` is the server's id namespace (the call log holds incoming and
    outgoing calls under one id sequence; click-to-call, dialer and masked
    calls each have their own), ``kind`` what the agent sees.
    """

    source: Source
    record_id: str
    kind: Kind
    direction: Literal["inbound", "outbound"]
    number: str  # E.164, "" when number_raw is not a valid number
    number_raw: str
    started_at: int  # UTC epoch seconds
    did: str = ""
    ext_no: str = ""
    agent_no: str = ""
    agent_name: str = ""
    dtmf: str = ""
    outcome: str = ""
    duration_s: int = 0
    recording_url: str = ""
    remark: str = ""
    disposition: str = ""
    sip_call_id: str = ""
    campaign: str = ""

    @property
    def answered(self) -> bool:
        return is_answered(self.outcome)


CALL_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(CallRow))


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """A stored call with the contact's name joined in (for views)."""

    call: CallRow
    name: str = ""
    company: str = ""


@dataclass(frozen=True)
class ContactRow:
    number: str  # E.164
    name: str
    company: str = ""
    email: str = ""
    remote_id: str = ""


def call_from_sql(row: sqlite3.Row) -> CallRow:
    return CallRow(**{name: row[name] for name in CALL_COLUMNS})


def contact_from_sql(row: sqlite3.Row) -> ContactRow:
    return ContactRow(
        number=row["number"],
        name=row["name"],
        company=row["company"],
        email=row["email"],
        remote_id=row["remote_id"],
    )
