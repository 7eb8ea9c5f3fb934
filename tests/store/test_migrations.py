"""Forward migrations: every earlier version reaches the latest with its data intact."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from agentapp.store.connection import open_connection
from agentapp.store.migrations import LATEST_VERSION, SchemaTooNewError, migrate, schema_version

# Data a database at each version can hold, inserted before migrating onward.
_FIXTURES: dict[int, list[str]] = {
    1: [
        "INSERT INTO calls (source, record_id, kind, direction, number, number_raw, started_at,"
        " outcome, answered, first_seen_at, updated_at) VALUES ('call', '7', 'incoming',"
        " 'inbound', '+919876543210', '9876543210', 100, 'answered', 1, 100, 100)",
        "INSERT INTO contacts (number, name, updated_at) VALUES ('+919876543210', 'Manish', 1)",
        "INSERT INTO sync_state (key, value, updated_at) VALUES ('cursor.call', '7', 1)",
    ],
    2: [
        "INSERT INTO disposition_drafts (source, record_id, call_type, status_id, remark,"
        " created_at, updated_at) VALUES ('call', '7', 'incoming', 1, 'call back', 1, 1)",
        "INSERT INTO outbox (source, record_id, call_type, status_id, next_attempt_at,"
        " created_at) VALUES ('call', '7', 'incoming', 1, 1, 1)",
    ],
}


def _schema(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name"
    ).fetchall()
    return [(r[0], r[1]) for r in rows]


def test_fixtures_cover_every_version() -> None:
    assert sorted(_FIXTURES) == list(range(1, LATEST_VERSION + 1))


@pytest.mark.parametrize("start", range(LATEST_VERSION + 1))
def test_migrates_from_every_earlier_version(tmp_path: Path, start: int) -> None:
    fresh = open_connection(tmp_path / "fresh.sqlite3")
    migrate(fresh)
    expected_schema = _schema(fresh)
    fresh.close()

    conn = open_connection(tmp_path / "old.sqlite3")
    for version in range(1, start + 1):
        migrate(conn, target=version)
        for statement in _FIXTURES[version]:
            conn.execute(statement)
    assert schema_version(conn) == start

    assert migrate(conn) == LATEST_VERSION
    assert _schema(conn) == expected_schema
    if start >= 1:
        assert conn.execute("SELECT name FROM contacts").fetchone()[0] == "Manish"
        assert conn.execute("SELECT record_id FROM calls").fetchone()[0] == "7"
    if start >= 2:
        assert conn.execute("SELECT remark FROM disposition_drafts").fetchone()[0] == "call back"
    conn.close()


def test_migrate_is_idempotent(tmp_path: Path) -> None:
    conn = open_connection(tmp_path / "db.sqlite3")
    assert migrate(conn) == LATEST_VERSION
    assert migrate(conn) == LATEST_VERSION
    conn.close()


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    conn = open_connection(tmp_path / "db.sqlite3")
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    with pytest.raises(SchemaTooNewError, match="newer version"):
        migrate(conn)
    conn.close()


def test_failed_step_rolls_back(tmp_path: Path) -> None:
    """A step that fails leaves the database at the previous version, unchanged."""
    conn = open_connection(tmp_path / "db.sqlite3")
    migrate(conn, target=1)
    conn.execute("CREATE TABLE outbox (x)")  # makes step 2 fail part-way
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn)
    assert schema_version(conn) == 1
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "disposition_statuses" not in names
    conn.close()


def test_wal_mode(tmp_path: Path) -> None:
    conn = open_connection(tmp_path / "db.sqlite3")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
