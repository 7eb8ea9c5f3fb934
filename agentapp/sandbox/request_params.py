"""Reads every request's parameters once: query plus JSON, urlencoded or multipart body.

The provider's clients disagree on encodings (docs/api-reference.md,
Conventions), so every POST takes all three, and a GET that says
``Content-Type: application/json`` is tolerated.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from .envelopes import ApiError

PARAMS_KEY = web.RequestKey("sandbox_params", dict[str, Any])


async def read_params(request: web.Request) -> dict[str, Any]:
    params: dict[str, Any] = dict(request.query)
    params.update(await _read_body(request))
    return params


async def _read_body(request: web.Request) -> dict[str, Any]:
    if not request.body_exists:
        return {}
    ctype = request.content_type
    if ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        return {k: v for k, v in form.items() if isinstance(v, str)}
    raw = await request.read()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
        if request.method == "GET":
            return {}
        raise ApiError(400, "Invalid JSON body") from None
    if not isinstance(body, dict):
        if request.method == "GET":
            return {}
        raise ApiError(400, "Invalid JSON body")
    return body


def params_of(request: web.Request) -> dict[str, Any]:
    return request[PARAMS_KEY]
