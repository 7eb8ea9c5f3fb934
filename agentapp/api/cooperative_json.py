"""Decode big JSON answers without freezing the UI: yield to the loop between items.

A full click-to-call log is one 13 MB answer of 35,000 records. ``json.loads``
on the qasync loop (the UI thread) holds it for ~150 ms, and a worker thread
does not help: the C decoder keeps the GIL for the whole document. So a large
answer is decoded item by item: the top-level object's values one at a time,
and any array value element by element, with ``await asyncio.sleep(0)`` every
few hundred elements. Anything the scanner does not expect falls back to plain
``json.loads``, so the result is always exactly what ``json.loads`` returns.
"""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

LARGE_BODY_BYTES = 256 * 1024
_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class _Fallback(Exception):
    """The document is not ``{key: value, ...}`` as expected: decode it in one go."""


async def loads_cooperatively(text: str, *, every: int = 200) -> Any:
    """``json.loads(text)``, yielding to the event loop every ``every`` array items.

    Raises ``json.JSONDecodeError`` (or ``RecursionError``) exactly where
    ``json.loads`` would.
    """
    try:
        return await _object(text, every)
    except _Fallback:
        return json.loads(text)


def _skip(text: str, at: int) -> int:
    match = _WS.match(text, at)
    return match.end() if match else at


async def _object(text: str, every: int) -> dict[str, Any]:
    at = _skip(text, 0)
    if not text.startswith("{", at):
        raise _Fallback
    result: dict[str, Any] = {}
    at = _skip(text, at + 1)
    if text.startswith("}", at):
        return _end(text, at + 1, result)
    while True:
        if not text.startswith('"', at):
            raise _Fallback
        key, at = _DECODER.raw_decode(text, at)
        at = _skip(text, at)
        if not text.startswith(":", at):
            raise _Fallback
        at = _skip(text, at + 1)
        if text.startswith("[", at):
            value, at = await _array(text, at, every)
        else:
            value, at = _DECODER.raw_decode(text, at)
        result[key] = value
        at = _skip(text, at)
        if text.startswith(",", at):
            at = _skip(text, at + 1)
            continue
        if text.startswith("}", at):
            return _end(text, at + 1, result)
        raise _Fallback


def _end(text: str, at: int, result: dict[str, Any]) -> dict[str, Any]:
    if _skip(text, at) != len(text):
        raise _Fallback  # trailing data: let json.loads report it
    return result


async def _array(text: str, at: int, every: int) -> tuple[list[Any], int]:
    items: list[Any] = []
    at = _skip(text, at + 1)
    if text.startswith("]", at):
        return items, at + 1
    while True:
        item, at = _DECODER.raw_decode(text, at)
        items.append(item)
        if len(items) % every == 0:
            await asyncio.sleep(0)
        at = _skip(text, at)
        if text.startswith(",", at):
            at = _skip(text, at + 1)
            continue
        if text.startswith("]", at):
            return items, at + 1
        raise _Fallback
