"""WebhookReceiver over real HTTP on loopback: signatures, limits, junk, routing."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any
from urllib.parse import urlsplit

import httpx

from agentapp.core.call import CallEvent, EventKind
from agentapp.core.events import CallRecordNotice
from agentapp.core.signature import signed_headers
from agentapp.services.webhook_receiver import EventIntake, WebhookReceiver

SECRET = "s3cret-for-tests"
RING = {"event": "ring", "event_id": "5-1", "logid": "5", "leg": "agent", "call_type": "c2c"}


def post(url: str, body: bytes, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.post(url, content=body, headers=headers or {}, timeout=5)


def signed(body: bytes, secret: str = SECRET, at: float | None = None) -> dict[str, str]:
    stamp = int(at if at is not None else time.time())
    return {"Content-Type": "application/json", **signed_headers(secret, stamp, body)}


def run_with_receiver(check: Any, *, secret: str | None = SECRET, max_body: int = 64 * 1024
                      ) -> tuple[list[CallEvent], list[CallRecordNotice | None]]:
    """Start a receiver whose payloads feed an EventIntake; run ``check`` in a thread."""
    fed: list[CallEvent] = []
    intake = EventIntake(fed.append)
    records: list[CallRecordNotice | None] = []
    intake.records.subscribe(records.append)

    async def scenario() -> None:
        receiver = WebhookReceiver(intake, secret=secret, max_body=max_body)
        url = await receiver.start()
        try:
            assert not receiver.healthy
            await asyncio.to_thread(check, url)
        finally:
            healthy = receiver.healthy
            await receiver.stop()
        assert not receiver.healthy
        check.healthy = healthy

    asyncio.run(scenario())
    return fed, records


def test_signed_events_and_records_are_routed() -> None:
    def check(url: str) -> None:
        body = json.dumps(RING).encode()
        assert post(url, body, signed(body)).status_code == 200
        record = {"recordid": "5", "call_type": "c2c", "call_status": "answered"}
        form = "&".join(f"{k}={v}" for k, v in record.items()).encode()
        headers = signed(form) | {"Content-Type": "application/x-www-form-urlencoded"}
        assert post(url, form, headers).status_code == 415  # JSON only (issue 16, item 8)
        as_json = json.dumps(record).encode()
        headers = signed(as_json) | {"Content-Type": "application/json; charset=UTF-8"}
        assert post(url, as_json, headers).status_code == 200

    fed, records = run_with_receiver(check)
    assert [(e.kind, e.logid, e.source) for e in fed] == [(EventKind.RING, "5", "webhook")]
    assert records[-1] is not None and records[-1].call_status == "answered"
    assert check.healthy  # type: ignore[attr-defined]


def test_forged_stale_and_unsigned_bodies_are_refused() -> None:
    def check(url: str) -> None:
        body = json.dumps(RING).encode()
        assert post(url, body, signed(body, secret="wrong")).status_code == 401
        assert post(url, body, signed(body, at=time.time() - 3600)).status_code == 401
        assert post(url, body, {"Content-Type": "application/json"}).status_code == 401
        tampered = json.dumps({**RING, "logid": "6"}).encode()
        assert post(url, tampered, signed(body)).status_code == 401

    fed, _ = run_with_receiver(check)
    assert fed == []
    assert not check.healthy  # type: ignore[attr-defined]


def test_size_junk_path_and_method() -> None:
    def check(url: str) -> None:
        big = json.dumps({**RING, "pad": "x" * 5000}).encode()
        assert post(url, big, signed(big)).status_code == 413
        for junk in (b"not json", b"[1, 2]", json.dumps({"event": "boom", "logid": "1"}).encode()):
            response = post(url, junk, signed(junk))
            assert response.status_code == 400, junk
        parts = urlsplit(url)
        base = f"{parts.scheme}://{parts.netloc}"
        body = json.dumps(RING).encode()
        assert post(base + "/hook/guess", body, signed(body)).status_code == 404
        assert post(base + "/", body, signed(body)).status_code == 404
        assert httpx.get(url, timeout=5).status_code == 405

    fed, _ = run_with_receiver(check, max_body=4096)
    assert fed == []


def test_unsigned_receiver_accepts_plain_posts_and_survives_bugs() -> None:
    def boom(_: dict[str, Any]) -> None:
        raise RuntimeError("handler bug")

    async def scenario() -> None:
        plain = WebhookReceiver(EventIntake(lambda e: None), secret=None)
        broken = WebhookReceiver(boom, secret=None)
        public = WebhookReceiver(boom, secret=None, public_url="https://example.test/x/")
        url, broken_url = await plain.start(), await broken.start()
        public_url = await public.start()
        try:
            assert url.startswith("http://127.0.0.1:") and "/hook/" in url
            assert public_url.startswith("https://example.test/x/hook/")
            async with httpx.AsyncClient() as http:
                assert (await http.post(url, json=RING)).status_code == 200
                assert (await http.post(url, json=RING)).status_code == 200  # duplicates are fine
                assert plain.healthy
                assert (await http.post(broken_url, json=RING)).status_code == 500
                assert (await http.post(broken_url, json=RING)).status_code == 500
            assert not broken.healthy
        finally:
            for receiver in (plain, broken, public):
                await receiver.stop()

    asyncio.run(scenario())


def test_verified_tap_sees_only_checked_payloads_before_they_are_routed() -> None:
    """The public tap (used by bench/webhook.py) fires for verified bodies only, first."""
    order: list[str] = []
    intake = EventIntake(lambda event: order.append(f"fed {event.logid}"))

    async def scenario() -> None:
        receiver = WebhookReceiver(intake, secret=SECRET)
        assert receiver.secret == SECRET
        untap = receiver.verified.subscribe(
            lambda payload: order.append(f"tapped {payload and payload['logid']}"))
        url = await receiver.start()
        try:
            good = json.dumps(RING).encode()
            forged = json.dumps({**RING, "logid": "6"}).encode()
            assert (await asyncio.to_thread(post, url, forged, signed(good))).status_code == 401
            assert (await asyncio.to_thread(post, url, good, signed(good))).status_code == 200
            untap()
            again = json.dumps({**RING, "event_id": "5-2"}).encode()
            assert (await asyncio.to_thread(post, url, again, signed(again))).status_code == 200
        finally:
            await receiver.stop()

    asyncio.run(scenario())
    assert order == ["tapped 5", "fed 5", "fed 5"]
    assert WebhookReceiver(intake).secret is None
