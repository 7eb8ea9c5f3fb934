"""The app's own HTTP server (asyncio + h11, issue 15 item 7) at the byte level.

The receiver no longer runs on aiohttp, so what aiohttp did for us is checked
here on raw sockets: pipelining and keep-alive, chunked bodies (also over the
limit), a head arriving in many small packets, malformed HTTP, early answers
(the sender still reads them), ``Expect: 100-continue``, ``Allow`` on 405; and
that the app process never imports aiohttp for it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from agentapp.relay import RelayConfig, RelayServer
from agentapp.services.hook_limits import HookLimits
from testkit.waiting import wait_for

from .receiver_support import SECRET, RunningReceiver, ring_body, running_receiver, signed
from .test_receiver_exhaustion import address, open_connections, read_until_closed

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def receiver() -> Iterator[RunningReceiver]:
    with running_receiver(limits=HookLimits(idle_timeout_s=10, body_timeout_s=2)) as running:
        yield running


@pytest.fixture(autouse=True)
def no_errors_logged(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    caplog.set_level(logging.INFO)
    yield
    assert not [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def connect(running: RunningReceiver) -> socket.socket:
    sock = socket.create_connection(address(running), timeout=10)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # small writes stay packets
    return sock


def request(path: str, body: bytes, headers: dict[str, str] | None = None) -> bytes:
    """A signed POST as raw bytes (``headers`` replace or add to the usual ones)."""
    fields = {"Host": "x", "Content-Length": str(len(body)), **signed(body), **(headers or {})}
    head = "".join(f"{name}: {value}\r\n" for name, value in fields.items() if value)
    return f"POST {path} HTTP/1.1\r\n{head}\r\n".encode() + body


def chunked(path: str, body: bytes, size: int, headers: dict[str, str]) -> bytes:
    parts = [body[at:at + size] for at in range(0, len(body), size)]
    encoded = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in parts) + b"0\r\n\r\n"
    return request(path, b"", {"Content-Length": "", "Transfer-Encoding": "chunked",
                               **headers}) + encoded


def read_answers(sock: socket.socket, count: int) -> list[tuple[bytes, dict[str, str], bytes]]:
    """``count`` whole answers as (status line, headers, body), read as they arrive."""
    data = b""
    answers: list[tuple[bytes, dict[str, str], bytes]] = []
    deadline = time.monotonic() + 15
    while len(answers) < count:
        head_end = data.find(b"\r\n\r\n")
        if head_end >= 0:
            status, *lines = data[:head_end].decode("latin-1").split("\r\n")
            headers = {k.lower(): v.strip() for k, v in (line.split(":", 1) for line in lines)}
            end = head_end + 4 + int(headers.get("content-length", "0"))
            if len(data) >= end:
                answers.append((status.encode(), headers, data[head_end + 4:end]))
                data = data[end:]
                continue
        assert time.monotonic() < deadline, f"only {len(answers)} of {count} answers"
        chunk = sock.recv(65536)
        assert chunk, f"closed after {len(answers)} of {count} answers"
        data += chunk
    assert not data, data[:80]
    return answers


def test_the_app_receiver_never_imports_aiohttp() -> None:
    """A fresh process starts the receiver and takes a signed delivery: no aiohttp loaded."""
    code = (
        "import asyncio, json, sys, time\n"
        "import httpx\n"
        "from agentapp.core.signature import signed_headers\n"
        "from agentapp.services.webhook_receiver import WebhookReceiver\n"
        "async def main():\n"
        "    got = []\n"
        "    receiver = WebhookReceiver(got.append, secret='s')\n"
        "    url = await receiver.start()\n"
        "    body = json.dumps({'event': 'ring', 'logid': '1'}).encode()\n"
        "    headers = signed_headers('s', int(time.time()), body)\n"
        "    headers['Content-Type'] = 'application/json'\n"
        "    async with httpx.AsyncClient() as http:\n"
        "        answer = await http.post(url, content=body, headers=headers)\n"
        "    await receiver.stop()\n"
        "    print(answer.status_code, len(got), 'aiohttp' in sys.modules)\n"
        "asyncio.run(main())\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, text=True,
                          capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["200", "1", "False"], done.stdout


def test_pipelined_requests_are_answered_in_order_and_the_connection_kept(
        receiver: RunningReceiver) -> None:
    path = urlsplit(receiver.url).path
    fed_before = len(receiver.fed)
    bodies = [ring_body(event_id=f"pipe-{n}", logid="31") for n in range(3)]
    with connect(receiver) as sock:
        sock.sendall(b"".join(request(path, body) for body in bodies)
                     + f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        answers = read_answers(sock, 4)
        assert [status for status, _, _ in answers] == [b"HTTP/1.1 200 OK"] * 3 + [
            b"HTTP/1.1 405 Method Not Allowed"]
        assert [json.loads(body) for _, _, body in answers[:3]] == [{"ok": True}] * 3
        assert answers[3][1]["allow"] == "POST"
        assert json.loads(answers[3][2]) == {"ok": False, "error": "POST only"}
        # Still the same connection: one more delivery on it.
        sock.sendall(request(path, ring_body(event_id="pipe-3", logid="31")))
        [(status, headers, _)] = read_answers(sock, 1)
        assert status == b"HTTP/1.1 200 OK" and "connection" not in headers
    assert [e.event_id for e in receiver.fed[fed_before:]] == [f"pipe-{n}" for n in range(4)]


def test_a_head_in_many_slow_packets_is_served(receiver: RunningReceiver) -> None:
    """The head deadline is for the whole head, not for each packet."""
    raw = request(urlsplit(receiver.url).path, ring_body(event_id="slow-head", logid="32"))
    with connect(receiver) as sock:
        for at in range(0, len(raw), 2):
            sock.sendall(raw[at:at + 2])
            time.sleep(0.003)
        [(status, _, body)] = read_answers(sock, 1)
    assert (status, json.loads(body)) == (b"HTTP/1.1 200 OK", {"ok": True})
    assert receiver.fed[-1].event_id == "slow-head"


def test_chunked_bodies_are_read_and_bounded(receiver: RunningReceiver) -> None:
    path = urlsplit(receiver.url).path
    body = ring_body(event_id="chunked", logid="33")
    with connect(receiver) as sock:
        sock.sendall(chunked(path, body, 7, signed(body)))
        [(status, _, _)] = read_answers(sock, 1)
        assert status == b"HTTP/1.1 200 OK"
    assert receiver.fed[-1].event_id == "chunked"
    # Chunked and a Content-Length as well: read as chunked, answered, then closed.
    body = ring_body(event_id="both", logid="33")
    with connect(receiver) as sock:
        sock.sendall(chunked(path, body, 7, signed(body) | {"Content-Length": "5"}))
        answer = read_until_closed(sock, within=15)
    assert answer.startswith(b"HTTP/1.1 200 OK") and b"Connection: close" in answer
    assert receiver.fed[-1].event_id == "both"
    # 80 KiB in 8 KiB chunks, no Content-Length to refuse it up front: 413 once the
    # limit (64 KiB) is passed.
    big = ring_body(pad="x" * 80_000)
    with connect(receiver) as sock:
        sock.sendall(chunked(path, big, 8192, signed(big)))
        [(status, _, answer)] = read_answers(sock, 1)  # (the phrase varies with Python)
        assert status.startswith(b"HTTP/1.1 413 ")
        assert answer == b'{"ok": false, "error": "body too large"}'
        # The whole body had arrived (and was skipped): the connection goes on.
        sock.sendall(request(path, body := ring_body(event_id="after-413", logid="33")))
        assert read_answers(sock, 1)[0][0] == b"HTTP/1.1 200 OK"
    # Over the limit and still coming: answered, then closed.
    with connect(receiver) as sock:
        sock.sendall(chunked(path, big, 8192, signed(big))[:-5])  # no last chunk
        sock.shutdown(socket.SHUT_WR)
        answer = read_until_closed(sock, within=15)
    assert answer.startswith(b"HTTP/1.1 413 ") and b"Connection: close" in answer
    assert receiver.fed[-1].event_id == "after-413"


def test_a_content_length_that_lies_short_cannot_pass_a_big_body(
        receiver: RunningReceiver) -> None:
    """Only the declared bytes are the body; the rest must parse as a next request head."""
    path = urlsplit(receiver.url).path
    body = ring_body(event_id="lie", logid="34", pad="x" * 80_000)
    fed_before = len(receiver.fed)
    with connect(receiver) as sock:
        sock.sendall(request(path, body, {"Content-Length": "10"}))
        answers = read_until_closed(sock, within=15)
    assert answers.startswith(b"HTTP/1.1 401 ")  # the first 10 bytes do not verify
    assert b"HTTP/1.1 431 " in answers  # nor head the rest
    assert len(receiver.fed) == fed_before


@pytest.mark.parametrize("raw", [
    b"GARBAGE\r\n\r\n",
    b"POST / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n",
    b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: nine\r\n\r\n",
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",  # a TLS hello to the plain port
    b"POST / HTTP/1.1\r\nHost: x\r\n" + b"X-Big: " + b"y" * 100_000 + b"\r\n\r\n",
], ids=["request line", "header line", "content length", "tls", "oversize head"])
def test_malformed_http_gets_an_answer_and_the_connection_is_closed(
        receiver: RunningReceiver, raw: bytes) -> None:
    with connect(receiver) as sock:
        sock.sendall(raw)
        sock.shutdown(socket.SHUT_WR)  # so the TLS hello, which has no end, ends
        answer = read_until_closed(sock, within=15)
    status = 431 if b"X-Big" in raw else 400
    assert answer.startswith(f"HTTP/1.1 {status} ".encode()), answer[:80]
    assert answer.endswith(b'{"ok": false, "error": "malformed request"}')
    wait_for(lambda: open_connections(receiver) == 0)


def test_bad_chunking_inside_a_genuine_request_gets_400(receiver: RunningReceiver) -> None:
    path = urlsplit(receiver.url).path
    body = ring_body()
    head = chunked(path, body, 7, signed(body)).split(b"\r\n\r\n", 1)[0]
    with connect(receiver) as sock:
        sock.sendall(head + b"\r\n\r\nzz\r\n")
        answer = read_until_closed(sock, within=15)
    assert answer.startswith(b"HTTP/1.1 400 ")


def test_early_answers_are_read_by_the_sender_before_the_close(
        receiver: RunningReceiver) -> None:
    """404/405/415/413 come before the body is read; the sender still gets them."""
    base = f"http://{address(receiver)[0]}:{address(receiver)[1]}"
    body = ring_body(pad="x" * 200_000)  # more than the socket buffers take at once
    with httpx.Client(timeout=10) as http:
        assert http.post(base + "/hook/guess", content=body, headers=signed(body)
                         ).status_code == 404
        assert http.post(receiver.url, content=body,
                         headers=signed(body, content_type="text/plain")).status_code == 415
        assert http.post(receiver.url, content=body, headers=signed(body)).status_code == 413
        head = http.head(receiver.url)
        assert (head.status_code, head.headers["allow"], head.content) == (405, "POST", b"")
        # The same client goes on with a fresh connection and delivers.
        small = ring_body(event_id="after-early", logid="35")
        assert http.post(receiver.url, content=small, headers=signed(small)
                         ).json() == {"ok": True}


def test_expect_100_continue_is_honoured(receiver: RunningReceiver) -> None:
    raw = request(urlsplit(receiver.url).path, ring_body(event_id="expect", logid="36"),
                  {"Expect": "100-continue"})
    head, body = raw.split(b"\r\n\r\n", 1)
    with connect(receiver) as sock:
        sock.sendall(head + b"\r\n\r\n")
        assert sock.recv(4096).startswith(b"HTTP/1.1 100 ")
        sock.sendall(body)
        [(status, _, _)] = read_answers(sock, 1)
    assert status == b"HTTP/1.1 200 OK"


def test_the_relay_names_the_allowed_method_too() -> None:
    config = RelayConfig(account="acme", nats_urls=("nats://127.0.0.1:9",), port=0,
                         path_token="q" * 24, webhook_secret=SECRET)

    async def scenario() -> None:
        relay = RelayServer(config)
        await relay.start()
        try:
            async with httpx.AsyncClient(timeout=10) as http:
                answer = await http.get(relay.webhook_url)
        finally:
            await relay.stop()
        assert (answer.status_code, answer.headers["allow"]) == (405, "POST")
        assert answer.json() == {"ok": False, "error": "POST only"}

    asyncio.run(scenario())
