"""Demo mode: the sandbox server, started in-process on the app's own loop."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agentapp.sandbox import SandboxServer

# Fixed and documented (docs/sandbox.md); repeated here so a signed-in app never
# imports the sandbox (and numpy) at all.
DEMO_TOKEN = "ivr-sandbox-demo-token"

log = logging.getLogger(__name__)


class DemoSandbox:
    """Owns the embedded sandbox for the app's lifetime (started once, on demand)."""

    def __init__(self, port: int = 0) -> None:
        self._port = port
        self._server: SandboxServer | None = None

    @property
    def token(self) -> str:
        return DEMO_TOKEN

    async def ensure_started(self) -> str:
        if self._server is None:
            from agentapp.sandbox import SandboxConfig, SandboxServer

            server = SandboxServer(SandboxConfig(host="127.0.0.1", port=self._port))
            base_url = await server.start()
            self._server = server
            # The demo token is fixed and documented, not a secret: log it so the
            # sandbox's control API (docs/sandbox.md) can be used while the app runs.
            log.warning("Demo sandbox listening on %s (demo token: %s)", base_url, DEMO_TOKEN)
        return self._server.base_url

    async def stop(self) -> None:
        if self._server is not None:
            await self._server.stop()
            self._server = None
