"""Helpers for store tests: rows with sensible defaults, a fixed clock, an open store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path

from agentapp.store import CallRow, Store, number_key, open_store

T0 = 1_790_000_000  # a fixed instant (2026-09-21 UTC); tests never read the wall clock


class FakeClock:
    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def call(record_id: str, number: str = "09876543210", **changes: object) -> CallRow:
    base = CallRow(
        source="call", record_id=record_id, kind="incoming", direction="inbound",
        number=number_key(number), number_raw=number, started_at=T0, outcome="answered",
        duration_s=30, did="911143104567",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


@asynccontextmanager
async def opened(path: Path, clock: FakeClock | None = None) -> AsyncIterator[Store]:
    store = await open_store(path, clock=clock or FakeClock())
    try:
        yield store
    finally:
        await store.aclose()
