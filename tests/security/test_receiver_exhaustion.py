"""Nobody on this computer can exhaust the webhook receiver (issue 16, item 4).

Before: no header/read deadline (300 slowloris connections held 60 s), no
connection cap (1,100 idle connections used up the app's descriptors) and one
log record per failure (25,483 tracebacks rotated every old log away). Short
limits are injected so each test runs in about a second on loopback.
"""

from __future__ import annotations

import logging
import os
import select
import socket
import time
from urllib.parse import urlsplit

import httpx
import pytest

from agentapp.services.hook_limits import HookLimits
from agentapp.services.webhook_receiver import WebhookReceiver
from testkit.waiting import wait_for

from .receiver_support import RunningReceiver, ring_body, running_receiver, signed

RECEIVER_LOG = "agentapp.services.webhook_receiver"


def address(running: RunningReceiver) -> tuple[str, int]:
    parts = urlsplit(running.url)
    assert parts.hostname is not None and parts.port is not None
    return parts.hostname, parts.port


def open_connections(running: RunningReceiver) -> int:
    return int(running.call(lambda: running.receiver.connections.open))  # type: ignore[union-attr]


def closed_by_peer(sock: socket.socket) -> bool:
    try:
        return sock.recv(4096, socket.MSG_DONTWAIT) == b""
    except BlockingIOError:
        return False
    except OSError:  # reset
        return True


def read_until_closed(sock: socket.socket, within: float) -> bytes:
    """Everything the receiver sends until it closes (bounded by ``within``)."""
    data = b""
    deadline = time.monotonic() + within
    while (left := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([sock], [], [], left)
        if not ready:
            continue
        try:
            chunk = sock.recv(4096)
        except OSError:
            return data
        if not chunk:
            return data
        data += chunk
    raise AssertionError(f"still open after {within} s; received {data[:80]!r}")


def test_slowloris_and_idle_connections_are_closed_within_the_timeout() -> None:
    with running_receiver(limits=HookLimits(idle_timeout_s=0.5, body_timeout_s=0.5)) as running:
        path = urlsplit(running.url).path
        slow = [socket.create_connection(address(running), timeout=10) for _ in range(20)]
        for sock in slow:
            sock.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\n".encode())
        # Trickle a header line to every connection until the receiver hangs up on it.
        deadline = time.monotonic() + 15
        still_open = set(slow)
        while still_open:
            assert time.monotonic() < deadline, f"{len(still_open)} slow connections held"
            select.select(list(still_open), [], [], 0.1)
            for sock in list(still_open):
                if closed_by_peer(sock):
                    still_open.discard(sock)
                    continue
                try:
                    sock.sendall(b"X-Slow: 1\r\n")
                except OSError:
                    still_open.discard(sock)
        # A kept-alive connection that goes idle after its answer is closed as well.
        idle = socket.create_connection(address(running), timeout=10)
        body = ring_body()
        head = "".join(f"{k}: {v}\r\n" for k, v in signed(body).items())
        idle.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n"
                     f"{head}\r\n".encode() + body)
        assert read_until_closed(idle, within=15).startswith(b"HTTP/1.1 200")
        # A body that never finishes gets 408 instead of holding the connection.
        stalled = socket.create_connection(address(running), timeout=10)
        stalled.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n"
                        f"{head}\r\n".encode() + b'{"event":')
        assert read_until_closed(stalled, within=30).startswith(b"HTTP/1.1 408")
        wait_for(lambda: open_connections(running) == 0)
        for sock in [*slow, idle, stalled]:
            sock.close()
        assert len(running.fed) == 1


def test_a_flood_of_idle_connections_is_capped_and_deliveries_work_afterwards(
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    cap, flood = 16, 300
    with running_receiver(limits=HookLimits(max_connections=cap, idle_timeout_s=60)) as running:
        counts = running.receiver.connections
        assert counts is not None
        fds_before = len(os.listdir("/proc/self/fd"))
        clients = [socket.create_connection(address(running), timeout=10) for _ in range(flood)]
        try:
            wait_for(lambda: running.call(lambda: counts.open + counts.refused) >= flood)
            assert running.call(lambda: counts.peak) == cap
            # The flood costs its own client sockets plus at most ``cap`` on the receiver's side
            # (without the cap: one receiver descriptor per client, 600 in all).
            wait_for(lambda: len(os.listdir("/proc/self/fd")) - fds_before <= flood + cap + 4)
            body = ring_body()
            with pytest.raises(httpx.TransportError):  # every slot is held: refused at once
                httpx.post(running.url, content=body, headers=signed(body), timeout=10)
        finally:
            for sock in clients:
                sock.close()
        wait_for(lambda: open_connections(running) == 0)
        response = httpx.post(running.url, content=body, headers=signed(body), timeout=10)
        assert response.status_code == 200
        assert [event.logid for event in running.fed] == ["5"]
        assert running.call(lambda: counts.peak) == cap
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_repeated_errors_give_a_bounded_number_of_log_records(
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    now = [1_000_000.0]

    def buggy(payload: dict[str, object]) -> None:
        if payload.get("bug"):
            raise RuntimeError("handler bug")

    with running_receiver(secret=None, clock=lambda: now[0], on_payload=buggy) as running:
        with httpx.Client(timeout=10) as http:
            for _ in range(150):
                assert http.post(running.url, content=b"not json",
                                 headers={"Content-Type": "application/json"}
                                 ).status_code == 400
                assert http.post(running.url, json={"bug": 1}).status_code == 500
            ours = [r for r in caplog.records if r.name == RECEIVER_LOG
                    and r.getMessage().startswith(("webhook rejected", "webhook handler failed"))]
            assert len(ours) == 10  # 5 of each kind per minute, then counted, not written
            assert sum(1 for r in ours if r.exc_info) == 5
            now[0] += 61
            assert http.post(running.url, json={"bug": 1}).status_code == 500
        latest = [r for r in caplog.records if r.name == RECEIVER_LOG][-1]
        assert "[145 similar record(s) dropped before this]" in latest.getMessage()
    # Stopping the receiver takes its throttle off the shared loggers.
    assert not logging.getLogger(RECEIVER_LOG).filters


def test_limits_are_validated() -> None:
    from agentapp.services.hook_limits import ConnectionCap

    with pytest.raises(ValueError):
        ConnectionCap(0)
    assert WebhookReceiver(lambda payload: None).connections is None
