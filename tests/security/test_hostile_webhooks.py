"""Signed but hostile webhook bodies get 4xx, never 500 (issue 16, item 8).

Before: 20,000-deep nesting, ``call_duration`` 1e400 and a 5,000-digit
``logid`` answered 500 with a traceback in the log; text/plain, a missing
type and multipart were read as JSON; a delivery posted again inside the
5-minute signature window counted twice. The same reading code serves the
team relay, which is checked here too (its NATS side is not needed for these).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings

from agentapp.relay import RelayConfig, RelayServer
from agentapp.services.replay_window import ReplayWindow
from testkit.webhook_bodies import BODIES

from .receiver_support import SECRET, RunningReceiver, ring_body, running_receiver, signed

HOSTILE: dict[str, bytes] = {
    "20,000-deep list": b"[" * 20_000 + b"]" * 20_000,
    "10,000-deep object": b'{"a":' * 10_000 + b"1" + b"}" * 10_000,
    "nested deeper than real deliveries": ring_body(x=[[[[[[[[[1]]]]]]]]]),
    "call_duration 1e400": ring_body()[:-1] + b', "call_duration": 1e400}',
    "call_duration '1e400'": ring_body(call_duration="1e400"),
    "call_duration NaN": ring_body()[:-1] + b', "call_duration": NaN}',
    "call_duration -Infinity": ring_body()[:-1] + b', "call_duration": -Infinity}',
    "call_duration 1e300": ring_body(call_duration=1e300),
    "5,000-digit logid": b'{"event": "ring", "logid": ' + b"9" * 5000 + b"}",
    "5,000-digit logid text": ring_body(logid="9" * 5000),
    "5,000-digit recordid": b'{"recordid": "' + b"7" * 5000 + b'"}',
    "a 4,000-digit exponent": ring_body()[:-1] + b', "seq": 1e' + b"9" * 4000 + b"}",
    "superscript digits as logid": ring_body(logid="\u00b2\u00b3"),
    "a 20,000-character event name": ring_body(event="r" * 20_000),
    "a 20,000-character number": ring_body(client_no="9" * 20_000),
    "10,000 values": json.dumps({"event": "ring", "logid": "1", "x": [0] * 10_000}).encode(),
    "not UTF-8": b'{"event": "ring", "logid": "\xff"}',
}


@pytest.fixture(scope="module")
def receiver() -> Iterator[RunningReceiver]:
    with running_receiver() as running:
        yield running


def no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    assert not [r.getMessage() for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_signed_bodies_get_400_and_leave_no_traceback(
        receiver: RunningReceiver, caplog: pytest.LogCaptureFixture, name: str) -> None:
    body = HOSTILE[name]
    fed_before = len(receiver.fed)
    response = httpx.post(receiver.url, content=body, headers=signed(body), timeout=10)
    assert response.status_code == 400, (name, response.text)
    assert response.json()["ok"] is False
    assert len(receiver.fed) == fed_before
    no_tracebacks(caplog)


@pytest.mark.parametrize("content_type", [
    None, "text/plain", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded",
    "application/json; charset=latin-1", "application/jsonx", "text/json",
])
def test_only_json_is_accepted(receiver: RunningReceiver, content_type: str | None) -> None:
    body = ring_body(event_id=f"ct-{content_type}")
    response = httpx.post(receiver.url, content=body, timeout=10,
                          headers=signed(body, content_type=content_type))
    assert response.status_code == 415, content_type
    assert "application/json" in response.json()["error"]


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8",
                                          "Application/JSON; charset=UTF-8"])
def test_json_with_or_without_charset_is_accepted(receiver: RunningReceiver,
                                                  content_type: str) -> None:
    body = ring_body(event_id=f"ok-{content_type}")
    response = httpx.post(receiver.url, content=body, timeout=10,
                          headers=signed(body, content_type=content_type))
    assert response.status_code == 200


def test_a_replay_inside_the_window_has_no_effect(receiver: RunningReceiver) -> None:
    body = ring_body(event_id="replay-1", logid="77")
    signed_at = time.time()
    headers = signed(body, at=signed_at)
    fed_before = len(receiver.fed)
    first = httpx.post(receiver.url, content=body, headers=headers, timeout=10)
    assert first.json() == {"ok": True}
    for _ in range(3):
        again = httpx.post(receiver.url, content=body, headers=headers, timeout=10)
        assert (again.status_code, again.json()) == (200, {"ok": True, "duplicate": True})
    assert [e.logid for e in receiver.fed[fed_before:]] == ["77"]
    # The provider re-signing its retry (new timestamp) is a new delivery: it is the
    # tracker that drops the repeated event id, as for every other source.
    # A minute apart, so never the same whole-second timestamp (a slow machine once
    # re-signed within the same second as the first signature, which is a replay).
    resigned = httpx.post(receiver.url, content=body, headers=signed(body, at=signed_at - 60),
                          timeout=10)
    assert resigned.json() == {"ok": True}


def test_a_delivery_that_failed_is_processed_when_retried() -> None:
    calls: list[dict[str, Any]] = []

    def flaky(payload: dict[str, Any]) -> None:
        calls.append(payload)
        if len(calls) == 1:
            raise RuntimeError("busy")

    with running_receiver(on_payload=flaky) as running:
        body = ring_body()
        headers = signed(body)
        assert httpx.post(running.url, content=body, headers=headers, timeout=10
                          ).status_code == 500
        assert httpx.post(running.url, content=body, headers=headers, timeout=10
                          ).json() == {"ok": True}
        assert httpx.post(running.url, content=body, headers=headers, timeout=10
                          ).json() == {"ok": True, "duplicate": True}
    assert len(calls) == 2


def test_the_replay_window_forgets_what_can_no_longer_verify() -> None:
    window = ReplayWindow(tolerance_s=300, max_entries=3)
    assert window.claim("sha256=a", 1000, now=1000)
    assert not window.claim("sha256=a ", 1000, now=1299)
    assert window.claim("sha256=a", 1000, now=1301)  # verify() refuses it by now anyway
    for n in range(5):
        window.claim(f"sha256={n}", 1400, now=1400)
    assert len(window) == 3  # bounded


def test_a_thousand_random_signed_bodies_never_give_5xx(
        receiver: RunningReceiver, caplog: pytest.LogCaptureFixture) -> None:
    statuses: dict[int, int] = {}
    with httpx.Client(timeout=10) as http:

        @settings(max_examples=1000, suppress_health_check=list(HealthCheck), database=None)
        @given(body=BODIES)
        def post_one(body: bytes) -> None:
            answer = http.post(receiver.url, content=body, headers=signed(body))
            statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1
            assert answer.status_code < 500, (body[:200], answer.text)

        post_one()
    assert sum(statuses.values()) >= 1000 and set(statuses) <= {200, 400}, statuses
    no_tracebacks(caplog)


def test_the_relay_reads_deliveries_with_the_same_bounds() -> None:
    config = RelayConfig(account="acme", nats_urls=("nats://127.0.0.1:9",), port=0,
                         path_token="p" * 24, webhook_secret=SECRET)

    async def scenario() -> None:
        relay = RelayServer(config)
        await relay.start()
        assert relay.connections is not None and relay.connections.limit == 512
        try:
            async with httpx.AsyncClient(timeout=10) as http:
                for name, body in HOSTILE.items():
                    answer = await http.post(relay.webhook_url, content=body,
                                             headers=signed(body))
                    assert answer.status_code == 400, name
                body = ring_body()
                answer = await http.post(relay.webhook_url, content=body,
                                         headers=signed(body, content_type="text/plain"))
                assert answer.status_code == 415
        finally:
            await relay.stop()
        assert relay.metrics.rejected["invalid"] == len(HOSTILE)
        assert relay.metrics.rejected["content_type"] == 1

    asyncio.run(scenario())
