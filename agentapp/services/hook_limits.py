"""How much one webhook listener lets any sender hold: limits and a connection cap.

Shared by the app's receiver (``services.hook_server``) and the team relay
(``relay.listener``); imports no HTTP library. Why each guard exists (issue 16,
item 4: 1,100 idle local connections used up the app's 1,024 descriptors):

- ``max_connections``: beyond it a new connection is closed at once (RST), so
  a flood costs one descriptor for a moment, never one per attacker socket.
- ``idle_timeout_s``: a connection must send a complete request head within
  this after it opens or after its last answer, else it is closed: both the
  header (slowloris) deadline and the idle keep-alive limit.
- ``body_timeout_s``: the whole body is due within this after the head (408),
  applied where the body is read (``delivery_checks.read_delivery``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


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
        """A protocol factory that counts (or refuses) around the server's own."""

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
    """Delegates every callback to the server's protocol; gives the slot back once."""

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
