"""Sandbox test helpers: an authenticated httpx client and a real webhook receiver."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from agentapp.sandbox.thread import SandboxThread
from testkit.waiting import wait_for


@pytest.fixture
def api(sandbox: SandboxThread) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {sandbox.token}"}
    with httpx.Client(base_url=sandbox.base_url, headers=headers, timeout=10) as client:
        yield client


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class WebhookReceiver:
    """A plain HTTP server that records POSTs; ``fail_next`` answers 500 that many times,
    and ``refuse(payload)`` returning True answers 500 to that delivery."""

    port: int
    received: list[Received] = field(default_factory=list)
    fail_next: int = 0
    refuse: Callable[[dict[str, Any]], bool] | None = None
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                refused = receiver.refuse is not None and receiver.refuse(json.loads(body))
                if receiver.fail_next > 0 or refused:
                    receiver.fail_next = max(0, receiver.fail_next - 1)
                    self.send_response(500)
                else:
                    receiver.received.append(Received(dict(self.headers.items()), body))
                    self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def events_for(self, logid: int | str) -> list[dict[str, Any]]:
        return [r.json() for r in self.received if r.json().get("recordid") == str(logid)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    hook = WebhookReceiver(free_port())
    hook.start()
    yield hook
    hook.stop()


def wait_call_ended(api: httpx.Client, logid: int | str, timeout: float = 15.0) -> dict[str, Any]:
    def ended() -> dict[str, Any] | None:
        data: dict[str, Any] = api.get("/api/get_call_status", params={"logid": logid}).json()
        return data["data"] if data["data"]["state"] == "ended" else None

    return wait_for(ended, timeout, f"call {logid} to end")
