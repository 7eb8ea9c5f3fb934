"""Run an IvrClient against the sandbox inside ``asyncio.run`` (no pytest-asyncio)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest

from agentapp import __version__
from agentapp.api.client import IvrClient, make_http_client
from agentapp.sandbox.thread import SandboxThread

T = TypeVar("T")


def run_with_client(
    base_url: str,
    token: str,
    fn: Callable[[IvrClient], Awaitable[T]],
    *,
    timeout: float = 5.0,
    hooks: list[Callable[[Any], Awaitable[None]]] | None = None,
    **client_kwargs: Any,
) -> T:
    """A fresh loop, one shared AsyncClient created inside it, closed afterwards."""

    async def main() -> T:
        async with make_http_client(__version__, timeout=timeout) as http:
            for hook in hooks or []:
                http.event_hooks["request"].append(hook)
            client_kwargs.setdefault("backoff_s", (0.01, 0.02))
            client = IvrClient(base_url, token, http=http, **client_kwargs)
            return await fn(client)

    return asyncio.run(main())


@pytest.fixture
def run_api(sandbox: SandboxThread) -> Callable[..., Any]:
    """``run_api(lambda c: c.dids())`` against the running sandbox."""

    def runner(fn: Callable[[IvrClient], Awaitable[T]], **client_kwargs: Any) -> T:
        return run_with_client(sandbox.base_url, sandbox.token, fn, **client_kwargs)

    return runner


@pytest.fixture
def run_client() -> Callable[..., Any]:
    """``run_client(base_url, token, fn, **kw)`` for tests that need their own server or URL."""
    return run_with_client
