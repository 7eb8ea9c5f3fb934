"""The provider's side of the receiver tests: random deliveries and a steady stream.

Run in a separate process (``in_process``) so the senders' own work (Hypothesis
generating examples, JSON, HTTP) never competes for the app's GIL: the loop
stalls the heartbeat measures are then the app's alone, as they would be with
the real provider on another machine.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentapp.core.signature import signed_headers
from testkit.webhook_bodies import BODIES


def in_process() -> ProcessPoolExecutor:
    """One fresh worker process (spawned: the test process runs Qt and threads)."""
    return ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))


# Mostly what the receiver accepts, so most bodies reach the JSON and event checks.
JSON_TYPES = st.sampled_from(["application/json", "application/json; charset=utf-8",
                              "Application/JSON; charset=UTF-8"])
OTHER_TYPES = st.sampled_from([
    "application/json; charset=latin-1", "text/plain", "text/html", "",
    "multipart/form-data; boundary=x", "application/x-www-form-urlencoded",
    "application/jsonx"]) | st.text(max_size=40)
CONTENT_TYPES = st.one_of(JSON_TYPES, JSON_TYPES, JSON_TYPES, OTHER_TYPES)
SIGNING = st.sampled_from(["good"] * 6 + ["none", "wrong", "stale", "future"])
HEADER_NAMES = st.sampled_from(["X-IVR-Event", "User-Agent", "X-Forwarded-For", "Accept",
                                "X-Request-Id", "Content-Encoding", "Transfer-Encoding-X"])
HEADER_VALUES = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=60)
EXTRA_HEADERS = st.dictionaries(HEADER_NAMES, HEADER_VALUES, max_size=3)


def signed_as(secret: str, body: bytes, content_type: str, signing: str,
              extra: dict[str, str]) -> dict[bytes, bytes]:
    """Headers for one delivery: signed well, not at all, with a wrong key, or an hour
    off; the content type as raw bytes (any a sender may send, even invalid ones)."""
    now = int(time.time())
    stamp = {"good": now, "stale": now - 3600, "future": now + 3600}.get(signing, now)
    headers = dict(extra)
    if signing != "none":
        headers |= signed_headers(secret if signing != "wrong" else secret + "x", stamp, body)
    raw = {name.encode(): value.encode("latin-1", "replace") for name, value in headers.items()}
    if content_type:
        raw[b"Content-Type"] = content_type.encode("utf-8")
    return raw


def random_deliveries(url: str, secret: str, examples: int = 1000
                      ) -> tuple[dict[int, int], int, list[str]]:
    """``examples`` Hypothesis deliveries, posted one by one. Returns the count of each
    HTTP status, how many httpx itself refused to send (a header value no HTTP client
    may send: it never reaches the app) and every answer outside 2xx/4xx."""
    statuses: dict[int, int] = {}
    bad: list[str] = []
    refused = 0
    with httpx.Client(timeout=15) as http:

        @settings(max_examples=examples, suppress_health_check=list(HealthCheck), database=None,
                  derandomize=True)
        @given(body=BODIES, content_type=CONTENT_TYPES, signing=SIGNING, extra=EXTRA_HEADERS)
        def post_one(body: bytes, content_type: str, signing: str,
                     extra: dict[str, str]) -> None:
            headers = signed_as(secret, body, content_type, signing, extra)
            try:
                answer = http.post(url, content=body, headers=headers)
            except (httpx.LocalProtocolError, UnicodeEncodeError):
                nonlocal refused
                refused += 1  # never reaches the app
                return
            statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1
            if not 200 <= answer.status_code < 500:
                bad.append(f"{answer.status_code} for {body[:120]!r} ({content_type!r}, "
                           f"{signing}): {answer.text[:200]}")

        post_one()
    return statuses, refused, bad


CALLS = 5
PER_CALL = 400  # 2,000 events
RATE = 200.0  # events per second, all calls together
LOGIDS = [str(7_000_001 + n) for n in range(CALLS)]
SETUP = [("ring", "agent"), ("answer", "agent"), ("ring", "customer"), ("answer", "customer")]


def event(logid: str, seq: int) -> dict[str, Any]:
    base = {"logid": logid, "seq": seq, "event_id": f"{logid}-{seq}", "call_type": "c2c",
            "ext_no": "2101", "client_no": "09876543210"}
    if seq <= len(SETUP):
        kind, leg = SETUP[seq - 1]
        return base | {"event": kind, "leg": leg}
    if seq == PER_CALL:
        return base | {"event": "hangup", "leg": "customer", "cause": "completed",
                       "call_duration": 10}
    return base | {"event": "dtmf", "leg": "customer", "digits": str(seq)}


def steady_stream(url: str, secret: str) -> tuple[list[tuple[str, int, int]], float]:
    """One sender per call, each in order; together RATE events per second.

    Returns ``(logid, seq, HTTP status)`` per event and the seconds it took."""
    answers: list[tuple[str, int, int]] = []

    async def one_call(http: httpx.AsyncClient, logid: str, started: float) -> None:
        for seq in range(1, PER_CALL + 1):
            due = started + (seq - 1) * CALLS / RATE
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            body = json.dumps(event(logid, seq)).encode()
            headers = signed_headers(secret, int(time.time()), body) | {
                "Content-Type": "application/json"}
            answer = await http.post(url, content=body, headers=headers)
            answers.append((logid, seq, answer.status_code))

    async def all_calls() -> float:
        limits = httpx.Limits(max_connections=CALLS)
        async with httpx.AsyncClient(timeout=15, limits=limits) as http:
            started = time.monotonic()
            await asyncio.gather(*(one_call(http, logid, started) for logid in LOGIDS))
            return time.monotonic() - started

    took = asyncio.run(all_calls())
    return answers, took


