"""Demo mode: the sandbox server, in-process but on its own thread and loop.

Its world generation, call simulation and webhook deliveries then never take
time from the UI thread; the app talks to it over loopback HTTP like any server.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agentapp.sandbox.thread import SandboxThread

# Fixed and documented (docs/sandbox.md); repeated here so a signed-in app never
# imports the sandbox (and numpy) at all.
DEMO_TOKEN = "ivr-sandbox-demo-token"

log = logging.getLogger(__name__)


def _start_sandbox_thread(port: int) -> SandboxThread:
    """In a worker thread: importing the sandbox (numpy, aiohttp) and building its world."""
    from agentapp.sandbox import SandboxConfig
    from agentapp.sandbox.thread import SandboxThread

    server = SandboxThread(SandboxConfig(host="127.0.0.1", port=port))
    server.start()
    return server


class DemoSandbox:
    """Owns the embedded sandbox for the app's lifetime (started once, on demand)."""

    def __init__(self, port: int = 0) -> None:
        self._port = port
        self._server: SandboxThread | None = None

    @property
    def token(self) -> str:
        return DEMO_TOKEN

    async def ensure_started(self) -> str:
        if self._server is None:
            server = await asyncio.get_running_loop().run_in_executor(
                None, _start_sandbox_thread, self._port)
            base_url = server.base_url
            self._server = server
            # The demo token is fixed and documented, not a secret: log it so the
            # sandbox's control API (docs/sandbox.md) can be used while the app runs.
            log.warning("Demo sandbox listening on %s (demo token: %s)", base_url, DEMO_TOKEN)
        return self._server.base_url

    async def stop(self) -> None:
        if self._server is not None:
            server, self._server = self._server, None
            await asyncio.get_running_loop().run_in_executor(None, server.stop)
