"""Big listings are streamed: same bytes as one ``json_response``, bounded memory."""

from __future__ import annotations

import asyncio
import json
import tracemalloc
from datetime import datetime

import httpx
import pytest

from agentapp.sandbox import SandboxConfig
from agentapp.sandbox.clock import IST
from agentapp.sandbox.generator import generate_world
from agentapp.sandbox.records import call_log_dict
from agentapp.sandbox.streaming import ChunkFactory, listing_chunks
from agentapp.sandbox.thread import SandboxThread

START = datetime(2026, 11, 26, 12, 0, tzinfo=IST)


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(seed=9, speed=20.0, history=3000, start_time=START)


@pytest.mark.parametrize(("method", "path", "body"), [
    ("GET", "/v1/call_logs", None), ("GET", "/api/call_logs?from_date=2026-11-01", None),
    ("GET", "/api/c2c_logs", None), ("POST", "/api/dialer_logs", {}),
    ("GET", "/api/get_call_log_by_number?phone=09999999999", None),
    ("POST", "/api/click_connect_logs", {}),
])
def test_streamed_listing_is_byte_identical_json(api: httpx.Client, method: str, path: str,
                                                 body: dict[str, str] | None) -> None:
    with api.stream(method, path, json=body) as r:
        assert r.status_code == 200
        assert r.headers["Content-Type"] == "application/json; charset=utf-8"
        assert "Content-Length" not in r.headers  # written in chunks, not built first
        raw = r.read()
    # exactly what json.dumps (aiohttp's json_response) produces for the same object
    assert json.dumps(json.loads(raw)).encode() == raw


def test_v1_call_logs_rows_match_the_world(api: httpx.Client) -> None:
    rows = api.get("/v1/call_logs").json()["data"]
    assert len(rows) == 1500 and rows[0]["recordid"] > rows[-1]["recordid"]


def test_truncated_fault_still_cuts_a_streamed_reply(sandbox: SandboxThread,
                                                     api: httpx.Client) -> None:
    full = api.get("/v1/call_logs").content
    sandbox.control("POST", "/_sandbox/faults", {"truncated_rate": 1.0, "count": 1})
    cut = api.get("/v1/call_logs").content
    assert cut == full[: len(full) // 2]


def test_memory_stays_flat_for_a_50000_row_reply() -> None:
    """Peak memory while writing 50,000 rows is a small fraction of the reply size."""
    world = generate_world(7, START, 100_000)
    records = list(reversed(world.call_logs))
    assert len(records) == 50_000
    factory = listing_chunks({"data": None}, "data", records,
                             lambda r: call_log_dict(r, "http://127.0.0.1:1"))

    tracemalloc.start()
    try:
        total = asyncio.run(_count(factory))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total > 15_000_000  # ~22 MB of JSON
    assert peak < total / 10, f"peak {peak} bytes for a {total}-byte reply"


async def _count(factory: ChunkFactory) -> int:
    size = 0
    async for chunk in factory():
        size += len(chunk)
    return size
