"""What Settings reads off the UI thread: a .creds file's text (or why it is not one)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from agentapp.qt.settings_sources import CREDS_LIMIT, CredsFileError, read_creds_file

CREDS = ("-----BEGIN NATS USER JWT-----\neyJhbGciOi\n------END NATS USER JWT------\n\n"
         "-----BEGIN USER NKEY SEED-----\nSUAM\n------END USER NKEY SEED------\n")


def test_a_creds_file_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "agent.creds"
    path.write_text(CREDS, encoding="utf-8")
    assert asyncio.run(read_creds_file(path)) == CREDS.strip()


@pytest.mark.parametrize(("content", "words"), [
    (b"", "is empty"),
    (b"\xff\xfe\x00binary", "not a text file"),
    (b"x" * (CREDS_LIMIT + 1), "too large"),
])
def test_a_wrong_file_says_why(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "wrong.creds"
    path.write_bytes(content)
    with pytest.raises(CredsFileError, match=words):
        asyncio.run(read_creds_file(path))


def test_a_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(CredsFileError, match="could not be read"):
        asyncio.run(read_creds_file(tmp_path / "gone.creds"))
