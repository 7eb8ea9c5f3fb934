"""The API token travels only in the Authorization header: never in a URL,
never in a log record (httpx and httpcore included, at DEBUG), never in repr."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from agentapp.api.client import IvrClient
from agentapp.api.errors import ApiError
from agentapp.api.models import SyncCursors
from agentapp.sandbox.thread import SandboxThread

ApiRunner = Callable[..., Any]


def test_token_never_in_urls_or_logs(
    run_api: ApiRunner,
    sandbox: SandboxThread,
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
) -> None:
    seen: list[httpx.Request] = []

    async def record(request: httpx.Request) -> None:
        seen.append(request)

    async def everything(c: IvrClient) -> str:
        await c.validate_token()
        await c.dids()
        await c.call_logs_by_number("09876543210")
        batch = await c.sync_call_logs(SyncCursors())
        await c.get_contact("09876543210")
        url = next(r.recording_url for r in batch.records if r.recording_url)
        await c.download_recording(url, tmp_path / "r.wav")
        await c.is_sandbox()
        with pytest.raises(ApiError):
            await c.call_state("424242")
        return repr(c)

    sandbox.control("POST", "/_sandbox/faults", {"error_rate": 1.0, "paths": ["/api/get_dids"],
                                                 "count": 1})
    with caplog.at_level(logging.DEBUG):
        client_repr = run_api(everything, hooks=[record])

    token = sandbox.token
    assert len(seen) >= 9
    assert all(token not in str(r.url) for r in seen)
    api_requests = [r for r in seen if not r.url.path.startswith("/monitor/")]
    assert all(r.headers["Authorization"] == f"Bearer {token}" for r in api_requests)
    assert all(r.headers["User-Agent"].startswith("agentapp/") for r in seen)
    assert any(r.name.startswith(("httpx", "httpcore", "agentapp")) for r in caplog.records)
    for entry in caplog.records:
        assert token not in entry.getMessage()
        assert token not in str(entry.args)
    assert token not in client_repr
