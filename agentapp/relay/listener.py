"""The relay's aiohttp listener: a capped site and its requests as ``DeliveryRequest``s.

The relay is a server process, so aiohttp is fine here; the desktop app's own
receiver runs on h11 instead (``services.hook_server``) and shares the checks
(``services.delivery_checks``) and limits (``services.hook_limits``) with it:
``AiohttpDelivery`` is the relay's side of that contract. In the installed
aiohttp the keep-alive timer also runs from the moment a connection opens and
closes it when no complete request head has arrived by then, so
``idle_timeout_s`` is both the head (slowloris) deadline and the idle limit.
"""

from __future__ import annotations

import asyncio
import socket

from aiohttp import web

from agentapp.services.hook_limits import ConnectionCap, HookLimits


class AiohttpDelivery:
    """An aiohttp request seen through ``delivery_checks.DeliveryRequest``."""

    def __init__(self, request: web.Request) -> None:
        self._request = request

    @property
    def path(self) -> str:
        # The path as sent (no percent-decoding), as the app's h11 receiver sees it.
        return self._request.raw_path.partition("?")[0]

    @property
    def method(self) -> str:
        return self._request.method

    @property
    def content_length(self) -> int | None:
        return self._request.content_length

    def header(self, name: str) -> str | None:
        return self._request.headers.get(name)

    async def read(self, n: int) -> bytes:
        return await self._request.content.read(n)


class CappedSite(web.SockSite):
    """``web.SockSite`` whose connections go through a ``ConnectionCap``."""

    __slots__ = ("cap",)

    def __init__(self, runner: web.BaseRunner, sock: socket.socket, cap: ConnectionCap) -> None:
        super().__init__(runner, sock)
        self.cap = cap

    async def start(self) -> None:
        await web.BaseSite.start(self)  # registers the site with its runner
        server = self._runner.server
        assert server is not None
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(self.cap.wrap(server), sock=self._sock,
                                                backlog=self._backlog)


async def start_listener(app: web.Application, host: str, port: int,
                         limits: HookLimits) -> tuple[web.AppRunner, CappedSite, int]:
    """Serve ``app`` on ``host:port`` under ``limits``; returns runner, site and the port."""
    runner = web.AppRunner(app, access_log=None,  # access logs would carry the secret path
                           keepalive_timeout=limits.idle_timeout_s,
                           # after an early answer (408, 413), drain the rest no longer than this
                           lingering_time=limits.body_timeout_s)
    await runner.setup()
    sock = socket.create_server((host, port))
    site = CappedSite(runner, sock, ConnectionCap(limits.max_connections))
    try:
        await site.start()
    except BaseException:
        sock.close()
        await runner.cleanup()
        raise
    return runner, site, int(sock.getsockname()[1])
