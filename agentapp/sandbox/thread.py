"""Runs a SandboxServer on its own event loop in a daemon thread (tests, sync callers)."""

from __future__ import annotations

import asyncio
import threading
from types import TracebackType
from typing import Any

import httpx

from .config import SandboxConfig
from .server import SandboxServer

START_TIMEOUT_S = 60.0


class SandboxThread:
    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.server = SandboxServer(config)
        self.token = config.token
        self.base_url = ""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None

    def __enter__(self) -> SandboxThread:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="ivr-sandbox", daemon=True)
        self._thread.start()
        if not self._ready.wait(START_TIMEOUT_S):
            raise RuntimeError("sandbox did not start in time")
        if self._error is not None:
            raise RuntimeError("sandbox failed to start") from self._error

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        future = asyncio.run_coroutine_threadsafe(self.server.stop(), loop)
        future.result(timeout=30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=30)
        self._loop = self._thread = None

    def control(self, method: str, path: str, json: dict[str, Any] | None = None) -> Any:
        """Blocking call to the sandbox (control API or any endpoint) with the token."""
        response = httpx.request(method, self.base_url + path, json=json, timeout=30,
                                 headers={"Authorization": f"Bearer {self.token}"})
        response.raise_for_status()
        return response.json()

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._loop = loop
        try:
            self.base_url = loop.run_until_complete(self.server.start())
        except BaseException as exc:  # reported to the starting thread
            self._error = exc
            self._ready.set()
            loop.close()
            self._loop = None
            return
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()
