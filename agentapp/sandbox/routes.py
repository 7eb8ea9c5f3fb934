"""Registers handlers by endpoint *name*, taking paths and methods from the one table.

Each ``/api/x`` is also served as ``/v1/x`` (and vice versa) unless the table gives
that path to another endpoint; endpoints docs/api-reference.md shows with either method
are served for GET and POST.
"""

from __future__ import annotations

from collections.abc import Mapping

from aiohttp import web
from aiohttp.typedefs import Handler

from agentapp.api.endpoints import ENDPOINTS, Endpoint

EITHER_METHOD = frozenset({
    "click_connect_logs", "get_agents", "get_dids", "did_live_status",
    "agent_did_live_status", "call_logs", "call_logs_v1", "get_extension", "get_dialers_list",
})


def sandbox_table() -> dict[str, Endpoint]:
    return dict(ENDPOINTS)


def _alias(path: str) -> str | None:
    for a, b in (("/api/", "/v1/"), ("/v1/", "/api/")):
        if path.startswith(a):
            return b + path[len(a):]
    return None


def aliases(endpoint: Endpoint, table: Mapping[str, Endpoint]) -> list[str]:
    """The other prefix's path also serving ``endpoint`` (empty when another row owns it)."""
    alias = _alias(endpoint.path)
    return [alias] if alias and alias not in {e.path for e in table.values()} else []


def register_api_routes(app: web.Application, handlers: Mapping[str, Handler],
                        table: Mapping[str, Endpoint]) -> list[tuple[str, str]]:
    """Add every handled endpoint; returns the (method, path) pairs registered."""
    claimed = {e.path for e in table.values()}
    done: list[tuple[str, str]] = []
    for name, handler in handlers.items():
        endpoint = table[name]
        paths = [endpoint.path]
        alias = _alias(endpoint.path)
        if alias and alias not in claimed:
            paths.append(alias)
            claimed.add(alias)
        methods = {"GET", "POST"} if name in EITHER_METHOD else {endpoint.method}
        for path in paths:
            for method in sorted(methods):
                if (method, path) not in done:
                    app.router.add_route(method, path, handler)
                    done.append((method, path))
    return done
