"""Listening for webhooks without being exhaustible: a connection cap and idle deadline.

Shared by the app's receiver and the team relay. Why each guard exists (issue 16,
item 4: 1,100 idle local connections used up the app's 1,024 descriptors):

- ``max_connections``: beyond it a new connection is closed at once (RST), so
  a flood costs one descriptor for a moment, never one per attacker socket.
- ``idle_timeout_s``: aiohttp's keep-alive timer, which in the installed
  aiohttp also runs from the moment a connection opens and closes it when no
  complete request head has arrived by then; so it is both the header
  (slowloris) deadline and the idle keep-alive limit.
- The body deadline is applied where the body is read (``read_delivery``).

Imports aiohttp at module level: import this module only when a server starts.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web


@dataclass(frozen=True)
class HookLimits:
    """How much one listener lets any sender hold."""

    max_connections: int = 64  # well below the usual 1,024-descriptor limit
    idle_timeout_s: float = 10.0  # request head due within this after connect / last answer
    body_timeout_s: float = 10.0  # the whole body due within this after the head


class ConnectionCap:
    """Counts open connections and refuses those beyond ``limit``."""

    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError("the connection cap must be at least 1")
        self.limit = limit
        self.open = 0
        self.peak = 0  # most connections open at once (for tests and diagnostics)
        self.refused = 0

    def wrap(self, make: Callable[[], asyncio.BaseProtocol]) -> Callable[[], asyncio.BaseProtocol]:
        """A protocol factory that counts (or refuses) around aiohttp's own."""

        def factory() -> asyncio.BaseProtocol:
            # Accepts come in batches before any connection_made runs, so the slot
            # is taken here and given back in connection_lost.
            if self.open >= self.limit:
                self.refused += 1
                return _Refused()
            self.open += 1
            self.peak = max(self.peak, self.open)
            return _Counted(self, make())

        return factory

    def _release(self) -> None:
        self.open -= 1


class _Refused(asyncio.Protocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # abort(): no lingering FIN handshake, the descriptor is freed at once.
        transport.abort()  # type: ignore[attr-defined]


class _Counted(asyncio.Protocol):
    """Delegates every callback to aiohttp's handler; gives the slot back once."""

    def __init__(self, cap: ConnectionCap, inner: asyncio.BaseProtocol) -> None:
        self._cap = cap
        self._inner: Any = inner
        self._released = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._inner.connection_made(transport)

    def data_received(self, data: bytes) -> None:
        self._inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self._inner.eof_received()

    def pause_writing(self) -> None:
        self._inner.pause_writing()

    def resume_writing(self) -> None:
        self._inner.resume_writing()

    def connection_lost(self, exc: Exception | None) -> None:
        if not self._released:
            self._released = True
            self._cap._release()
        self._inner.connection_lost(exc)


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
