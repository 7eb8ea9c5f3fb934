"""Listings written to the socket in chunks, never as one big string.

``/v1/call_logs`` over a big account is tens of MB of JSON (50,000 rows are about
22 MB); building that per request would cost the sandbox a copy of it in memory
for every concurrent client. :func:`json_listing` instead keeps only the
references to the matching records and serialises rows as the client reads,
``CHUNK_BYTES`` at a time (aiohttp applies backpressure between chunks). The
bytes are exactly what ``web.json_response(envelope)`` would have sent
(``json.dumps`` defaults: ``", "`` and ``": "`` separators, ASCII escapes).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from typing import Any, TypeVar

from aiohttp import web

T = TypeVar("T")
CHUNK_BYTES = 64 * 1024
ChunkFactory = Callable[[], AsyncIterator[bytes]]
STREAM_KEY: web.ResponseKey[ChunkFactory] = web.ResponseKey("sandbox_stream")


def listing_chunks(envelope: Mapping[str, Any], key: str, records: Sequence[T],
                   to_row: Callable[[T], Mapping[str, Any]],
                   chunk_bytes: int = CHUNK_BYTES) -> ChunkFactory:
    """A factory of the body's chunks: ``envelope`` with ``records`` (as rows) under ``key``."""

    async def chunks() -> AsyncIterator[bytes]:
        parts: list[str] = ["{"]
        size = 1
        for i, (name, value) in enumerate(envelope.items()):
            parts.append((", " if i else "") + json.dumps(name) + ": ")
            if name != key:
                parts.append(json.dumps(value))
                continue
            parts.append("[")
            for n, record in enumerate(records):
                row = json.dumps(to_row(record))
                parts.append(", " + row if n else row)
                size += len(row) + 2
                if size >= chunk_bytes:
                    yield "".join(parts).encode()
                    parts, size = [], 0
            parts.append("]")
        parts.append("}")
        yield "".join(parts).encode()

    return chunks


def json_listing(envelope: Mapping[str, Any], key: str, records: Sequence[T],
                 to_row: Callable[[T], Mapping[str, Any]]) -> web.Response:
    """A streamed JSON reply; ``envelope[key]`` is a placeholder for the rows."""
    factory = listing_chunks(envelope, key, records, to_row)
    response = web.Response(body=factory(), content_type="application/json", charset="utf-8")
    response[STREAM_KEY] = factory
    return response


async def body_of(response: web.StreamResponse) -> bytes:
    """The full body of a reply built by a handler (streamed or not), for faults and docs."""
    factory = response.get(STREAM_KEY) if isinstance(response, web.Response) else None
    if factory is not None:
        return b"".join([chunk async for chunk in factory()])
    body = response.body if isinstance(response, web.Response) else b""
    return body if isinstance(body, bytes) else b""
