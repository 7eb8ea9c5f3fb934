"""Contacts keyed by E.164 number: what pops and history show beside a number."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from agentapp.store.connection import tx
from agentapp.store.rows import ContactRow, contact_from_sql


def upsert_contacts(conn: sqlite3.Connection, contacts: Iterable[ContactRow], now: int) -> None:
    """Insert or replace; an empty company/email/id from the server keeps what we knew."""
    with tx(conn):
        for c in contacts:
            if not c.number:
                raise ValueError("a contact needs a valid (E.164) number")
            conn.execute(
                "INSERT INTO contacts (number, name, company, email, remote_id, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (number) DO UPDATE SET "
                "name = excluded.name, "
                "company = COALESCE(NULLIF(excluded.company, ''), contacts.company), "
                "email = COALESCE(NULLIF(excluded.email, ''), contacts.email), "
                "remote_id = COALESCE(NULLIF(excluded.remote_id, ''), contacts.remote_id), "
                "updated_at = excluded.updated_at",
                (c.number, c.name, c.company, c.email, c.remote_id, now),
            )


def get_contact(conn: sqlite3.Connection, number: str) -> ContactRow | None:
    row = conn.execute("SELECT * FROM contacts WHERE number = ?", (number,)).fetchone()
    return contact_from_sql(row) if row else None


def delete_contact(conn: sqlite3.Connection, number: str) -> None:
    with tx(conn):
        conn.execute("DELETE FROM contacts WHERE number = ?", (number,))


def search_contacts(conn: sqlite3.Connection, text: str, limit: int = 20) -> list[ContactRow]:
    """Contacts whose name starts with ``text`` (case-insensitive), or whose number contains it."""
    digits = "".join(ch for ch in text if ch.isdigit())
    rows = conn.execute(
        "SELECT * FROM contacts WHERE name LIKE ? ESCAPE '\\' COLLATE NOCASE "
        "OR (? != '' AND number LIKE ?) ORDER BY name COLLATE NOCASE LIMIT ?",
        (_prefix(text), digits, f"%{digits}%", limit),
    )
    return [contact_from_sql(r) for r in rows]


def _prefix(text: str) -> str:
    escaped = text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"
