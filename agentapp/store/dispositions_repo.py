"""Dispositions (issue 10): the status list cache, drafts saved as the agent types, the outbox.

The outbox is the durability promise: :func:`commit_disposition` marks the
draft done and queues the item in ONE transaction, so after any crash either
the draft is still open or the item is queued, never neither. Items leave in
``seq`` order; an unsent item for a call is replaced by a newer save of the
same call (``update_call_note`` sets the disposition, so the latest wins and a
repeated send is harmless: at-least-once is safe).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from agentapp.store.connection import tx

OutboxState = Literal["pending", "sent", "failed"]


@dataclass(frozen=True)
class StatusRow:
    id: int
    name: str


@dataclass(frozen=True)
class Draft:
    source: str
    record_id: str
    call_type: str  # the API's call_type for update_call_note
    status_id: int | None = None
    remark: str = ""
    sip_call_id: str = ""
    number: str = ""
    state: Literal["editing", "done"] = "editing"


@dataclass(frozen=True)
class OutboxItem:
    seq: int
    source: str
    record_id: str
    call_type: str
    status_id: int
    remark: str
    sip_call_id: str
    state: OutboxState
    attempts: int
    next_attempt_at: int
    reason: str


# Status list cache -------------------------------------------------------------


def replace_statuses(conn: sqlite3.Connection, statuses: Sequence[StatusRow], now: int) -> None:
    with tx(conn):
        conn.execute("DELETE FROM disposition_statuses")
        conn.executemany(
            "INSERT INTO disposition_statuses (id, name, position, fetched_at) VALUES (?,?,?,?)",
            [(s.id, s.name, i, now) for i, s in enumerate(statuses)],
        )


def cached_statuses(conn: sqlite3.Connection) -> list[StatusRow]:
    rows = conn.execute("SELECT id, name FROM disposition_statuses ORDER BY position")
    return [StatusRow(r[0], r[1]) for r in rows]


# Drafts ---------------------------------------------------------------------


def save_draft(conn: sqlite3.Connection, draft: Draft, now: int) -> None:
    """Create or update the open draft for a call (reopens a done one for editing)."""
    with tx(conn):
        conn.execute(
            "INSERT INTO disposition_drafts (source, record_id, call_type, sip_call_id, number,"
            " status_id, remark, state, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, 'editing', ?, ?)"
            " ON CONFLICT (source, record_id) DO UPDATE SET call_type = excluded.call_type,"
            " sip_call_id = excluded.sip_call_id, number = excluded.number,"
            " status_id = excluded.status_id, remark = excluded.remark, state = 'editing',"
            " updated_at = excluded.updated_at",
            (draft.source, draft.record_id, draft.call_type, draft.sip_call_id, draft.number,
             draft.status_id, draft.remark, now, now),
        )


def get_draft(conn: sqlite3.Connection, source: str, record_id: str) -> Draft | None:
    row = conn.execute(
        "SELECT * FROM disposition_drafts WHERE source = ? AND record_id = ?", (source, record_id)
    ).fetchone()
    return _draft(row) if row else None


def open_drafts(conn: sqlite3.Connection) -> list[Draft]:
    rows = conn.execute(
        "SELECT * FROM disposition_drafts WHERE state = 'editing' ORDER BY updated_at, rowid"
    )
    return [_draft(r) for r in rows]


def _draft(row: sqlite3.Row) -> Draft:
    return Draft(
        source=row["source"], record_id=row["record_id"], call_type=row["call_type"],
        status_id=row["status_id"], remark=row["remark"], sip_call_id=row["sip_call_id"],
        number=row["number"], state=row["state"],
    )


# Outbox ---------------------------------------------------------------------


def commit_disposition(conn: sqlite3.Connection, draft: Draft, now: int) -> int:
    """Mark the draft done and queue it, atomically; returns the outbox ``seq``."""
    if draft.status_id is None:
        raise ValueError("a disposition needs a status")
    with tx(conn):
        conn.execute(
            "INSERT INTO disposition_drafts (source, record_id, call_type, sip_call_id, number,"
            " status_id, remark, state, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, 'done', ?, ?)"
            " ON CONFLICT (source, record_id) DO UPDATE SET status_id = excluded.status_id,"
            " remark = excluded.remark, state = 'done', updated_at = excluded.updated_at",
            (draft.source, draft.record_id, draft.call_type, draft.sip_call_id, draft.number,
             draft.status_id, draft.remark, now, now),
        )
        # Replace any undelivered item for this call; the new one goes to the back.
        conn.execute(
            "DELETE FROM outbox WHERE source = ? AND record_id = ? AND state != 'sent'",
            (draft.source, draft.record_id),
        )
        cursor = conn.execute(
            "INSERT INTO outbox (source, record_id, call_type, sip_call_id, status_id, remark,"
            " state, attempts, next_attempt_at, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)",
            (draft.source, draft.record_id, draft.call_type, draft.sip_call_id, draft.status_id,
             draft.remark, now, now),
        )
        seq = cursor.lastrowid
    assert seq is not None
    return seq


def next_due(conn: sqlite3.Connection, now: int) -> OutboxItem | None:
    """The oldest pending item, if it is due (in-order delivery: never skip ahead)."""
    row = conn.execute(
        "SELECT * FROM outbox WHERE state = 'pending' ORDER BY seq LIMIT 1"
    ).fetchone()
    if row is None or row["next_attempt_at"] > now:
        return None
    return _item(row)


def mark_sent(conn: sqlite3.Connection, seq: int, now: int) -> None:
    with tx(conn):
        conn.execute(
            "UPDATE outbox SET state = 'sent', sent_at = ?, attempts = attempts + 1, reason = ''"
            " WHERE seq = ?",
            (now, seq),
        )


def mark_retry(conn: sqlite3.Connection, seq: int, next_attempt_at: int, reason: str) -> None:
    with tx(conn):
        conn.execute(
            "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, reason = ?"
            " WHERE seq = ? AND state = 'pending'",
            (next_attempt_at, reason, seq),
        )


def mark_failed(conn: sqlite3.Connection, seq: int, reason: str) -> None:
    """A permanent failure (validation error): shown to the agent, never dropped."""
    with tx(conn):
        conn.execute(
            "UPDATE outbox SET state = 'failed', attempts = attempts + 1, reason = ?"
            " WHERE seq = ?",
            (reason, seq),
        )


def outbox_items(conn: sqlite3.Connection, states: Sequence[OutboxState]) -> list[OutboxItem]:
    marks = ", ".join("?" * len(states))
    rows = conn.execute(f"SELECT * FROM outbox WHERE state IN ({marks}) ORDER BY seq", states)
    return [_item(r) for r in rows]


def outbox_counts(conn: sqlite3.Connection) -> dict[str, int]:
    counts = {"pending": 0, "sent": 0, "failed": 0}
    for state, n in conn.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state"):
        counts[state] = n
    return counts


def _item(row: sqlite3.Row) -> OutboxItem:
    return OutboxItem(
        seq=row["seq"], source=row["source"], record_id=row["record_id"],
        call_type=row["call_type"], status_id=row["status_id"], remark=row["remark"],
        sip_call_id=row["sip_call_id"], state=row["state"], attempts=row["attempts"],
        next_attempt_at=row["next_attempt_at"], reason=row["reason"],
    )


# Delivery bookkeeping and per-call state (issue 10) -------------------------------
#
# In-order delivery means at most one item is on the wire at a time; its seq is
# kept in ``sync_state`` from just before the request until the answer is
# recorded (same transaction). An item found "in flight" at the next attempt
# (the app was killed mid-request, or the answer was lost) is checked against
# the server's log before it is sent again.

IN_FLIGHT_KEY = "dispositions.in_flight"
RecordState = Literal["none", "draft", "pending", "sent", "failed"]


def begin_attempt(conn: sqlite3.Connection, seq: int, now: int) -> None:
    with tx(conn):
        _set_in_flight(conn, str(seq), now)


def in_flight(conn: sqlite3.Connection) -> int | None:
    row = conn.execute("SELECT value FROM sync_state WHERE key = ?", (IN_FLIGHT_KEY,)).fetchone()
    return int(row[0]) if row and row[0].isdigit() else None


def finish_sent(conn: sqlite3.Connection, seq: int, now: int) -> None:
    """Sent (or found applied on the server): recorded and the in-flight mark cleared."""
    with tx(conn):
        conn.execute(
            "UPDATE outbox SET state = 'sent', sent_at = ?, attempts = attempts + 1, reason = ''"
            " WHERE seq = ?", (now, seq))
        _set_in_flight(conn, "", now)


def finish_retry(conn: sqlite3.Connection, seq: int, next_attempt_at: int, reason: str,
                 *, maybe_applied: bool, now: int) -> None:
    """Try again later; ``maybe_applied`` keeps the in-flight mark (verify before resending)."""
    with tx(conn):
        conn.execute(
            "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, reason = ?"
            " WHERE seq = ? AND state = 'pending'", (next_attempt_at, reason, seq))
        if not maybe_applied:
            _set_in_flight(conn, "", now)


def finish_failed(conn: sqlite3.Connection, seq: int, reason: str, now: int) -> None:
    with tx(conn):
        conn.execute(
            "UPDATE outbox SET state = 'failed', attempts = attempts + 1, reason = ?"
            " WHERE seq = ?", (reason, seq))
        _set_in_flight(conn, "", now)


def head_pending(conn: sqlite3.Connection) -> OutboxItem | None:
    """The oldest pending item, due or not (when to wake up next)."""
    row = conn.execute(
        "SELECT * FROM outbox WHERE state = 'pending' ORDER BY seq LIMIT 1").fetchone()
    return _item(row) if row else None


def record_state(conn: sqlite3.Connection, source: str, record_id: str
                 ) -> tuple[RecordState, str]:
    """(state, reason) of one call: a draft being edited wins over its older outbox item."""
    draft = conn.execute(
        "SELECT state FROM disposition_drafts WHERE source = ? AND record_id = ?",
        (source, record_id)).fetchone()
    if draft is not None and draft[0] == "editing":
        return "draft", ""
    row = conn.execute(
        "SELECT state, reason FROM outbox WHERE source = ? AND record_id = ?"
        " ORDER BY seq DESC LIMIT 1", (source, record_id)).fetchone()
    if row is not None:
        return row[0], row[1]
    return "none", ""


def record_states(conn: sqlite3.Connection, keys: Sequence[tuple[str, str]]
                  ) -> dict[tuple[str, str], tuple[RecordState, str]]:
    return {key: record_state(conn, *key) for key in keys}


def _set_in_flight(conn: sqlite3.Connection, value: str, now: int) -> None:
    conn.execute(
        "INSERT INTO sync_state (key, value, updated_at) VALUES (?, ?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
        " updated_at = excluded.updated_at", (IN_FLIGHT_KEY, value, now))


def make_due(conn: sqlite3.Connection, now: int) -> int:
    """Every pending item due now (at start: a restart is a fresh try); returns how many."""
    with tx(conn):
        cursor = conn.execute(
            "UPDATE outbox SET next_attempt_at = ? WHERE state = 'pending' AND next_attempt_at > ?",
            (now, now))
    return cursor.rowcount


def local_states(conn: sqlite3.Connection) -> dict[tuple[str, str], tuple[RecordState, str]]:
    """Every call with a local disposition state (drafts, queued, sent, failed), for lists."""
    states: dict[tuple[str, str], tuple[RecordState, str]] = {}
    rows = conn.execute("SELECT source, record_id, state, reason FROM outbox ORDER BY seq")
    for source, record_id, state, reason in rows:
        states[(source, record_id)] = (state, reason)  # the latest item wins
    for source, record_id in conn.execute(
            "SELECT source, record_id FROM disposition_drafts WHERE state = 'editing'"):
        states[(source, record_id)] = ("draft", "")
    return states
