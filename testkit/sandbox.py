"""The sandbox as tests and benches use it: what it saw, and a client for it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from agentapp.api.client import IvrClient, make_http_client
from agentapp.sandbox.thread import SandboxThread


def placed_calls(sandbox: SandboxThread) -> list[dict[str, Any]]:
    """Every call that reached the sandbox (``/_sandbox/calls``), oldest first."""
    return list(sandbox.control("GET", "/_sandbox/calls")["data"])


@asynccontextmanager
async def ivr_client(sandbox: SandboxThread, *, http_timeout_s: float = 5.0,
                     retries: int = 0) -> AsyncIterator[IvrClient]:
    """The real client, created inside the running loop and closed after."""
    http = make_http_client("test", timeout=http_timeout_s)
    try:
        yield IvrClient(sandbox.base_url, sandbox.token, http=http, retries=retries)
    finally:
        await http.aclose()
