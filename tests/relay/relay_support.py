"""Helpers for the relay tests: a relay on loopback, raw JetStream reads, posting."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import nats
import nats.errors

from agentapp.core.signature import signed_headers
from agentapp.relay import RelayConfig, RelayServer
from agentapp.services.event_source_subjects import stream_name

ACCOUNT = "acme"
SECRET = "relay-signing-secret-for-tests"
PATH_TOKEN = "path-token-for-tests-0123456789"


def ring(logid: int = 7001, ext: str = "2101", seq: int = 1, event: str = "ring",
         **extra: str) -> dict[str, Any]:
    return {"event": event, "event_id": f"{logid}-{seq}", "seq": seq, "logid": str(logid),
            "recordid": str(logid), "call_type": "incoming", "leg": "agent",
            "did_no": "+911143104567", "ext_no": ext, "agent_no": "9810012345",
            "client_no": "9876543210", "timestamp": "2026-11-26 10:00:03", **extra}


def signed(body: bytes, secret: str = SECRET, at: int | None = None) -> dict[str, str]:
    stamp = int(time.time()) if at is None else at
    return {"Content-Type": "application/json", **signed_headers(secret, stamp, body)}


@asynccontextmanager
async def running_relay(urls: list[str], clock: Callable[[], float] = time.time,
                        **overrides: Any) -> AsyncIterator[RelayServer]:
    """A relay on a free loopback port; ``clock`` stamps what it receives."""
    fields: dict[str, Any] = {"account": ACCOUNT, "nats_urls": tuple(urls), "port": 0,
                              "path_token": PATH_TOKEN, "webhook_secret": SECRET,
                              "publish_timeout_s": 1.0}
    fields.update(overrides)
    server = RelayServer(RelayConfig(**fields), clock=clock)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


async def post(session: aiohttp.ClientSession, url: str, payload: dict[str, Any],
               secret: str | None = SECRET, at: int | None = None) -> tuple[int, dict[str, Any]]:
    body = json.dumps(payload).encode()
    headers = signed(body, secret, at) if secret else {"Content-Type": "application/json"}
    async with session.post(url, data=body, headers=headers) as answer:
        return answer.status, await answer.json(content_type=None)


async def stream_messages(urls: list[str], account: str = ACCOUNT,
                          within_s: float = 30.0) -> list[Any]:
    """Every message in the account's stream (as an admin would see them).

    Retried until ``within_s``: right after a cluster lost a node the API may
    time out while a new stream leader settles.
    """
    deadline = time.monotonic() + within_s
    while True:
        nc = await nats.connect(urls)
        try:
            js = nc.jetstream(timeout=5)
            info = await js.stream_info(stream_name(account))
            return [await js.get_msg(stream_name(account), seq)
                    for seq in range(info.state.first_seq, info.state.last_seq + 1)
                    if info.state.messages]
        except nats.errors.TimeoutError:
            if time.monotonic() > deadline:
                raise
        finally:
            await nc.close()
