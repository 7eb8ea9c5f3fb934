"""An OpenAPI 3.1 document of the provider API, generated from the one endpoint table.

Paths, methods and encodings come from ``agentapp/api/endpoints.py``; parameters and
example requests from :mod:`.openapi_requests`; every response example is what a
fresh sandbox (seeded, pinned clock) answered to that example request, so the
document cannot drift from what the sandbox serves. Each operation carries
``x-ivr-confidence`` (confirmed / inferred / guessed: how sure we are the live API
has this path) and ``x-ivr-ref`` (its row in docs/api-reference.md). Response
schemas are inferred from the examples (types only, no ``required``): the live
API documents none.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import aiohttp

from agentapp import __version__
from agentapp.api.endpoints import ENDPOINTS, Encoding, Endpoint

from .clock import IST
from .config import SandboxConfig
from .openapi_requests import REQUESTS, parse_params
from .routes import EITHER_METHOD, aliases

EXAMPLE_BASE = "http://127.0.0.1:8765"
EXAMPLE_START = datetime(2026, 11, 26, 10, 0, tzinfo=IST)
NOT_SERVED = frozenset({"c2c_recordings"})  # no documented request or reply
TAGS = {
    "A": "Click-to-call", "B": "Number masking", "C": "Outbound calls and dialers",
    "D": "Agents and extensions", "E": "Call logs", "F": "DID numbers", "G": "Voice bots",
    "H": "Text templates", "I": "Contacts", "J": "Webhooks", "X": "Client-only",
}
MEDIA = {Encoding.JSON: "application/json", Encoding.FORM: "application/x-www-form-urlencoded"}
ERRORS = {
    "400": ("ValidationError", "A parameter is missing or invalid (names the field).",
            {"status": 400, "message": "phone is required"}),
    "404": ("NotFound", "Unknown path, extension, logid or record.",
            {"status": 404, "message": "Not Found"}),
    "405": ("AuthFailure", "Bad or missing token (documented live behaviour: HTTP 405 with "
            "status 401 in the body); also a wrong HTTP method, with an Allow header.",
            {"status": 401, "message": "Method Not Allowed 1"}),
}


def schema_of(value: Any) -> dict[str, Any]:
    """A JSON Schema (2020-12) describing the types in ``value``."""
    if isinstance(value, bool):
        return {"type": "boolean"}
    if isinstance(value, int):
        return {"type": "integer"}
    if isinstance(value, float):
        return {"type": "number"}
    if isinstance(value, str):
        return {"type": "string"}
    if value is None:
        return {"type": "null"}
    if isinstance(value, list):
        return {"type": "array", "items": schema_of(value[0])} if value else {"type": "array"}
    return {"type": "object", "properties": {k: schema_of(v) for k, v in value.items()}}


async def sample_responses(seed: int) -> dict[str, tuple[int, Any]]:
    """Run every example request against a fresh sandbox; ``name -> (status, body)``."""
    from .server import SandboxServer  # the server imports this module's callers

    server = SandboxServer(SandboxConfig(seed=seed, history=30, start_time=EXAMPLE_START))
    base = await server.start()
    answers: dict[str, tuple[int, Any]] = {}
    try:
        headers = {"Authorization": f"Bearer {server.token}"}
        async with aiohttp.ClientSession(headers=headers) as http:
            for name, endpoint in ENDPOINTS.items():
                if name in NOT_SERVED:
                    continue
                example = REQUESTS[name][1]
                if endpoint.method == "GET":
                    query = {k: str(v) for k, v in example.items() if v is not None}
                    request = http.get(base + endpoint.path, params=query)
                else:
                    request = http.post(base + endpoint.path, json=example)
                async with request as response:
                    text = (await response.text()).replace(base, EXAMPLE_BASE)
                    answers[name] = (response.status, json.loads(text))
    finally:
        await server.stop()
    return answers


def _operation(endpoint: Endpoint, answer: tuple[int, Any] | None) -> dict[str, Any]:
    params = parse_params(REQUESTS[endpoint.name][0])
    example = REQUESTS[endpoint.name][1]
    group = endpoint.ref[:1]
    op: dict[str, Any] = {
        "operationId": endpoint.name, "tags": [TAGS.get(group, "Other")],
        "summary": f"{endpoint.name} ({endpoint.ref})",
        "description": f"Path confidence: {endpoint.confidence.value}. "
                       f"Reference row {endpoint.ref} of docs/api-reference.md.",
        "x-ivr-confidence": endpoint.confidence.value, "x-ivr-ref": endpoint.ref,
        "x-ivr-encoding": endpoint.encoding.value,
        "x-ivr-aliases": aliases(endpoint, ENDPOINTS),
        "x-ivr-served-by-sandbox": endpoint.name not in NOT_SERVED,
    }
    if endpoint.name in EITHER_METHOD:
        op["x-ivr-also-methods"] = ["GET", "POST"]
    if endpoint.method == "GET":
        op["parameters"] = [{
            "name": name, "in": "query", "required": needed, "schema": {"type": kind},
            **({"example": str(example[name])} if example.get(name) is not None else {}),
        } for name, kind, needed in params]
    else:
        body_schema: dict[str, Any] = {"type": "object", "properties": {
            name: {"type": [kind, "null"]} if example.get(name, "") is None else {"type": kind}
            for name, kind, _ in params}}
        needed = [name for name, _, req in params if req]
        if needed:
            body_schema["required"] = needed
        first = MEDIA.get(endpoint.encoding, "application/json")
        media = [first] + [m for m in ("application/json", "application/x-www-form-urlencoded",
                                       "multipart/form-data") if m != first]
        op["requestBody"] = {"required": bool(needed), "content": {
            m: {"schema": body_schema, **({"example": example} if m == first else {})}
            for m in media}}
    responses: dict[str, Any] = {}
    if answer is not None:
        status, body = answer
        responses[str(status)] = {
            "description": "Example answered by the sandbox to the example request.",
            "content": {"application/json": {"schema": schema_of(body), "example": body}}}
    else:
        responses["200"] = {"description": "Not shown anywhere; not served by the sandbox."}
    for code, (ref, _, _) in ERRORS.items():
        responses.setdefault(code, {"$ref": f"#/components/responses/{ref}"})
    op["responses"] = responses
    return op


def openapi_document(answers: dict[str, tuple[int, Any]],
                     sandbox_url: str | None = None) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for endpoint in ENDPOINTS.values():
        paths.setdefault(endpoint.path, {})[endpoint.method.lower()] = _operation(
            endpoint, answers.get(endpoint.name))
    servers: list[dict[str, Any]] = [
        {"url": "https://api.ivrsolutions.in", "description": "IVR Solutions (live, HTTPS only)"}]
    if sandbox_url:
        servers.append({"url": sandbox_url, "description": "this sandbox"})
    else:
        servers.append({"url": "http://127.0.0.1:{port}", "description": "a local sandbox",
                        "variables": {"port": {"default": "8765"}}})
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "IVR Solutions API (as the agentapp sandbox serves it)",
            "version": __version__,
            "description": (
                "Generated from agentapp's endpoint table. The provider publishes no complete "
                "machine-readable description; every path carries x-ivr-confidence "
                "(confirmed: seen verbatim in the provider's page or a live client; inferred: "
                "one unverified client or sibling naming; guessed: our proposal). Response "
                "examples are the sandbox's own answers to the example requests. The token "
                "may also be sent as a `token` field in the body. Every POST accepts JSON, "
                "urlencoded and multipart bodies."),
        },
        "servers": servers,
        "security": [{"bearerAuth": []}, {"tokenQuery": []}],
        "tags": [{"name": name} for name in TAGS.values()],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer",
                               "description": "Authorization: Bearer <API token> (recommended)"},
                "tokenQuery": {"type": "apiKey", "in": "query", "name": "token"},
            },
            "responses": {ref: {"description": text, "content": {"application/json": {
                "schema": schema_of(body), "example": body}}}
                for ref, text, body in ERRORS.values()},
        },
    }


async def build_openapi(seed: int, sandbox_url: str | None = None) -> dict[str, Any]:
    return openapi_document(await sample_responses(seed), sandbox_url)
