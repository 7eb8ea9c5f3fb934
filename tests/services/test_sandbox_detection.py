"""A look-alike server must not pass for the sandbox and take over the account's webhook.

``build_session`` registers the app's own receiver automatically only for the
demo or for our sandbox on loopback; a server that answers 200 to everything
(an HTML page, or JSON without the sandbox's name) is a real account's server.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from aiohttp import web

from agentapp.api.client import SANDBOX_NAME, IvrClient, make_http_client
from agentapp.composition import build_session, registers_automatically
from agentapp.core.urls import is_loopback_url
from agentapp.sandbox.control import SANDBOX_NAME as SERVED_NAME
from agentapp.sandbox.thread import SandboxThread
from agentapp.settings import Settings
from agentapp.startup import StartPlan

Responder = Callable[[web.Request], web.Response]


def html_page(request: web.Request) -> web.Response:
    return web.Response(text="<html><body>Welcome</body></html>", content_type="text/html")


def json_without_name(request: web.Request) -> web.Response:
    return web.json_response({"status": 200, "message": "ok"})


@asynccontextmanager
async def lookalike(respond: Responder) -> AsyncIterator[tuple[str, list[str]]]:
    """A loopback server answering 200 to every path and method; yields (url, paths seen)."""
    seen: list[str] = []

    async def handler(request: web.Request) -> web.Response:
        seen.append(request.path)
        return respond(request)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    sock = socket.create_server(("127.0.0.1", 0))
    await web.SockSite(runner, sock).start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}", seen
    finally:
        await runner.cleanup()


def test_the_client_knows_the_name_the_sandbox_serves() -> None:
    assert SANDBOX_NAME == SERVED_NAME


@pytest.mark.parametrize("respond", [html_page, json_without_name])
def test_lookalike_is_not_a_sandbox_and_gets_no_webhook(
        respond: Responder, data_dirs: Path) -> None:
    async def body() -> None:
        async with lookalike(respond) as (url, seen):
            http = make_http_client("test", timeout=5.0)
            try:
                assert await IvrClient(url, "tok", http=http, retries=0).is_sandbox() is False
                settings = Settings.for_profile("lookalike")
                plan = StartPlan("account", url, "2101", "+911143104567", "tok")
                services = await build_session(plan, http, settings, register_webhook=False)
                try:
                    assert services.session.is_sandbox is False
                    assert services.receiver is None
                    assert not [p for p in seen if "webhook" in p], seen
                finally:
                    await services.close()
            finally:
                await http.aclose()

    asyncio.run(body())


def test_our_sandbox_on_loopback_registers_its_receiver(
        sandbox: SandboxThread, data_dirs: Path) -> None:
    async def body() -> None:
        http = make_http_client("test", timeout=5.0)
        try:
            plan = StartPlan("account", sandbox.base_url, "2101", "+911143104567", sandbox.token)
            services = await build_session(plan, http, Settings.for_profile("real-sandbox"),
                                           register_webhook=False)
            try:
                assert services.session.is_sandbox is True
                assert services.receiver is not None
                info = sandbox.control("GET", "/_sandbox/info")
                assert info["webhook_url"] == services.webhook_url
            finally:
                await services.close()
        finally:
            await http.aclose()

    asyncio.run(body())


@pytest.mark.parametrize(("kind", "url", "is_sandbox", "expected"), [
    ("demo", "http://127.0.0.1:5000", True, True),
    ("account", "http://127.0.0.1:5000", True, True),
    ("account", "http://[::1]:5000", True, True),
    ("account", "http://localhost:5000", True, True),
    ("account", "http://127.0.0.1:5000", False, False),
    ("account", "https://sandbox.example.net", True, False),
    ("account", "http://10.1.2.3:8000", True, False),
    ("account", "https://api.ivrsolutions.in", False, False),
])
def test_automatic_registration_needs_demo_or_our_sandbox_on_loopback(
        kind: str, url: str, is_sandbox: bool, expected: bool) -> None:
    plan = StartPlan(kind, url, "2101", "+911143104567", "tok")  # type: ignore[arg-type]
    assert registers_automatically(plan, is_sandbox) is expected


@pytest.mark.parametrize(("url", "expected"), [
    ("http://127.0.0.1:1", True), ("http://127.9.9.9", True), ("http://[::1]:8", True),
    ("http://LOCALHOST.", True), ("https://localhost.evil.com", False),
    ("http://127.0.0.1.nip.io", False), ("http://0.0.0.0", False),
    ("http://[::ffff:1.2.3.4]", False),
    ("not a url", False), ("http://[bad", False),
])
def test_loopback_urls(url: str, expected: bool) -> None:
    assert is_loopback_url(url) is expected
