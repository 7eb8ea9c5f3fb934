"""Opening a store database: one place for the pragmas every connection needs.

WAL lets readers run beside the one writer without blocking it;
``synchronous=NORMAL`` is durable across application crashes in WAL mode (only
a power cut can lose the last commits), which is the trade sqlite recommends.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

from agentapp.paths import data_dir

STORE_FILE_NAME = "store.sqlite3"
BUSY_TIMEOUT_MS = 5000


def store_path(profile: str, server: str = "") -> Path:
    """The database file for one profile and server, in platformdirs' data dir.

    One file per server (``api.ivrsolutions.in``, ``demo``, a sandbox's
    ``127.0.0.1_8765``): history from the demo never mixes with an account's.
    Not created here.
    """
    if not server:
        return data_dir(profile) / STORE_FILE_NAME
    return data_dir(profile) / "history" / f"{server_key(server)}.sqlite3"


def server_key(server: str) -> str:
    """A file-name-safe key for a base URL (``https://api.x.in:8443`` -> ``api.x.in_8443``)."""
    netloc = urlsplit(server).netloc if "//" in server else server
    key = re.sub(r"[^A-Za-z0-9.-]+", "_", netloc.rsplit("@", 1)[-1]).strip("._")
    return key or "default"


def open_connection(path: Path | str, *, readonly: bool = False) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit: ``with tx(conn)``).

    ``path`` may be ``":memory:"`` only for single-connection use (tests of one
    repository function); the threaded store always uses a file.
    """
    if isinstance(path, Path):
        path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=True)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    if readonly:
        conn.execute("PRAGMA query_only = ON")
    else:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    return conn


class tx:
    """``with tx(conn):`` BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self._conn.execute("BEGIN IMMEDIATE")
        return self._conn

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self._conn.execute("COMMIT")
        else:
            self._conn.execute("ROLLBACK")
