"""Helpers for service tests (imported by name): a real IvrClient on loopback, waiting."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from agentapp.api.client import IvrClient, make_http_client
from agentapp.sandbox.thread import SandboxThread


@asynccontextmanager
async def ivr_client(sb: SandboxThread) -> AsyncIterator[IvrClient]:
    """The real client, created inside the running loop and closed after."""
    http = make_http_client("test", timeout=5.0)
    try:
        yield IvrClient(sb.base_url, sb.token, http=http, retries=0)
    finally:
        await http.aclose()


async def wait_until(condition: Callable[[], bool], timeout_s: float = 10.0) -> None:
    """Poll ``condition`` on the loop; fail the test if it stays false."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)


def sandbox_calls(sb: SandboxThread) -> list[dict[str, object]]:
    return list(sb.control("GET", "/_sandbox/calls")["data"])
