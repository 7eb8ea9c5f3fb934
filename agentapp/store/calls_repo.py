"""Calls: upsert from any log, and the per-number, per-date and paged queries views need.

Functions take a connection so they run on whichever worker thread owns it;
:mod:`agentapp.store.store` gives them their async face.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter

from agentapp.store.connection import tx
from agentapp.store.rows import (
    CALL_COLUMNS,
    CallRow,
    HistoryRow,
    Kind,
    call_from_sql,
    is_answered,
)
from agentapp.store.sync_state import write_state

# Server values that may arrive empty from one endpoint and filled from another
# (a dialer sync row has no recording URL, the dialer log has): keep what we know.
_KEEP_IF_EMPTY = frozenset(
    {"recording_url", "dtmf", "remark", "disposition", "sip_call_id", "agent_name", "campaign",
     "did", "ext_no", "agent_no"}
)
_KEY = ("source", "record_id")


def _upsert_sql() -> str:
    names = [*CALL_COLUMNS, "answered", "first_seen_at", "updated_at"]
    updates = []
    differs = []
    for name in [*CALL_COLUMNS, "answered", "updated_at"]:
        if name in _KEY:
            continue
        if name in _KEEP_IF_EMPTY:
            updates.append(f"{name} = COALESCE(NULLIF(excluded.{name}, ''), calls.{name})")
            differs.append(f"(excluded.{name} != '' AND excluded.{name} IS NOT calls.{name})")
        else:
            updates.append(f"{name} = excluded.{name}")
            if name != "updated_at":
                differs.append(f"excluded.{name} IS NOT calls.{name}")
    placeholders = ", ".join("?" for _ in names)  # positional: rows bind as plain tuples
    # The WHERE makes an unchanged row a no-op, so sqlite's change count says how
    # many rows were new or really changed (views reload only then).
    return (
        f"INSERT INTO calls ({', '.join(names)}) VALUES ({placeholders}) "
        f"ON CONFLICT (source, record_id) DO UPDATE SET {', '.join(updates)} "
        f"WHERE {' OR '.join(differs)}"
    )


_UPSERT = _upsert_sql()
_FIELDS = attrgetter(*CALL_COLUMNS)  # one C call per row, in CALL_COLUMNS order


@dataclass(frozen=True)
class UpsertResult:
    new: int  # calls not stored before
    changed: int  # stored calls whose values changed (a late-ending call, a remark)


def upsert_calls(
    conn: sqlite3.Connection,
    calls: Iterable[CallRow],
    now: int,
    state: Mapping[str, str] | None = None,
) -> int:
    """Insert or refresh calls in one transaction; returns how many were new."""
    return upsert_calls_counted(conn, calls, now, state).new


def upsert_calls_counted(
    conn: sqlite3.Connection,
    calls: Iterable[CallRow],
    now: int,
    state: Mapping[str, str] | None = None,
) -> UpsertResult:
    """Insert or refresh calls in one transaction, counting new and changed rows.

    ``state`` (sync cursors) is written in the same transaction, so a cursor
    never gets ahead of the calls it covers. One ``executemany`` (not a query
    per row): a sync writes 100,000 rows, and Python work on this thread takes
    the GIL from the UI thread.
    """
    def values(call: CallRow) -> tuple[object, ...]:
        return (*_FIELDS(call), int(is_answered(call.outcome)), now, now)

    with tx(conn):
        # New rows get ids above today's largest (INTEGER PRIMARY KEY), so counting
        # ids above it after the insert counts exactly the new calls.
        top: int = conn.execute("SELECT COALESCE(MAX(id), 0) FROM calls").fetchone()[0]
        before = conn.total_changes
        conn.executemany(_UPSERT, (values(c) for c in calls))
        touched = conn.total_changes - before
        new: int = conn.execute("SELECT COUNT(*) FROM calls WHERE id > ?", (top,)).fetchone()[0]
        if state:
            write_state(conn, state, now)
    return UpsertResult(new=new, changed=touched - new)


def get_call(conn: sqlite3.Connection, source: str, record_id: str) -> CallRow | None:
    row = conn.execute(
        "SELECT * FROM calls WHERE source = ? AND record_id = ?", (source, record_id)
    ).fetchone()
    return call_from_sql(row) if row else None


def calls_for_number(conn: sqlite3.Connection, number: str, limit: int = 50) -> list[CallRow]:
    """A contact's calls, newest first (``number`` is E.164; uses calls_by_number)."""
    rows = conn.execute(
        "SELECT * FROM calls WHERE number = ? ORDER BY started_at DESC, id DESC LIMIT ?",
        (number, limit),
    )
    return [call_from_sql(r) for r in rows]


def calls_between(
    conn: sqlite3.Connection, start: int, end: int, source: str | None = None
) -> list[CallRow]:
    """Calls with ``start <= started_at < end``, newest first."""
    sql = "SELECT * FROM calls WHERE started_at >= ? AND started_at < ?"
    params: list[object] = [start, end]
    if source is not None:
        sql += " AND source = ?"
        params.append(source)
    rows = conn.execute(sql + " ORDER BY started_at DESC, id DESC", params)
    return [call_from_sql(r) for r in rows]


def count_calls(conn: sqlite3.Connection) -> int:
    count: int = conn.execute("SELECT COUNT(*) FROM calls").fetchone()[0]
    return count


@dataclass(frozen=True)
class HistoryFilter:
    """What the history view asks for; empty fields do not filter."""

    kinds: frozenset[Kind] = frozenset()
    answered: bool | None = None
    start: int | None = None  # UTC epoch seconds, inclusive
    end: int | None = None  # exclusive
    did: str = ""
    text: str = ""  # digits match the number, anything else the contact's name/company
    number: str = ""  # E.164: one contact's history
    ext_no: str = ""  # one agent's calls (the main window's Recent calls)


SORT_COLUMNS = {
    "time": "c.started_at",
    "number": "c.number_raw",
    "name": "ct.name",
    "kind": "c.kind",
    "outcome": "c.outcome",
    "duration": "c.duration_s",
    "did": "c.did",
}


@dataclass(frozen=True)
class HistoryQuery:
    filter: HistoryFilter = field(default_factory=HistoryFilter)
    sort: str = "time"
    descending: bool = True
    limit: int | None = None  # only the first rows (Recent calls: the latest 50)


def _where(f: HistoryFilter) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if f.kinds:
        kinds = sorted(f.kinds)
        clauses.append(f"c.kind IN ({', '.join('?' * len(kinds))})")
        params.extend(kinds)
    if f.answered is not None:
        clauses.append("c.answered = ?")
        params.append(int(f.answered))
    if f.start is not None:
        clauses.append("c.started_at >= ?")
        params.append(f.start)
    if f.end is not None:
        clauses.append("c.started_at < ?")
        params.append(f.end)
    if f.did:
        clauses.append("c.did = ?")
        params.append(f.did)
    if f.number:
        clauses.append("c.number = ?")
        params.append(f.number)
    if f.ext_no:
        clauses.append("c.ext_no = ?")
        params.append(f.ext_no)
    text = f.text.strip()
    if text:
        digits = "".join(ch for ch in text if ch.isdigit())
        if digits and len(digits) == len(text.replace(" ", "").lstrip("+")):
            clauses.append("(c.number LIKE ? OR c.number_raw LIKE ?)")
            params.extend([f"%{digits}%"] * 2)
        else:
            like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            clauses.append("(ct.name LIKE ? ESCAPE '\\' OR ct.company LIKE ? ESCAPE '\\')")
            params.extend([like, like])
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


_FROM = "FROM calls c LEFT JOIN contacts ct ON ct.number = c.number AND c.number != ''"


def count_history(conn: sqlite3.Connection, f: HistoryFilter, limit: int | None = None) -> int:
    """How many calls match (at most ``limit``: then sqlite stops counting there)."""
    where, params = _where(f)
    if limit is None:
        sql = f"SELECT COUNT(*) {_FROM}{where}"
    else:
        sql = f"SELECT COUNT(*) FROM (SELECT 1 {_FROM}{where} LIMIT ?)"
        params = [*params, limit]
    count: int = conn.execute(sql, params).fetchone()[0]
    return count


def history_page(
    conn: sqlite3.Connection, query: HistoryQuery, offset: int, limit: int
) -> list[HistoryRow]:
    """Rows ``offset .. offset+limit`` of the filtered, sorted history (stable order)."""
    if query.limit is not None:
        limit = max(0, min(limit, query.limit - offset))
    where, params = _where(query.filter)
    column = SORT_COLUMNS.get(query.sort, SORT_COLUMNS["time"])
    order = "DESC" if query.descending else "ASC"
    sql = (
        f"SELECT c.*, COALESCE(ct.name, '') AS contact_name, "
        f"COALESCE(ct.company, '') AS contact_company {_FROM}{where} "
        f"ORDER BY {column} {order}, c.started_at {order}, c.id {order} LIMIT ? OFFSET ?"
    )
    rows = conn.execute(sql, [*params, limit, offset])
    return [
        HistoryRow(call_from_sql(r), name=r["contact_name"], company=r["contact_company"])
        for r in rows
    ]


@dataclass(frozen=True)
class DaySummary:
    made: int
    received: int
    answered: int
    talk_time_s: int
    pending: int = 0  # answered calls with no disposition yet, here or on the server


# An answered call still waits for a disposition while the server has none for it and
# this computer has neither queued/sent one (outbox) nor finished one (draft done).
# Masked calls take no note (the API has no call type for them).
_PENDING = (
    "c.answered = 1 AND c.kind != 'masked' AND c.disposition = ''"
    " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.source = c.source"
    " AND o.record_id = c.record_id AND o.state IN ('pending', 'sent'))"
    " AND NOT EXISTS (SELECT 1 FROM disposition_drafts d WHERE d.source = c.source"
    " AND d.record_id = c.record_id AND d.state = 'done')"
)


def day_summary(conn: sqlite3.Connection, start: int, end: int, ext_no: str = "") -> DaySummary:
    """Counts for the "today" line: ``start``/``end`` are the local day's bounds in UTC;
    ``ext_no`` (when set) keeps one agent's calls."""
    where = "c.started_at >= ? AND c.started_at < ?"
    params: list[object] = [start, end]
    if ext_no:
        where += " AND c.ext_no = ?"
        params.append(ext_no)
    row = conn.execute(
        "SELECT COALESCE(SUM(c.direction = 'outbound'), 0),"
        " COALESCE(SUM(c.direction = 'inbound'), 0), COALESCE(SUM(c.answered), 0),"
        " COALESCE(SUM(CASE WHEN c.answered THEN c.duration_s END), 0),"
        f" COALESCE(SUM({_PENDING}), 0)"
        f" FROM calls c WHERE {where}",
        params,
    ).fetchone()
    return DaySummary(made=row[0], received=row[1], answered=row[2], talk_time_s=row[3],
                      pending=row[4])


def distinct_dids(conn: sqlite3.Connection) -> list[str]:
    """The DIDs calls came in on or went out from (the history view's DID filter)."""
    rows = conn.execute("SELECT DISTINCT did FROM calls WHERE did != '' ORDER BY did")
    return [r[0] for r in rows]


def known_keys(conn: sqlite3.Connection, keys: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which ``(source, record_id)`` pairs are stored already (sync progress, tests)."""
    found: set[tuple[str, str]] = set()
    for source, record_id in keys:
        if conn.execute(
            "SELECT 1 FROM calls WHERE source = ? AND record_id = ?", (source, record_id)
        ).fetchone():
            found.add((source, record_id))
    return found
