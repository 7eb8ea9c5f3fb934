"""The schema as an ordered list of forward migrations, tracked in ``PRAGMA user_version``.

Step *n* (1-based) takes a database at version *n-1* to version *n*. Steps are
never edited once released: a change is a new step appended to the list, so a
database written by any earlier release migrates forward in order. A database
from a *newer* release is refused rather than guessed at.

Conventions: times are UTC epoch seconds (INTEGER); numbers are E.164
(``+919876543210``) with ``''`` when the server's value is not a valid number
(the raw value is kept beside it); record ids are the server's strings.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from agentapp.store.connection import tx

# v1 (issue 9): calls of every kind, contacts, sync state.
_V1 = """
CREATE TABLE calls (
    id            INTEGER PRIMARY KEY,
    source        TEXT NOT NULL CHECK (source IN ('call', 'c2c', 'dialer', 'masked')),
    record_id     TEXT NOT NULL,
    kind          TEXT NOT NULL
                  CHECK (kind IN ('incoming', 'outgoing', 'c2c', 'dialer', 'masked')),
    direction     TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    number        TEXT NOT NULL,
    number_raw    TEXT NOT NULL,
    did           TEXT NOT NULL DEFAULT '',
    ext_no        TEXT NOT NULL DEFAULT '',
    agent_no      TEXT NOT NULL DEFAULT '',
    agent_name    TEXT NOT NULL DEFAULT '',
    dtmf          TEXT NOT NULL DEFAULT '',
    outcome       TEXT NOT NULL DEFAULT '',
    answered      INTEGER NOT NULL DEFAULT 0,
    started_at    INTEGER NOT NULL,
    duration_s    INTEGER NOT NULL DEFAULT 0,
    recording_url TEXT NOT NULL DEFAULT '',
    remark        TEXT NOT NULL DEFAULT '',
    disposition   TEXT NOT NULL DEFAULT '',
    sip_call_id   TEXT NOT NULL DEFAULT '',
    campaign      TEXT NOT NULL DEFAULT '',
    first_seen_at INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    UNIQUE (source, record_id)
);
CREATE INDEX calls_by_number ON calls (number, started_at DESC);
CREATE INDEX calls_by_time ON calls (started_at DESC);
CREATE INDEX calls_by_did ON calls (did, started_at DESC);

CREATE TABLE contacts (
    number       TEXT PRIMARY KEY,
    name         TEXT NOT NULL DEFAULT '',
    company      TEXT NOT NULL DEFAULT '',
    email        TEXT NOT NULL DEFAULT '',
    remote_id    TEXT NOT NULL DEFAULT '',
    updated_at   INTEGER NOT NULL
);
CREATE INDEX contacts_by_name ON contacts (name COLLATE NOCASE);

CREATE TABLE sync_state (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
"""

# v2 (issue 10): disposition status cache, drafts and the outbox.
_V2 = """
CREATE TABLE disposition_statuses (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    position   INTEGER NOT NULL,
    fetched_at INTEGER NOT NULL
);

CREATE TABLE disposition_drafts (
    source      TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    call_type   TEXT NOT NULL,
    sip_call_id TEXT NOT NULL DEFAULT '',
    number      TEXT NOT NULL DEFAULT '',
    status_id   INTEGER,
    remark      TEXT NOT NULL DEFAULT '',
    state       TEXT NOT NULL DEFAULT 'editing' CHECK (state IN ('editing', 'done')),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (source, record_id)
);

CREATE TABLE outbox (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    source          TEXT NOT NULL,
    record_id       TEXT NOT NULL,
    call_type       TEXT NOT NULL,
    sip_call_id     TEXT NOT NULL DEFAULT '',
    status_id       INTEGER NOT NULL,
    remark          TEXT NOT NULL DEFAULT '',
    state           TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    reason          TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER
);
-- At most one undelivered item per call: a newer save replaces the unsent one
-- (the API's update is a set, so the latest wins and re-sending is harmless).
CREATE UNIQUE INDEX outbox_one_open_per_record
    ON outbox (source, record_id) WHERE state != 'sent';
CREATE INDEX outbox_due ON outbox (state, next_attempt_at, seq);
"""

MIGRATIONS: Sequence[str] = (_V1, _V2)
LATEST_VERSION = len(MIGRATIONS)


class SchemaTooNewError(RuntimeError):
    """The file was written by a newer release; opening it could corrupt it."""


def schema_version(conn: sqlite3.Connection) -> int:
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    return version


def migrate(conn: sqlite3.Connection, target: int = LATEST_VERSION) -> int:
    """Apply the missing steps up to ``target``, each in its own transaction."""
    current = schema_version(conn)
    if current > LATEST_VERSION:
        raise SchemaTooNewError(
            f"The history database is from a newer version of the app (schema {current}, "
            f"this version knows up to {LATEST_VERSION}). Please update the app."
        )
    for version in range(current + 1, target + 1):
        with tx(conn):
            for statement in _statements(MIGRATIONS[version - 1]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version}")
    return schema_version(conn)


def _statements(script: str) -> list[str]:
    """Split a migration into statements (executescript would commit our transaction)."""
    lines = [line for line in script.splitlines() if not line.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
