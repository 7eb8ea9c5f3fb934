"""Sync bookkeeping (cursors, last success, backfill progress) as typed key/values.

Kept in the store, not in settings, so a cursor and the calls it covers are
committed together and can never disagree after a crash.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping

from agentapp.store.connection import tx

CURSOR_PREFIX = "cursor."


def get_state(conn: sqlite3.Connection, key: str, default: str = "") -> str:
    row = conn.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
    return str(row[0]) if row else default


def all_state(conn: sqlite3.Connection) -> dict[str, str]:
    return {r[0]: r[1] for r in conn.execute("SELECT key, value FROM sync_state")}


def set_state(conn: sqlite3.Connection, values: Mapping[str, str], now: int) -> None:
    with tx(conn):
        write_state(conn, values, now)


def write_state(conn: sqlite3.Connection, values: Mapping[str, str], now: int) -> None:
    """Inside a caller's transaction (e.g. with the calls a cursor covers)."""
    conn.executemany(
        "INSERT INTO sync_state (key, value, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        [(k, v, now) for k, v in values.items()],
    )
